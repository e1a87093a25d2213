"""``schemac status | plan | publish | pull | import | diff``: arguments in, exit code out.

One module per command; this one holds what they share. Every line these commands print goes
through one :class:`Console`, which masks the API key: nothing here formats an error or a log
line another way. The policy (what publish refuses, how status classifies, how files are named)
is in :mod:`schemac.remote`; these modules parse arguments, call it, render and map to exit codes:
0 ok; 1 error (findings, a failed request, a refused change); 2 usage (bad arguments, no API
key, a non-interactive publish without --yes); 3 the remote moved (another writer changed a
schema between plan and apply). ``plan --detailed-exitcode``: 2 changes pending. ``diff``: 1
when a change is breaking.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

from schemac.cli.commands.common import add_config_option
from schemac.vocabulary import EXIT_FINDINGS, EXIT_USAGE

if TYPE_CHECKING:
    from schemac.config import Config
    from schemac.diagnostics import Diagnostic
    from schemac.remote.client import Remote
    from schemac.remote.local import LocalSchema
    from schemac.remote.plan import Plan


class Console:
    """stdout/stderr with the secrets masked."""

    def __init__(self, secrets: list[str | None]) -> None:
        from schemac.remote.client import Masker

        self.mask = Masker(secrets)

    def out(self, text: str, stream: TextIO | None = None) -> None:
        (stream or sys.stdout).write(self.mask(text if text.endswith("\n") else text + "\n"))

    def err(self, text: str) -> None:
        self.out(text, sys.stderr)

    def error(self, text: str) -> None:
        self.err(f"schemac: error: {text}")

    def diagnostics(self, diagnostics: list[Diagnostic]) -> None:
        """Findings in the one text format of every command (``file:line:col: error[SC104]``)."""
        from schemac.render.text import render_text

        self.err(render_text(diagnostics, 0, summary=False).rstrip("\n"))


class Stop(Exception):
    """End the command with ``code``, printing the message (if any) as an error."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def console() -> Console:
    return Console([os.environ.get("TICKSUPPLY_API_KEY")])


Command = Callable[[argparse.Namespace, Console], int]


def guard(run: Command) -> Callable[[argparse.Namespace], int]:
    """``run`` with its failures turned into a message and an exit code, never a traceback."""

    def wrapped(args: argparse.Namespace) -> int:
        out = console()
        try:
            return run(args, out)
        except Stop as stop:
            if str(stop):
                out.error(str(stop))
            return stop.code
        except Exception as error:  # the last net: a message, never a traceback with a key
            from schemac.remote.client import RemoteError

            if isinstance(error, RemoteError):
                out.error(str(error))
                return EXIT_FINDINGS
            out.error(f"internal error: {type(error).__name__}: {error}")
            return EXIT_FINDINGS

    return wrapped


# -- shared options ----------------------------------------------------------------------------


def add_remote(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--api-url",
        metavar="URL",
        help="API base URL (default: $TICKSUPPLY_BASE_URL, else https://api.ticksupply.com/v1)",
    )
    parser.add_argument(
        "--retries", type=int, default=6, metavar="N", help="tries per request (default 6)"
    )
    parser.add_argument(
        "--retry-wait",
        type=float,
        default=0.5,
        metavar="SECONDS",
        help="first backoff between tries, doubled each time (default 0.5)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log every request")
    add_config_option(parser)


def add_format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=["text", "json"], default="text")


def load_config(args: argparse.Namespace, out: Console) -> Config:
    """The configuration; a problem is printed as `validate` prints it and stops with 2."""
    from schemac.cli.commands.common import findings_text
    from schemac.config import ConfigError
    from schemac.config import load_config as load

    try:
        return load(getattr(args, "config", None))
    except ConfigError as error:
        out.err(findings_text(error.diagnostics, 1, None, sys.stderr))
        raise Stop("", EXIT_USAGE) from None


def connect(args: argparse.Namespace, out: Console) -> Remote:
    """An API session from the options and the environment (the key only from there)."""
    from schemac.remote.client import (
        DEFAULT_BASE_URL,
        ENV_API_KEY,
        ENV_BASE_URL,
        InvalidApiKey,
        Remote,
        RetryPolicy,
    )

    key = os.environ.get(ENV_API_KEY, "").strip()
    if not key:
        raise Stop(f"set {ENV_API_KEY} to an API key of the account", EXIT_USAGE)
    out.mask.add(key)
    url = args.api_url or os.environ.get(ENV_BASE_URL) or DEFAULT_BASE_URL
    if args.retries < 1 or args.retry_wait < 0:
        raise Stop("--retries must be >= 1 and --retry-wait >= 0", EXIT_USAGE)
    try:
        return Remote(
            key,
            url,
            retry=RetryPolicy(attempts=args.retries, initial=args.retry_wait),
            log=out.err if args.verbose else None,
            mask=out.mask,
        )
    except InvalidApiKey as problem:  # refused before any request; the text holds no key
        raise Stop(f"{ENV_API_KEY}: {problem}", EXIT_USAGE) from None


def load_local(
    paths: list[str] | None, config: Config, out: Console, selectors: list[str] | None = None
) -> list[LocalSchema]:
    """The validated local schemas (those ``selectors`` name, when given): any error stops the
    command before a request is made."""
    from schemac.project import PathNotFound
    from schemac.remote.local import InvalidSchemas
    from schemac.remote.local import load_local as load
    from schemac.remote.select import SelectionError, select_local

    try:
        local = load(paths, config)
        return local if selectors is None else select_local(local, selectors, config)
    except PathNotFound as missing:
        raise Stop(missing.message, EXIT_USAGE) from None
    except SelectionError as error:
        raise Stop(str(error), EXIT_USAGE) from None
    except InvalidSchemas as invalid:
        out.diagnostics(invalid.diagnostics)
        count = len(invalid.diagnostics)
        raise Stop(
            f"{count} error(s) in the schema files; nothing was sent", EXIT_FINDINGS
        ) from None


def open_plan(
    args: argparse.Namespace, out: Console, targets: list[str]
) -> tuple[Plan, Remote, Config]:
    """The plan for ``targets`` (names or paths; every schema when empty) and the open session;
    the caller closes the session (``with remote:``)."""
    from schemac.remote.plan import make_plan
    from schemac.remote.select import all_paths

    config = load_config(args, out)
    paths = targets if all_paths(targets) else None
    selected = load_local(paths, config, out, targets)
    remote = connect(args, out)
    try:
        plan = make_plan(selected, remote, config, every_schema=not targets)
    except BaseException:
        remote.close()  # the caller's `with remote:` is not reached: close it here
        raise
    return plan, remote, config

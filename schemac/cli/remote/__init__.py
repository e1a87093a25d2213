"""``schemac status | plan | publish | pull | import | diff | delete``: arguments in, exit code out.

One module per command; this one holds what they share. Every line these commands print goes
through one :class:`Console`, which masks the API key: nothing here formats an error or a log
line another way. The policy (what publish refuses, how status classifies, how files are named)
is in :mod:`schemac.remote`; these modules parse arguments, call it, render and map to exit codes:
0 ok; 1 error (findings, a failed request, a refused change); 2 usage (bad arguments, no API
key, a non-interactive publish without --yes); 3 the remote moved (another writer changed a
schema between plan and apply). ``plan --detailed-exitcode``: 2 changes pending;
``status --detailed-exitcode``: 2 drift. ``diff``: 1 when a change is breaking. Each command's
``--help`` ends with its environment and exit codes (:func:`epilog`).
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
    from schemac.remote.local import LocalProject, LocalSchema
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

    def diagnostics(
        self, diagnostics: list[Diagnostic], files: int, args: argparse.Namespace | None = None
    ) -> None:
        """Findings on stderr as `validate` prints them (the same renderer, colour and summary;
        ``-q`` drops the summary, ``--no-color`` the colour)."""
        from schemac.cli.commands.common import findings_text

        quiet = bool(getattr(args, "quiet", False))
        color = False if getattr(args, "no_color", False) else None
        self.err(findings_text(diagnostics, files, color, sys.stderr, summary=not quiet))


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

_ENVIRONMENT = """environment:
  TICKSUPPLY_API_KEY   the API key of the account (only from here: never a flag, never a file)
  TICKSUPPLY_BASE_URL  the API base URL (default: production, https://api.ticksupply.com/v1;
                       --api-url wins); `schemac sandbox` prints a local one"""
_OFFLINE = (
    """environment: none (offline: neither TICKSUPPLY_API_KEY nor TICKSUPPLY_BASE_URL is read)"""
)


def epilog(parser: argparse.ArgumentParser, exit_codes: list[str], *, remote: bool = True) -> None:
    """The end of ``--help``: the environment the command reads and its exit codes, one a line
    (``"0  in sync"``)."""
    codes = "\n".join(f"  {line}" for line in exit_codes)
    parser.epilog = f"{_ENVIRONMENT if remote else _OFFLINE}\n\nexit codes:\n{codes}"


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


def add_format(parser: argparse.ArgumentParser, what: str = "the result") -> None:
    parser.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help=f"{what} as text or as one JSON document on stdout (default: text)",
    )


def load_config(args: argparse.Namespace, out: Console) -> Config:
    """The configuration; a problem is printed as `validate` prints it and stops with 2."""
    from schemac.config import ConfigError
    from schemac.config import load_config as load

    try:
        return load(getattr(args, "config", None))
    except ConfigError as error:
        out.diagnostics(error.diagnostics, 1, args)
        raise Stop("", EXIT_USAGE) from None


def api_url(args: argparse.Namespace) -> tuple[str, str]:
    """The base URL and where it comes from (``--api-url``, the environment, or the default:
    production)."""
    from schemac.remote.client import DEFAULT_BASE_URL, ENV_BASE_URL

    if getattr(args, "api_url", None):
        return args.api_url, "--api-url"
    if os.environ.get(ENV_BASE_URL, "").strip():
        return os.environ[ENV_BASE_URL].strip(), ENV_BASE_URL
    return DEFAULT_BASE_URL, "default"


def url_line(url: str, origin: str) -> str:
    """The line every remote command prints before its first request: which API it talks to,
    and that it is production when nothing said otherwise."""
    from schemac.remote.client import DEFAULT_BASE_URL, ENV_BASE_URL

    if origin == "default":
        return f"API: {url} (production: {ENV_BASE_URL} is not set)"
    where = "production, " if url.rstrip("/") == DEFAULT_BASE_URL else ""
    return f"API: {url} ({where}from {origin})"


def connect(args: argparse.Namespace, out: Console) -> Remote:
    """An API session from the options and the environment (the key only from there); says on
    stderr which API it talks to."""
    from schemac.remote.client import ENV_API_KEY, InvalidApiKey, Remote, RetryPolicy

    key = os.environ.get(ENV_API_KEY, "").strip()
    if not key:
        raise Stop(f"set {ENV_API_KEY} to an API key of the account", EXIT_USAGE)
    out.mask.add(key)
    if args.retries < 1 or args.retry_wait < 0:
        raise Stop("--retries must be >= 1 and --retry-wait >= 0", EXIT_USAGE)
    url, origin = api_url(args)
    out.err(url_line(url, origin))
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


def checked_project(
    paths: list[str] | None, config: Config, args: argparse.Namespace
) -> LocalProject:
    """Every schema file under ``paths`` validated (a broken one does not stop the others)."""
    from schemac.project import PathNotFound
    from schemac.remote.local import load_checked

    try:
        return load_checked(paths, config)
    except PathNotFound as missing:
        raise Stop(missing.message, EXIT_USAGE) from None


def stop_on(errors: list[Diagnostic], files: int, args: argparse.Namespace, out: Console) -> None:
    """Print ``errors`` as `validate` does and stop before any request, if there are any."""
    if errors:
        out.diagnostics(errors, files, args)
        raise Stop(f"{len(errors)} error(s) in the schema files; nothing was sent", EXIT_FINDINGS)


def load_local(
    paths: list[str] | None, config: Config, args: argparse.Namespace, out: Console
) -> list[LocalSchema]:
    """Every schema under ``paths``, validated: any error stops the command before a request
    is made (the commands about every schema)."""
    local = checked_project(paths, config, args)
    stop_on(local.errors, local.files, args, out)
    return local.schemas


def select(
    args: argparse.Namespace, out: Console, config: Config, targets: list[str]
) -> list[LocalSchema]:
    """The local schemas ``targets`` name (names or paths; every schema when empty). Only the
    named schemas' files (and errors outside any schema file, such as the configuration's) must
    be clean: a broken unrelated file does not stop `plan NAME` or `publish NAME`."""
    from schemac.remote.select import SelectionError, all_paths, select_keys

    paths = targets if all_paths(targets) else None
    if not targets:
        return load_local(paths, config, args, out)
    local = checked_project(paths, config, args)
    try:
        local, keys = select_keys(local, targets, config)
    except SelectionError as error:
        unread = [e for e in local.errors if e.span.file in local.unread]
        if not unread:
            raise Stop(str(error), EXIT_USAGE) from None
        out.diagnostics(unread, local.files, args)  # the name may be in a file it cannot read
        raise Stop(f"{error} (or it is in a file that cannot be read)", EXIT_USAGE) from None
    stop_on(local.blocking(set(keys)), local.files, args, out)
    by_key = {schema.key: schema for schema in local.schemas}
    return [by_key[key] for key in keys]


def open_plan(
    args: argparse.Namespace, out: Console, targets: list[str]
) -> tuple[Plan, Remote, Config]:
    """The plan for ``targets`` (names or paths; every schema when empty) and the open session;
    the caller closes the session (``with remote:``)."""
    from schemac.remote.plan import make_plan

    config = load_config(args, out)
    selected = select(args, out, config, targets)
    remote = connect(args, out)
    try:
        plan = make_plan(selected, remote, config, every_schema=not targets)
    except BaseException:
        remote.close()  # the caller's `with remote:` is not reached: close it here
        raise
    return plan, remote, config

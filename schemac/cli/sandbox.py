"""``schemac sandbox``: arguments and the blocking run loop.

Only argparse and the settings module are imported at the top; the server is imported by run().
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from dataclasses import replace
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from schemac.sandbox.config import DEFAULTS, SandboxConfig
from schemac.vocabulary import EXIT_OK, EXIT_USAGE

if TYPE_CHECKING:
    from schemac.sandbox.exportparts import ExportRenderer


def _exchange(text: str) -> tuple[str, str]:
    code, _, display_name = text.partition("=")
    if not code:
        raise argparse.ArgumentTypeError(f"expected CODE or CODE=Display Name, got {text!r}")
    return code, display_name or code


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the sandbox's options to ``parser`` (the ``schemac sandbox`` subparser)."""
    parser.description = (
        "Serve a local stand-in of the Ticksupply API at http://HOST:PORT/v1. "
        "The URL is printed on one line when the server is ready; Ctrl-C stops it."
    )
    parser.add_argument(
        "--host",
        default=DEFAULTS.host,
        help=f"address (default {DEFAULTS.host}); a non-loopback one needs --allow-remote",
    )
    parser.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow a --host other machines can reach (then every --api-key must be your own, "
        "not the default)",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULTS.port,
        help=f"port; 0 picks a free one (default {DEFAULTS.port})",
    )
    parser.add_argument(
        "--api-key",
        dest="api_keys",
        action="append",
        metavar="KEY",
        help="an accepted API key, each its own account; repeatable (default "
        + ", ".join(DEFAULTS.api_keys)
        + ")",
    )
    parser.add_argument(
        "--state", type=Path, metavar="FILE", help="SQLite file that keeps data across restarts"
    )
    parser.add_argument(
        "--fault-rate",
        type=float,
        default=DEFAULTS.fault_rate,
        metavar="P",
        help="probability that a request fails (503, 500 after commit, or dropped); default 0",
    )
    parser.add_argument(
        "--fault-seed", type=int, metavar="N", help="seed that makes the faults reproducible"
    )
    _add_limit_options(parser)
    _add_data_options(parser)
    _add_export_options(parser)
    parser.add_argument("--quiet", action="store_true", help="do not log requests to stderr")


def _add_limit_options(parser: argparse.ArgumentParser) -> None:
    """The account limits and the exchange list."""
    parser.add_argument(
        "--rate-limit-per-minute",
        type=int,
        default=DEFAULTS.rate_limit_per_minute,
        metavar="N",
        help=f"requests per minute per account (default {DEFAULTS.rate_limit_per_minute})",
    )
    parser.add_argument(
        "--rate-limit-per-hour",
        type=int,
        default=DEFAULTS.rate_limit_per_hour,
        metavar="N",
        help=f"requests per hour per account (default {DEFAULTS.rate_limit_per_hour})",
    )
    parser.add_argument(
        "--max-columns",
        type=int,
        default=DEFAULTS.max_columns,
        metavar="N",
        help=f"column cap per schema (default {DEFAULTS.max_columns})",
    )
    parser.add_argument(
        "--exchange",
        dest="exchanges",
        action="append",
        type=_exchange,
        metavar="CODE[=NAME]",
        help="an exchange listed by GET /v1/exchanges; repeatable, replaces the catalog's list "
        "(its instruments and datastreams stay where the catalog has them)",
    )


def _add_data_options(parser: argparse.ArgumentParser) -> None:
    """The catalog, the raw messages, and the subscription settings (docs/sandbox.md)."""
    parser.add_argument(
        "--catalog",
        dest="catalogs",
        action="append",
        type=Path,
        metavar="FILE",
        help="a JSON catalog file extending the shipped one (exchanges, instruments, "
        "datastreams); repeatable",
    )
    parser.add_argument(
        "--messages",
        type=Path,
        metavar="DIR",
        help="serve recorded raw messages from DIR/<exchange>/<instrument>/<stream_type>/ "
        "(*.jsonl, *.csv, *.csv.gz) instead of synthesising them from the bundled fixtures",
    )
    parser.add_argument(
        "--message-rate",
        type=float,
        default=DEFAULTS.message_rate,
        metavar="N",
        help=f"synthesised messages per second per datastream (default {DEFAULTS.message_rate:g})",
    )
    parser.add_argument(
        "--message-seed",
        type=int,
        default=DEFAULTS.message_seed,
        metavar="N",
        help=f"seed of the synthesised messages' timing (default {DEFAULTS.message_seed})",
    )
    parser.add_argument(
        "--backfill",
        type=float,
        default=DEFAULTS.backfill,
        metavar="SECONDS",
        help="a new subscription's first span starts this long before it is created "
        f"(default {DEFAULTS.backfill:g}: 3 days; 0 is the vendor's behaviour)",
    )
    parser.add_argument(
        "--ingestion-delay",
        type=float,
        default=DEFAULTS.ingestion_delay,
        metavar="SECONDS",
        help="availability reports data collected up to now minus this (default 0)",
    )


def _add_export_options(parser: argparse.ArgumentParser) -> None:
    """How exports behave (docs/sandbox.md, "Exports")."""
    parser.add_argument(
        "--export-delay",
        type=float,
        default=DEFAULTS.export_delay,
        metavar="SECONDS",
        help="an export is queued for half of this, running for the other half, then "
        f"finished (default {DEFAULTS.export_delay:g}; 0: finished at once)",
    )
    parser.add_argument(
        "--export-fail-rate",
        type=float,
        default=DEFAULTS.export_fail_rate,
        metavar="P",
        help="share of exports that fail with a reason, drawn from --fault-seed (default 0)",
    )


def _renderer() -> ExportRenderer | None:
    """schemac's engine for exports when the run extra is installed; None: the sandbox
    then serves raw CSV only (chDB itself is imported on the first export it renders)."""
    import importlib.util

    if importlib.util.find_spec("chdb") is None:
        return None
    from schemac.run.exportrender import ClickHouseExportRenderer

    return ClickHouseExportRenderer()


def _exports_text(config: SandboxConfig) -> str:
    if config.renderer is not None:
        return "exports rendered by chDB"
    return "exports: raw CSV only (pip install 'schemac[run]' for schemas)"


def _config_from(args: argparse.Namespace) -> SandboxConfig:
    return SandboxConfig(
        api_keys=tuple(args.api_keys or DEFAULTS.api_keys),
        host=args.host,
        port=args.port,
        state=args.state,
        fault_rate=args.fault_rate,
        fault_seed=args.fault_seed,
        rate_limit_per_minute=args.rate_limit_per_minute,
        rate_limit_per_hour=args.rate_limit_per_hour,
        max_columns=args.max_columns,
        exchanges=tuple(args.exchanges) if args.exchanges else None,
        allow_remote=args.allow_remote,
        catalog=tuple(args.catalogs or ()),
        messages=args.messages,
        message_rate=args.message_rate,
        message_seed=args.message_seed,
        backfill=args.backfill,
        ingestion_delay=args.ingestion_delay,
        export_delay=args.export_delay,
        export_fail_rate=args.export_fail_rate,
    )


def _log(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _stop_on_signals(stop: threading.Event) -> dict[int, Any]:
    """Make SIGINT and SIGTERM set ``stop``; returns the handlers they had.

    Installed explicitly for both: a process started with SIGINT ignored (a background job of
    a non-interactive shell, as in CI) inherits SIG_IGN and Python then never raises
    KeyboardInterrupt, so Ctrl-C or ``kill -INT`` would not stop it. A handler that only sets
    an event also cannot cut the stop itself short, whatever arrives while it runs.
    """

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    return {signum: signal.signal(signum, on_signal) for signum in (signal.SIGINT, signal.SIGTERM)}


def run(args: argparse.Namespace) -> int:
    """Serve until Ctrl-C or SIGTERM; 0 on a clean stop, 2 when it cannot start."""
    config = _config_from(args)
    problems = config.problems()
    if problems:
        for problem in problems:
            print(f"schemac sandbox: error: {problem}", file=sys.stderr)
        return EXIT_USAGE

    import sqlite3

    from schemac.sandbox.server import serve

    stop = threading.Event()
    previous = _stop_on_signals(stop)
    try:
        try:
            config = replace(config, renderer=_renderer())
            sandbox = serve(config, log=None if args.quiet else _log, poll_interval=0.2)
        except (OSError, sqlite3.Error) as problem:
            where = f"{config.host}:{config.port}"
            print(f"schemac sandbox: error: cannot start on {where}: {problem}", file=sys.stderr)
            return EXIT_USAGE
        try:
            state = f"state in {config.state}" if config.state else "state in memory"
            print(
                f"schemac sandbox: {len(config.api_keys)} account(s), {state}, "
                f"fault rate {config.fault_rate}, {_exports_text(config)}; Ctrl-C stops",
                file=sys.stderr,
                flush=True,
            )
            print(sandbox.url, flush=True)  # last: whoever waits for the URL may signal at once
            while not stop.wait(0.2):
                pass
        finally:
            sandbox.stop()
    finally:
        for signum, handler in previous.items():
            if handler is not None:  # None: set outside Python, nothing to restore
                signal.signal(signum, handler)
    print("schemac sandbox: stopped", file=sys.stderr, flush=True)
    return EXIT_OK

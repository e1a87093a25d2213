"""``schemac sync [NAME...] [--follow] [--status [--format table|json]] [--dry-run]``.

Runs each sync spec (``syncs/NAME.yaml``) once: what is new since each partition's cursor is
exported window by window, downloaded into the spec's destination, and the cursor advanced
(:mod:`schemac.feed`). ``--follow`` runs again and again, waiting between runs (longer while
nothing is new or a run fails), until Ctrl-C or SIGTERM. ``--status`` reads the state files only.

Ctrl-C or SIGTERM ends a run cleanly: the windows in flight are finished and committed, no new
one is started. A second Ctrl-C stops at once (safe too: the state is crash-safe, as against
SIGKILL). A one-shot run that was stopped exits 130; ``--follow`` stopped that way exits 0 (that
is how it ends) unless its last run failed.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from schemac.cli.commands.common import add_findings_options
from schemac.cli.remote import Console, Stop, add_remote, connect, epilog, guard, load_config
from schemac.vocabulary import EXIT_FINDINGS, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE

if TYPE_CHECKING:
    from schemac.config import Config
    from schemac.core.syncspec import SyncSpec
    from schemac.remote.client import Remote

HELP_EXIT_CODES = [
    "0  every partition ran (or had nothing new); --follow: stopped by Ctrl-C or SIGTERM",
    "1  error: a spec or schema file with errors, a schema not published as the file holds it, "
    "a window that failed (its partition's cursor stays; the next run starts there again), "
    "another sync writing the destination",
    "2  usage (bad arguments, an unknown spec, no sync spec, no API key)",
    "130  a one-shot run stopped by Ctrl-C or SIGTERM (the windows in flight were finished)",
]


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "names", nargs="*", metavar="NAME", help="sync specs (syncs/NAME.yaml; default: every one)"
    )
    parser.add_argument(
        "--follow", action="store_true", help="run again and again until Ctrl-C or SIGTERM"
    )
    parser.add_argument(
        "--status",
        action="store_true",
        help="per partition: cursor, lag behind now, last run, failures, schema version "
        "(from the state files; no request)",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="the windows a run would export now; none is"
    )
    parser.add_argument(
        "--format",
        choices=["table", "json"],
        default="table",
        help="--status as a table or as one JSON document (default: table)",
    )
    parser.add_argument(
        "--max-windows",
        type=int,
        metavar="N",
        help="at most N windows per partition in one run (default: every closed one)",
    )
    parser.add_argument(
        "--poll",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help="--follow: the wait after a run that exported (default 30); doubled after each "
        "run with nothing new or a failure, up to --max-poll",
    )
    parser.add_argument(
        "--max-poll",
        type=float,
        default=600.0,
        metavar="SECONDS",
        help="--follow: the longest wait between runs (default 600)",
    )
    add_findings_options(parser)
    add_remote(parser)
    epilog(parser, HELP_EXIT_CODES)


def _run(args: argparse.Namespace, out: Console) -> int:
    if args.max_windows is not None and args.max_windows < 1:
        raise Stop("--max-windows must be at least 1", EXIT_USAGE)
    if not 0 < args.poll <= args.max_poll:
        raise Stop("--poll must be positive and at most --max-poll", EXIT_USAGE)
    if args.format != "table" and not args.status:
        raise Stop("--format is the format of --status", EXIT_USAGE)
    if args.status and (args.follow or args.dry_run):
        raise Stop("--status reads the state only: not with --follow or --dry-run", EXIT_USAGE)
    _line_buffered()
    config = load_config(args, out)
    specs = load_specs(args, out, config)
    if args.status:
        return _status(args, out, specs)
    with connect(args, out) as remote:
        stop = threading.Event()
        with _signals(stop, out):
            if args.follow and not args.dry_run:
                return _follow(args, out, remote, config, stop)
            code, _ = run_once(args, out, remote, config, specs, stop)
        return EXIT_INTERRUPTED if stop.is_set() else code


def _line_buffered() -> None:
    """Each line out as it is printed, also into a pipe or a log file: a run (or --follow, for
    hours) reports each window when it is committed, not when a buffer fills."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(line_buffering=True)


def load_specs(args: argparse.Namespace, out: Console, config: Config) -> list[SyncSpec]:
    """The specs NAMES name (every one when none is named); any spec file with errors stops
    the command, as `validate` shows them."""
    from schemac.core.syncspec import load_sync_specs
    from schemac.diagnostics import Severity

    specs, found = load_sync_specs(config.root)
    errors = [d for d in found if d.severity is Severity.ERROR]
    if errors:
        out.diagnostics(errors, len({d.span.file for d in errors}), args)
        raise Stop(f"{len(errors)} error(s) in the sync specs; nothing was run", EXIT_FINDINGS)
    by_name = {spec.name: spec for spec in specs}
    unknown = [name for name in args.names if name not in by_name]
    if unknown:
        known = ", ".join(sorted(by_name)) or f"none in {config.root / 'syncs'}"
        raise Stop(f"no sync spec named {', '.join(unknown)} (specs: {known})", EXIT_USAGE)
    chosen = [by_name[name] for name in dict.fromkeys(args.names)] if args.names else specs
    if not chosen:
        raise Stop(f"no sync spec in {config.root / 'syncs'}: write syncs/NAME.yaml", EXIT_USAGE)
    _check_destinations(specs)
    return chosen


def _check_destinations(specs: list[SyncSpec]) -> None:
    seen: dict[str, str] = {}
    for spec in specs:
        where = os.path.realpath(spec.destination)
        if where in seen:
            raise Stop(
                f"sync specs {seen[where]} and {spec.name} share the destination "
                f"{spec.destination}: give each its own",
                EXIT_FINDINGS,
            )
        seen[where] = spec.name


def run_once(
    args: argparse.Namespace,
    out: Console,
    remote: Remote,
    config: Config,
    specs: list[SyncSpec],
    stop: threading.Event,
) -> tuple[int, int]:
    """Every spec once: the exit code (0 when every partition ran, else 1) and the number of
    windows exported."""
    from schemac.cli.remote.syncrun import load_schemas, sync_spec

    worst, exported = EXIT_OK, 0
    project = load_schemas(config)
    for spec in specs:
        if stop.is_set():
            break
        code, windows = sync_spec(args, out, remote, config, spec, stop, project)
        worst, exported = max(worst, code), exported + windows
    return worst, exported


def _follow(
    args: argparse.Namespace,
    out: Console,
    remote: Remote,
    config: Config,
    stop: threading.Event,
) -> int:
    """Run, wait, run again until stopped. The wait is --poll after a run that exported,
    doubled (up to --max-poll) after one with nothing new or a failure. Specs and schemas are
    read again before each run, so that an edit (a republished schema) is picked up."""
    wait = args.poll
    code = EXIT_OK
    while not stop.is_set():
        try:
            specs = load_specs(args, out, config)
        except Stop as problem:
            out.error(str(problem))
            specs, code = [], EXIT_FINDINGS
        exported = 0
        if specs:
            code, exported = run_once(args, out, remote, config, specs, stop)
        wait = args.poll if exported and code == EXIT_OK else min(args.max_poll, wait * 2)
        if stop.is_set():
            break
        out.err(f"next run in {wait:g}s (Ctrl-C to stop)")
        stop.wait(wait)
    out.err("stopped: every window in flight was finished")
    return code


@contextmanager
def _signals(stop: threading.Event, out: Console) -> Iterator[None]:
    """SIGINT and SIGTERM set ``stop`` (the windows in flight finish); a second one ends the
    process at once, which the state is made to survive."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    received: list[int] = []

    def handler(number: int, frame: Any) -> None:
        # A handler runs in the main thread between two bytecodes, maybe while that thread holds
        # the lock of `stop` (an Event's lock is not reentrant) or of stderr's buffer: so it
        # takes neither, and leaves setting and saying to a thread of its own.
        received.append(number)
        if len(received) > 1:
            os.write(2, b"stopping now\n")
            os._exit(EXIT_INTERRUPTED)
        name = signal.Signals(number).name

        def stop_after_this_window() -> None:
            stop.set()
            out.err(f"{name}: finishing the windows in flight (again to stop at once)")

        threading.Thread(target=stop_after_this_window, daemon=True).start()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def _status(args: argparse.Namespace, out: Console, specs: list[SyncSpec]) -> int:
    from schemac.feed.state import FeedState, StateError, state_path
    from schemac.feed.status import HEADER, status_cells, status_rows
    from schemac.render.table import table

    now = time.time_ns()
    rows = []
    for spec in specs:
        path = state_path(spec.destination)
        if not path.is_file():
            out.err(f"{spec.name}: never run (no {path})")
            continue
        try:
            with FeedState(path, read_only=True) as state:
                found = status_rows(state, spec.name, now)
        except StateError as error:
            raise Stop(str(error), EXIT_FINDINGS) from None
        if not found:
            out.err(f"{spec.name}: no datastream followed yet (no run got that far)")
        rows += found
    if args.format == "json":
        out.out(json.dumps({"partitions": [row.as_json() for row in rows]}, indent=2))
    elif rows:
        out.out(table([HEADER, *(status_cells(row) for row in rows)]).rstrip("\n"))
    return EXIT_OK


run = guard(_run)

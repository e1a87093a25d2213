"""One spec of ``schemac sync``: its schema pinned, its destination locked, its run printed.

The schema a spec names is pinned as ``schemac export`` pins it: the published version whose
content equals the local file (``schemac.remote.pinning``), looked up again on every run, so a
schema republished between runs is used from the next window on (the state records which
version produced each window).
"""

from __future__ import annotations

import argparse
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from schemac.cli.remote import Console, Stop
from schemac.vocabulary import EXIT_FINDINGS, EXIT_OK

if TYPE_CHECKING:
    from schemac.config import Config
    from schemac.core.syncspec import SyncSpec
    from schemac.feed.runner import RunContext
    from schemac.feed.sources import Stream
    from schemac.feed.window import SchemaChoice
    from schemac.remote.client import Remote
    from schemac.remote.local import LocalProject

LOCK_FILE = ".schemac-sync.lock"


class SpecProblem(Exception):
    """A spec that cannot run now (its schema is not published as the file holds it, ...)."""


def load_schemas(config: Config) -> LocalProject | None:
    """The project's schemas, validated (None when the configured paths do not exist)."""
    from schemac.project import PathNotFound
    from schemac.remote.local import load_checked

    try:
        return load_checked(None, config)
    except PathNotFound:
        return None


def choose_schema(
    remote: Remote, config: Config, spec: SyncSpec, project: LocalProject | None
) -> tuple[SchemaChoice, Callable[[Stream], str | None]]:
    """What the spec's exports name as schema, and why a datastream cannot use it (None: it
    can). Raises :class:`SpecProblem`."""
    from schemac.feed.window import SchemaChoice
    from schemac.remote.pinning import SchemaNotPinned, fit_problems, pin_schema
    from schemac.remote.select import SelectionError, select_keys

    if project is None:
        raise SpecProblem(f"schema `{spec.schema}`: the project has no schema files")
    try:
        project, keys = select_keys(project, [spec.schema], config)
    except SelectionError as error:
        raise SpecProblem(str(error)) from None
    if project.blocking(set(keys)):
        raise SpecProblem(f"schema `{spec.schema}` has errors (`schemac validate` shows them)")
    local = next(s for s in project.schemas if s.key == keys[0])
    try:
        pinned = pin_schema(remote, local, config)
    except SchemaNotPinned as error:
        raise SpecProblem(str(error)) from None

    def unfit(stream: Stream) -> str | None:
        problems = fit_problems(local.schema, stream.exchange, stream.stream_type)
        return "; ".join(problems) or None

    return SchemaChoice(pinned.id, pinned.id, pinned.version), unfit


@contextmanager
def destination_lock(destination: Path) -> Iterator[None]:
    """One sync at a time writes a destination (a second one is told, not queued). The lock
    goes with the process, however it ends."""
    destination.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock
        yield
        return
    descriptor = os.open(destination / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Stop(
                f"another `schemac sync` is writing {destination}; wait for it to end",
                EXIT_FINDINGS,
            ) from None
        yield
    finally:
        os.close(descriptor)


def sync_spec(
    args: argparse.Namespace,
    out: Console,
    remote: Remote,
    config: Config,
    spec: SyncSpec,
    stop: threading.Event,
    project: LocalProject | None,
) -> tuple[int, int]:
    """Run (or preview) one spec; its exit code and the windows it exported."""
    from schemac.feed.runner import RunContext, target_of

    try:
        choice, unfit = choose_schema(remote, config, spec, project)
    except SpecProblem as problem:
        out.error(f"{spec.name}: {problem}")
        return EXIT_FINDINGS, 0
    lock = threading.Lock()

    def emit(line: str) -> None:
        with lock:
            out.out(line)

    context = RunContext(
        remote,
        spec,
        target_of(spec, choice),
        now_ns=time.time_ns(),
        stop=stop,
        emit=emit,
        max_windows=args.max_windows,
        unfit=unfit,
    )
    if args.dry_run:
        return _preview(out, context, spec), 0
    return _sync(out, context, spec)


def _preview(out: Console, context: RunContext, spec: SyncSpec) -> int:
    from schemac.feed.report import dry_run_lines
    from schemac.feed.runner import preview_spec
    from schemac.feed.state import FeedState, state_path

    path = state_path(spec.destination)
    state = FeedState(path, read_only=True) if path.is_file() else None
    try:
        run = preview_spec(context, state)
    except Exception as error:
        out.error(f"{spec.name}: {_failure(error)}")
        return EXIT_FINDINGS
    finally:
        if state is not None:
            state.close()
    for line in dry_run_lines(run):
        out.out(line)
    return EXIT_FINDINGS if run.failed else EXIT_OK


def _sync(out: Console, context: RunContext, spec: SyncSpec) -> tuple[int, int]:
    from schemac.feed.report import failure_line, summary_line
    from schemac.feed.runner import run_spec
    from schemac.feed.state import FeedState, state_path
    from schemac.feed.window import remove_staging

    try:
        with destination_lock(spec.destination):
            try:
                with FeedState(state_path(spec.destination)) as state:
                    run = run_spec(context, state)
            finally:
                remove_staging(spec.destination)
    except Stop:
        raise
    except Exception as error:  # no traceback: the spec's error, and the next spec runs
        out.error(f"{spec.name}: {_failure(error)}; nothing was exported")
        return EXIT_FINDINGS, 0
    for part in run.failed:
        out.err(failure_line(spec.name, part))
    out.out(summary_line(run))
    return (EXIT_FINDINGS if run.failed else EXIT_OK), run.windows


def _failure(error: BaseException) -> str:
    from schemac.core.times import TimeFormatError
    from schemac.feed.state import StateError
    from schemac.remote.client import RemoteError
    from schemac.remote.datastreams import DatastreamRefError

    if isinstance(error, (RemoteError, DatastreamRefError, TimeFormatError, StateError)):
        return str(error)
    if isinstance(error, OSError):
        return f"{error.filename or ''}: {error.strerror or error}".lstrip(": ")
    return f"internal error: {type(error).__name__}: {error}"

"""One run of a sync spec: follow its datastreams, plan each partition, export window by window.

Partitions run in parallel (``parallel`` threads) over one API session, whose shared request
budget keeps them within the account's rate limits and holds them all on a 429. A partition's
windows run in order, each committed before the next (:func:`.window.export_window`); a window
that fails stops its partition (the cursor cannot skip it) and is counted as a failure in the
state, and the next run starts again from it. ``stop`` ends a run between windows: what is
committed stays, nothing is half done.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from schemac.feed.planner import Plan, first_cursor, plan_windows
from schemac.feed.report import membership_lines, window_line
from schemac.feed.results import PartitionRun, SpecRun
from schemac.feed.sources import Stream, StreamFilter, availability, resolve_streams
from schemac.feed.state import FeedState
from schemac.feed.window import SchemaChoice, Target, export_window

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any

    from schemac.remote.client import Remote


class SpecLike(Protocol):
    """What a run reads of a sync spec (``schemac.core.syncspec.SyncSpec``)."""

    @property
    def name(self) -> str: ...
    @property
    def datastreams(self) -> Sequence[str]: ...
    @property
    def filters(self) -> Sequence[StreamFilter]: ...
    @property
    def start(self) -> str: ...
    @property
    def lag_ns(self) -> int: ...
    @property
    def window_ns(self) -> int: ...
    @property
    def format(self) -> str: ...
    @property
    def format_options(self) -> Mapping[str, Any]: ...
    @property
    def destination(self) -> Path: ...
    @property
    def parallel(self) -> int: ...


@dataclass
class RunContext:
    """What every partition of a run shares."""

    remote: Remote
    spec: SpecLike
    target: Target
    now_ns: int
    stop: threading.Event = field(default_factory=threading.Event)
    emit: Callable[[str], None] = lambda line: None
    max_windows: int | None = None
    clock: Callable[[], int] = time.time_ns
    unfit: Callable[[Stream], str | None] = lambda stream: None


def target_of(spec: SpecLike, choice: SchemaChoice) -> Target:
    return Target(spec.name, spec.destination, choice, spec.format, spec.format_options)


def start_cursor(spec: SpecLike, now_ns: int) -> int:
    """Where a new partition starts: the spec's ``start``, rounded down to a window."""
    from schemac.core.times import parse_instant

    return first_cursor(parse_instant(spec.start, now_ns=now_ns), spec.window_ns)


def run_spec(context: RunContext, state: FeedState) -> SpecRun:
    """Follow the spec's datastreams (added and removed ones reported) and run every active
    partition; raises ``RemoteError``/``DatastreamRefError`` when the datastreams cannot be
    resolved (nothing is exported then)."""
    spec = context.spec
    streams = resolve_streams(context.remote, spec.datastreams, spec.filters)
    start = start_cursor(spec, context.now_ns)
    known = {p.datastream_id for p in state.partitions(spec.name)}
    added, removed = state.follow(
        spec.name,
        [(s.datastream_id, s.ref) for s in streams],
        cursor_ns=start,
        now_ns=context.clock(),
    )
    run = SpecRun(spec.name, spec.destination, context.target.choice.label, added, removed)
    cursors = {p.datastream_id: p.cursor_ns for p in state.partitions(spec.name)}
    refs = {s.ref: cursors[s.datastream_id] for s in streams}
    for line in membership_lines(spec.name, added, removed, refs):
        context.emit(line)
    jobs = [(s, cursors[s.datastream_id], s.datastream_id not in known) for s in streams]
    run.partitions = _in_parallel(
        spec.parallel, jobs, lambda s, c, new: _run_partition(context, state, s, c, new)
    )
    return run


def preview_spec(context: RunContext, state: FeedState | None) -> SpecRun:
    """A dry run: what :func:`run_spec` would export now, with nothing exported or written."""
    spec = context.spec
    streams = resolve_streams(context.remote, spec.datastreams, spec.filters)
    start = start_cursor(spec, context.now_ns)
    known = {p.datastream_id: p for p in state.partitions(spec.name)} if state else {}
    run = SpecRun(spec.name, spec.destination, context.target.choice.label)
    run.added = [s.ref for s in streams if s.datastream_id not in known]
    run.removed = sorted(
        p.ref for i, p in known.items() if p.active and i not in {s.datastream_id for s in streams}
    )
    jobs = [
        (
            s,
            known[s.datastream_id].cursor_ns if s.datastream_id in known else start,
            s.ref in run.added,
        )
        for s in streams
    ]
    run.partitions = _in_parallel(
        spec.parallel, jobs, lambda s, c, new: _plan_partition(context, s, c, new)
    )
    return run


def _in_parallel(
    parallel: int,
    jobs: list[tuple[Stream, int, bool]],
    work: Callable[[Stream, int, bool], PartitionRun],
) -> list[PartitionRun]:
    if len(jobs) <= 1 or parallel <= 1:
        return [work(*job) for job in jobs]
    with ThreadPoolExecutor(max_workers=min(parallel, len(jobs))) as pool:
        futures = [pool.submit(work, *job) for job in jobs]
        return [future.result() for future in futures]


def _plan_partition(context: RunContext, stream: Stream, cursor: int, new: bool) -> PartitionRun:
    spec = context.spec
    problem = context.unfit(stream)
    if problem is not None:
        return PartitionRun(stream, cursor, Plan((), cursor, cursor), error=problem, new=new)
    try:
        ranges = availability(context.remote, stream.datastream_id)
    except Exception as error:  # reported per partition; the others go on
        return PartitionRun(stream, cursor, Plan((), cursor, cursor), error=_text(error), new=new)
    plan = plan_windows(
        cursor,
        now_ns=context.now_ns,
        lag_ns=spec.lag_ns,
        window_ns=spec.window_ns,
        availability=ranges,
        max_windows=context.max_windows,
    )
    return PartitionRun(stream, cursor, plan, new=new)


def _run_partition(
    context: RunContext, state: FeedState, stream: Stream, cursor: int, new: bool
) -> PartitionRun:
    run = _plan_partition(context, stream, cursor, new)
    name = context.spec.name
    if run.error is not None:
        state.record_failure(name, stream.datastream_id, run.error, now_ns=context.clock())
        return run
    for window in run.plan.windows:
        if context.stop.is_set():
            run.stopped = True
            return run
        try:
            done = export_window(
                context.remote, state, context.target, stream, window, now=context.clock
            )
        except Exception as error:  # the partition stops; the others go on
            run.error = _text(error)
            state.record_failure(name, stream.datastream_id, run.error, now_ns=context.clock())
            return run
        run.done.append(done)
        context.emit(window_line(name, stream, done))
    state.record_run(
        name, stream.datastream_id, now_ns=context.clock(), advance_to=run.plan.advance_to
    )
    return run


def _text(error: BaseException) -> str:
    """One line for a failure (a RemoteError's message is already masked and whole)."""
    from schemac.remote.client import RemoteError

    if isinstance(error, RemoteError):
        return str(error)
    if isinstance(error, OSError):
        where = f"{error.filename}: " if error.filename else ""
        return f"{where}{error.strerror or error}"
    return f"{type(error).__name__}: {error}"

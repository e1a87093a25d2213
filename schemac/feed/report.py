"""The lines ``schemac sync`` prints, as functions of what a run did (data in, text out).

Every name that came from the API or a file goes through ``printable``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from schemac.fileio import printable

if TYPE_CHECKING:
    from schemac.feed.planner import Window
    from schemac.feed.results import PartitionRun, SpecRun
    from schemac.feed.sources import Stream
    from schemac.feed.window import WindowDone


def instant(ns: int) -> str:
    from schemac.core.times import format_instant

    return format_instant(ns)


def moment(ns: int) -> str:
    """A wall-clock moment (a last run), to the second."""
    return instant(ns - ns % 1_000_000_000)


def span_text(window: Window) -> str:
    return f"{instant(window.start_ns)} to {instant(window.end_ns)}"


def duration_text(ns: int) -> str:
    """``45s``, ``12m``, ``3h05m``, ``2d04h``; negative as ``-``."""
    sign, seconds = ("-", -ns // 1_000_000_000) if ns < 0 else ("", ns // 1_000_000_000)
    if seconds < 60:
        return f"{sign}{seconds}s"
    minutes, hours, days = seconds // 60, seconds // 3600, seconds // 86400
    if minutes < 60:
        return f"{sign}{minutes}m"
    if hours < 24:
        return f"{sign}{hours}h{minutes % 60:02d}m"
    return f"{sign}{days}d{hours % 24:02d}h"


def bytes_text(count: int) -> str:
    for unit, size in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if count >= size:
            return f"{count / size:.1f} {unit}"
    return f"{count} bytes"


def _who(spec: str, stream: Stream) -> str:
    return f"{printable(spec)} {printable(stream.ref)}"


def window_line(spec: str, stream: Stream, done: WindowDone) -> str:
    """A window committed: ``btc binance:BTCUSDT:trade 2026-01-01T10:00:00Z to ...: 1 file,
    12.3 kB (exp_...)``."""
    files = len(done.files)
    what = f"{files} file{'' if files == 1 else 's'}, {bytes_text(done.bytes)}"
    return f"{_who(spec, stream)} {span_text(done.window)}: {what} ({printable(done.export_id)})"


def membership_lines(
    spec: str, added: list[str], removed: list[str], cursors: dict[str, int]
) -> list[str]:
    """The datastreams that joined the spec's set in this run (from their cursor: the spec's
    start, or where one that came back stopped) or left it."""
    lines = []
    for ref in added:
        where = f" (from {instant(cursors[ref])})" if ref in cursors else ""
        lines.append(f"{printable(spec)}: added {printable(ref)}{where}")
    for ref in removed:
        lines.append(f"{printable(spec)}: removed {printable(ref)} (its files and cursor stay)")
    return lines


def failure_line(spec: str, part: PartitionRun) -> str:
    return (
        f"{_who(spec, part.stream)}: failed: {printable(part.error or '')}; the cursor stays at "
        f"{instant(part.cursor_after)}, the next run starts again there"
    )


def summary_line(run: SpecRun) -> str:
    """The spec's last line: what was exported, and where the cursors are."""
    exported = [d for p in run.partitions for d in p.done]
    total = sum(d.bytes for d in exported)
    files = sum(len(d.files) for d in exported)
    ok = [p for p in run.partitions if p.error is None]
    cursors = sorted({p.cursor_after for p in ok})
    where = ""
    if cursors:
        low, high = instant(cursors[0]), instant(cursors[-1])
        where = (
            f"; cursor{'s' if len(ok) > 1 else ''} at {low if low == high else f'{low} to {high}'}"
        )
    failed = f", {len(run.failed)} failed" if run.failed else ""
    stopped = ", stopped early" if any(p.stopped for p in run.partitions) else ""
    if not exported:
        head = f"{printable(run.spec)}: {'nothing exported' if run.failed else 'nothing new'}"
    else:
        head = (
            f"{printable(run.spec)}: {len(exported)} window{'s' if len(exported) != 1 else ''} "
            f"exported ({files} files, {bytes_text(total)}) with {printable(run.schema)}"
        )
    count = len(run.partitions)
    return f"{head}; {count} partition{'s' if count != 1 else ''}{failed}{stopped}{where}"


def dry_run_lines(run: SpecRun) -> list[str]:
    """What a run would export now, window by window (nothing is sent)."""
    cursors = {p.stream.ref: p.cursor_before for p in run.partitions}
    lines = membership_lines(run.spec, run.added, run.removed, cursors)
    for part in run.partitions:
        who = _who(run.spec, part.stream)
        if part.error is not None:
            lines.append(f"{who}: cannot run: {printable(part.error)}")
            continue
        for window in part.plan.windows:
            lines.append(f"{who} would export {span_text(window)} (~{window.rows_estimate:,} rows)")
        if not part.plan.windows:
            lines.append(f"{who}: nothing to export (cursor {instant(part.cursor_before)})")
    planned = sum(len(p.plan.windows) for p in run.partitions)
    lines.append(
        f"{printable(run.spec)}: dry run: {planned} window{'s' if planned != 1 else ''} "
        f"would be exported with {printable(run.schema)}; nothing was sent"
    )
    return lines

"""The windows a partition exports next: pure functions, data in, data out.

Windows are aligned to the window size (window ``k`` is ``[k*W, (k+1)*W)`` ns since the epoch,
so ``1d`` windows are UTC days); a partition's first cursor is its ``start`` rounded down to a
window boundary, so every window is whole. A window is planned only once it is

- **closed**: its end is at or before ``now - lag`` (data newer than that may still arrive);
- **covered**: its end is at or before the end of what availability reports as collected (the
  latest ``to`` of the datastream's ranges), so collection has moved past it.

A closed and covered window that no availability range touches (a gap: no subscription then)
holds no data: it is not exported, but the cursor moves past it (:attr:`Plan.advance_to`), so a
gap is crossed once and never asked about again. Ranges are read as inclusive of ``to``: a
window that only touches a range's last instant is still exported.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple


class AvailableRange(NamedTuple):
    """A collected range of a datastream (``client.availability.get``), ns since the epoch."""

    from_ns: int
    to_ns: int
    rows_estimate: int = 0


@dataclass(frozen=True)
class Window:
    """One export: rows with ``start_ns <= collection timestamp < end_ns``."""

    start_ns: int
    end_ns: int
    rows_estimate: int = 0


@dataclass(frozen=True)
class Plan:
    """What a partition exports next, in order, and where its cursor stands after them."""

    windows: tuple[Window, ...]
    advance_to: int  # the cursor once every window is on disk (empty windows crossed too)
    ready_until: int  # the end of the closed and covered windows (the planner's horizon)


def align_down(instant_ns: int, window_ns: int) -> int:
    """The window boundary at or before ``instant_ns``."""
    if window_ns <= 0:
        raise ValueError(f"the window must be positive, not {window_ns} ns")
    return instant_ns - instant_ns % window_ns


def first_cursor(start_ns: int, window_ns: int) -> int:
    """A new partition's cursor: its ``start`` rounded down to a window boundary."""
    return align_down(start_ns, window_ns)


def merged(ranges: Iterable[AvailableRange]) -> list[AvailableRange]:
    """Ranges sorted and merged where they overlap or touch (estimates added up)."""
    out: list[AvailableRange] = []
    for current in sorted(r for r in ranges if r.to_ns >= r.from_ns):
        if out and current.from_ns <= out[-1].to_ns + 1:
            last = out[-1]
            out[-1] = AvailableRange(
                last.from_ns,
                max(last.to_ns, current.to_ns),
                last.rows_estimate + current.rows_estimate,
            )
        else:
            out.append(current)
    return out


def horizon(
    *, now_ns: int, lag_ns: int, window_ns: int, ranges: Iterable[AvailableRange]
) -> int | None:
    """The end of the last window that is closed and covered (None: nothing collected yet)."""
    frontier = max((r.to_ns for r in ranges), default=None)
    if frontier is None:
        return None
    return align_down(min(now_ns - lag_ns, frontier), window_ns)


def plan_windows(
    cursor_ns: int,
    *,
    now_ns: int,
    lag_ns: int,
    window_ns: int,
    availability: Iterable[AvailableRange],
    max_windows: int | None = None,
) -> Plan:
    """The next windows of a partition whose rows are on disk up to ``cursor_ns``.

    A cursor that is not on a boundary (the window size of the spec changed) gets a first
    window from the cursor to the next boundary. ``max_windows`` bounds one run's work; the
    cursor then stops at the end of the last window planned.
    """
    ranges = merged(availability)
    ready = horizon(now_ns=now_ns, lag_ns=lag_ns, window_ns=window_ns, ranges=ranges)
    if ready is None or ready <= cursor_ns:
        return Plan((), cursor_ns, max(cursor_ns, ready or cursor_ns))
    windows: list[Window] = []
    for window in _windows_touching(cursor_ns, ready, window_ns, ranges):
        if max_windows is not None and len(windows) >= max_windows:
            return Plan(tuple(windows), windows[-1].end_ns, ready)
        windows.append(window)
    return Plan(tuple(windows), ready, ready)


def _windows_touching(
    cursor_ns: int, ready_ns: int, window_ns: int, ranges: list[AvailableRange]
) -> Iterator[Window]:
    """The windows of ``[cursor_ns, ready_ns)`` that some range touches, in order, once each."""
    last_end = cursor_ns
    for available in ranges:
        low = max(available.from_ns, last_end)
        high = min(available.to_ns + 1, ready_ns)  # ``to`` is inclusive
        if low >= high:
            continue
        start = max(align_down(low, window_ns), last_end)
        while start < high:
            end = align_down(start, window_ns) + window_ns
            yield Window(start, end, _estimate(start, end, ranges))
            start = last_end = end


def _estimate(start_ns: int, end_ns: int, ranges: list[AvailableRange]) -> int:
    """Rows expected in ``[start_ns, end_ns)``: each range's estimate, by the share it overlaps."""
    total = 0.0
    for available in ranges:
        span = available.to_ns + 1 - available.from_ns
        overlap = min(end_ns, available.to_ns + 1) - max(start_ns, available.from_ns)
        if overlap > 0 and span > 0:
            total += available.rows_estimate * overlap / span
    return round(total)

"""The window planner: no gap, no overlap, aligned, lag respected, never past availability."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemac.feed.planner import (
    AvailableRange,
    Plan,
    Window,
    align_down,
    first_cursor,
    merged,
    plan_windows,
)

HOUR = 3_600_000_000_000
MINUTE = 60_000_000_000
T0 = 1_767_225_600_000_000_000  # 2026-01-01T00:00:00Z


def test_hourly_windows_up_to_now_minus_lag() -> None:
    plan = plan_windows(
        T0,
        now_ns=T0 + 3 * HOUR + 20 * MINUTE,
        lag_ns=30 * MINUTE,
        window_ns=HOUR,
        availability=[AvailableRange(T0 - HOUR, T0 + 3 * HOUR + 20 * MINUTE, 1000)],
    )
    assert [(w.start_ns - T0, w.end_ns - T0) for w in plan.windows] == [
        (0, HOUR),
        (HOUR, 2 * HOUR),
    ]  # the third hour ends at 3h > now - lag = 2h50m: not closed yet
    assert plan.advance_to == T0 + 2 * HOUR


def test_nothing_collected_means_no_window() -> None:
    plan = plan_windows(T0, now_ns=T0 + 10 * HOUR, lag_ns=0, window_ns=HOUR, availability=[])
    assert plan == Plan((), T0, T0)


def test_a_window_waits_until_collection_has_passed_it() -> None:
    ranges = [AvailableRange(T0, T0 + 90 * MINUTE, 90)]
    plan = plan_windows(T0, now_ns=T0 + 10 * HOUR, lag_ns=0, window_ns=HOUR, availability=ranges)
    assert [(w.start_ns, w.end_ns) for w in plan.windows] == [(T0, T0 + HOUR)]
    assert plan.advance_to == T0 + HOUR


def test_a_gap_is_crossed_without_an_export() -> None:
    ranges = [
        AvailableRange(T0, T0 + 30 * MINUTE, 10),
        AvailableRange(T0 + 5 * HOUR, T0 + 6 * HOUR, 10),
    ]
    plan = plan_windows(T0, now_ns=T0 + 7 * HOUR, lag_ns=0, window_ns=HOUR, availability=ranges)
    # hours 1 to 4 are crossed; hour 6 waits: collection has reached only its first instant
    assert [w.start_ns - T0 for w in plan.windows] == [0, 5 * HOUR]
    assert plan.advance_to == T0 + 6 * HOUR


def test_a_cursor_off_the_boundary_gets_a_short_first_window() -> None:
    cursor = T0 + 15 * MINUTE  # the window size of the spec changed from 15m to 1h
    ranges = [AvailableRange(T0, T0 + 3 * HOUR, 100)]
    plan = plan_windows(cursor, now_ns=T0 + 3 * HOUR, lag_ns=0, window_ns=HOUR, availability=ranges)
    assert plan.windows[0] == Window(cursor, T0 + HOUR, plan.windows[0].rows_estimate)
    assert plan.windows[1].start_ns == T0 + HOUR


def test_max_windows_stops_the_cursor_at_the_last_one() -> None:
    ranges = [AvailableRange(T0, T0 + 24 * HOUR, 24)]
    plan = plan_windows(
        T0, now_ns=T0 + 24 * HOUR, lag_ns=0, window_ns=HOUR, availability=ranges, max_windows=5
    )
    assert len(plan.windows) == 5
    assert plan.advance_to == T0 + 5 * HOUR


def test_estimates_share_a_range_by_overlap() -> None:
    ranges = [AvailableRange(T0, T0 + 2 * HOUR, 200)]
    plan = plan_windows(T0, now_ns=T0 + 5 * HOUR, lag_ns=0, window_ns=HOUR, availability=ranges)
    assert [w.rows_estimate for w in plan.windows] == [100, 100]


def test_first_cursor_rounds_start_down() -> None:
    assert first_cursor(T0 + 17 * MINUTE, HOUR) == T0
    assert first_cursor(T0, HOUR) == T0
    with pytest.raises(ValueError, match="positive"):
        align_down(T0, 0)


def test_merged_joins_touching_ranges() -> None:
    assert merged(
        [AvailableRange(5, 9, 1), AvailableRange(0, 4, 1), AvailableRange(20, 10, 9)]
    ) == [AvailableRange(0, 9, 2)]


# -- properties ---------------------------------------------------------------------------------

WINDOWS = st.sampled_from([MINUTE, 15 * MINUTE, HOUR, 90 * MINUTE, 24 * HOUR])


@st.composite
def availability(draw: st.DrawFn) -> list[AvailableRange]:
    """Up to 4 ranges within two days of T0 (overlapping, touching or apart)."""
    out = []
    for _ in range(draw(st.integers(0, 4))):
        start = T0 + draw(st.integers(0, 48 * 60)) * MINUTE + draw(st.integers(0, 59))
        length = draw(st.integers(0, 20 * 60)) * MINUTE
        out.append(AvailableRange(start, start + length, draw(st.integers(0, 10_000))))
    return out


def _inside(instant: int, ranges: list[AvailableRange]) -> bool:
    return any(r.from_ns <= instant <= r.to_ns for r in ranges)


@settings(max_examples=300, deadline=None)
@given(
    window=WINDOWS,
    ranges=availability(),
    cursor_offset=st.integers(-60, 50 * 60),
    now_offset=st.integers(0, 60 * 60),
    lag=st.integers(0, 6 * 60),
)
def test_windows_are_aligned_ordered_closed_and_covered(
    window: int, ranges: list[AvailableRange], cursor_offset: int, now_offset: int, lag: int
) -> None:
    cursor = first_cursor(T0 + cursor_offset * MINUTE, window)
    now, lag_ns = T0 + now_offset * MINUTE, lag * MINUTE
    plan = plan_windows(cursor, now_ns=now, lag_ns=lag_ns, window_ns=window, availability=ranges)
    frontier = max((r.to_ns for r in ranges), default=None)
    previous_end = cursor
    for w in plan.windows:
        assert w.start_ns % window == 0 and w.end_ns % window == 0  # aligned
        assert w.end_ns - w.start_ns == window  # whole (the cursor is on a boundary)
        assert w.start_ns >= previous_end  # ordered, no overlap
        assert w.end_ns <= now - lag_ns  # closed
        assert frontier is not None and w.end_ns <= frontier  # never past availability
        assert _inside(w.start_ns, ranges) or any(
            w.start_ns <= r.to_ns and r.from_ns < w.end_ns for r in ranges
        )  # a window is exported only when some collected range touches it
        previous_end = w.end_ns
    assert plan.advance_to >= cursor
    assert not plan.windows or plan.advance_to >= plan.windows[-1].end_ns
    # no gap: every collected instant the cursor crosses is inside an exported window
    for r in ranges:
        for instant in {r.from_ns, r.to_ns, (r.from_ns + r.to_ns) // 2}:
            if cursor <= instant < plan.advance_to:
                assert any(w.start_ns <= instant < w.end_ns for w in plan.windows)


@settings(max_examples=200, deadline=None)
@given(
    window=WINDOWS,
    ranges=availability(),
    steps=st.lists(st.integers(0, 12 * 60), min_size=1, max_size=6),
    lag=st.integers(0, 120),
    cap=st.none() | st.integers(1, 3),
)
def test_runs_one_after_another_export_what_one_run_would(
    window: int, ranges: list[AvailableRange], steps: list[int], lag: int, cap: int | None
) -> None:
    """Runs at growing `now`, each from the cursor the last one left, export each window once
    and, together, the windows of one run at the last `now` (no gap, no overlap across runs)."""
    cursor = start = first_cursor(T0, window)
    exported: list[Window] = []
    now = T0
    for step in steps:
        now += step * MINUTE
        plan = plan_windows(
            cursor,
            now_ns=now,
            lag_ns=lag * MINUTE,
            window_ns=window,
            availability=ranges,
            max_windows=cap,
        )
        exported.extend(plan.windows)
        cursor = plan.advance_to
    while cap is not None:  # drain what the cap left for later
        plan = plan_windows(
            cursor,
            now_ns=now,
            lag_ns=lag * MINUTE,
            window_ns=window,
            availability=ranges,
            max_windows=cap,
        )
        if not plan.windows and plan.advance_to == cursor:
            break
        exported.extend(plan.windows)
        cursor = plan.advance_to
    once = plan_windows(
        start, now_ns=now, lag_ns=lag * MINUTE, window_ns=window, availability=ranges
    )
    assert [(w.start_ns, w.end_ns) for w in exported] == [
        (w.start_ns, w.end_ns) for w in once.windows
    ]
    assert cursor == once.advance_to

"""The lines and rows `schemac sync` prints, and the one-writer lock of a destination."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemac.cli.remote import Stop
from schemac.cli.remote.syncrun import destination_lock
from schemac.feed.planner import Plan, Window
from schemac.feed.records import FileRecord
from schemac.feed.report import (
    bytes_text,
    duration_text,
    failure_line,
    membership_lines,
    summary_line,
    window_line,
)
from schemac.feed.results import PartitionRun, SpecRun
from schemac.feed.sources import Stream
from schemac.feed.state import FeedState, state_path
from schemac.feed.status import status_cells, status_rows
from schemac.feed.window import WindowDone

HOUR = 3_600_000_000_000
T0 = 1_767_312_000_000_000_000  # 2026-01-02T00:00:00Z
BTC = Stream("binance", "BTCUSDT", "trade", 1011)


def test_durations_and_sizes_read_as_people_write_them() -> None:
    assert [duration_text(n * 1_000_000_000) for n in (5, 600, 3900, 2 * 86400 + 4 * 3600)] == [
        "5s",
        "10m",
        "1h05m",
        "2d04h",
    ]
    assert duration_text(-90 * 1_000_000_000) == "-1m"
    assert [bytes_text(n) for n in (12, 12_345, 3_400_000)] == ["12 bytes", "12.3 kB", "3.4 MB"]


def test_window_and_summary_lines() -> None:
    done = WindowDone(Window(T0, T0 + HOUR), "exp_1", (FileRecord("a/b.csv.gz", 2048),))
    assert window_line("btc", BTC, done) == (
        "btc binance:BTCUSDT:trade 2026-01-02T00:00:00Z to 2026-01-02T01:00:00Z: "
        "1 file, 2.0 kB (exp_1)"
    )
    part = PartitionRun(BTC, T0, Plan((done.window,), T0 + 2 * HOUR, T0 + 2 * HOUR), [done])
    run = SpecRun("btc", Path("data"), "sch_1 v2", partitions=[part])
    assert summary_line(run) == (
        "btc: 1 window exported (1 files, 2.0 kB) with sch_1 v2; 1 partition; "
        "cursor at 2026-01-02T02:00:00Z"
    )
    failed = PartitionRun(BTC, T0, Plan((), T0, T0), error="HTTP 503\x1b[2J")
    assert failure_line("btc", failed) == (
        "btc binance:BTCUSDT:trade: failed: HTTP 503\\x1b[2J; the cursor stays at "
        "2026-01-02T00:00:00Z, the next run starts again there"
    )
    nothing = SpecRun("btc", Path("data"), "sch_1 v2", partitions=[failed])
    assert summary_line(nothing).startswith("btc: nothing exported; 1 partition, 1 failed")


def test_membership_lines_name_where_a_partition_starts() -> None:
    lines = membership_lines("btc", ["a:B:trade"], ["c:D:trade"], {"a:B:trade": T0})
    assert lines == [
        "btc: added a:B:trade (from 2026-01-02T00:00:00Z)",
        "btc: removed c:D:trade (its files and cursor stay)",
    ]


def test_status_rows_come_from_the_state_alone(tmp_path: Path) -> None:
    with FeedState(state_path(tmp_path)) as state:
        state.follow("btc", [(1011, BTC.ref)], cursor_ns=T0, now_ns=T0)
        state.record_failure("btc", 1011, "HTTP 503", now_ns=T0 + 5 * 10**9 + 7)
        (row,) = status_rows(state, "btc", now_ns=T0 + 3 * HOUR)
    assert status_cells(row) == (
        "btc",
        BTC.ref,
        "2026-01-02T00:00:00Z",
        "3h00m",
        "2026-01-02T00:00:05Z",
        "1 (HTTP 503)",
        "-",
        "0",
    )
    assert row.as_json()["lag_seconds"] == 3 * 3600


def test_one_sync_at_a_time_per_destination(tmp_path: Path) -> None:
    with (
        destination_lock(tmp_path / "data"),
        pytest.raises(Stop, match="another `schemac sync` is writing"),
        destination_lock(tmp_path / "data"),
    ):
        pass
    with destination_lock(tmp_path / "data"):  # released at the end of the first
        pass

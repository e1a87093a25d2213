"""Where a window's files go: deterministic per window, never colliding between windows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from schemac.feed.layout import (
    HOUR_NS,
    partition_dir,
    safe_component,
    staging_dir,
    window_file_name,
    window_tag,
)

T0 = 1_767_225_600_000_000_000  # 2026-01-01T00:00:00Z
MINUTE = 60_000_000_000


def test_a_window_on_an_hour_keeps_the_vendor_name() -> None:
    name = "binance_BTCUSDT_trade_part_2026010110.csv.gz"
    assert window_file_name(name, T0 + 10 * HOUR_NS) == name


def test_a_window_off_the_hour_is_named_by_its_start() -> None:
    start = T0 + 10 * HOUR_NS + 15 * MINUTE
    assert window_tag(start) == "_from_20260101T101500Z"
    assert (
        window_file_name("binance_BTCUSDT_trade_part_2026010110.parquet", start)
        == "binance_BTCUSDT_trade_part_2026010110_from_20260101T101500Z.parquet"
    )
    assert window_tag(start + 7) == "_from_20260101T101500n000000007Z"


def test_names_from_the_api_cannot_leave_the_destination(tmp_path: Path) -> None:
    assert safe_component("../../etc") == "__.._etc"
    assert safe_component("..") == "_"
    assert safe_component(".hidden") == "_hidden"
    assert safe_component("a/b\x1b[31m") == "a_b__31m"
    folder = partition_dir(tmp_path, "..", "BTC/USDT", "trade")
    assert folder.parent.parent.parent == tmp_path
    assert window_file_name("../../x_part_2026010100.csv.gz", T0) == "x_part_2026010100.csv.gz"
    assert staging_dir(tmp_path, "../s", 7).is_relative_to(tmp_path)


def _artifact(hour_ns: int) -> str:
    stamp = dt.datetime.fromtimestamp(hour_ns // 10**9, dt.timezone.utc).strftime("%Y%m%d%H")
    return f"binance_BTCUSDT_trade_part_{stamp}.csv.gz"


@settings(max_examples=200, deadline=None)
@given(
    sizes=st.lists(st.sampled_from([1, 5, 15, 30, 45, 60, 90, 120, 1440]), min_size=1, max_size=30),
    offset=st.integers(0, 59),
)
def test_windows_of_any_sizes_one_after_another_never_share_a_file_name(
    sizes: list[int], offset: int
) -> None:
    """Windows one after another (the window size may change between runs; a first window may
    start off the hour), each with an artifact per hour it touches: no two names are equal."""
    start = T0 + offset * MINUTE
    names: list[str] = []
    for minutes in sizes:
        end = start + minutes * MINUTE
        hour = start - start % HOUR_NS
        while hour < end:
            names.append(window_file_name(_artifact(hour), start))
            hour += HOUR_NS
        start = end
    assert len(names) == len(set(names))

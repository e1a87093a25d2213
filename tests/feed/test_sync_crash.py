"""A run that dies at the worst moment of a window, on purpose: after its files were renamed
into place, before the cursor's commit. The next run redoes that window over its own files,
with the same export, and removes what the dead attempt placed that the redo does not write.

(The random SIGKILLs of test_sync_reliability.py seldom land in that gap of a few
milliseconds; here the commit itself dies, in-process, as a process killed there would.)
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from feed.feedenv import (
    API_KEY,
    DAY_START,
    HOUR_NS,
    T_DAY_NS,
    FeedEnv,
    feed_sandbox,
    preview_rows,
    project,
    rows_on_disk,
)
from schemac.feed.state import FeedState, state_path

BTC = "binance:BTCUSDT:trade"
FOLDER = Path("data") / "binance" / "BTCUSDT" / "trade"


class Killed(BaseException):
    """The process dies here (no handler of schemac's catches a BaseException)."""


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FeedEnv]:
    with feed_sandbox() as (sandbox, log):
        monkeypatch.setenv("TICKSUPPLY_API_KEY", API_KEY)
        monkeypatch.setenv("TICKSUPPLY_BASE_URL", sandbox.url)
        feed = FeedEnv(project(tmp_path), sandbox, log)
        assert feed.run("publish", "--all", "--yes").code == 0
        yield feed


def _spec(env: FeedEnv, fmt: str = "csv") -> None:
    env.spec(
        "btc",
        f"schema: trades\ndatastreams: [{BTC}]\nstart: {DAY_START}\nwindow: 1h\nlag: 0s\n"
        f"format: {fmt}\nparallel: 1\ndestination: data\n",
    )


def _die_at_commit(monkeypatch: pytest.MonkeyPatch, number: int) -> None:
    """The ``number``-th window commit of the run kills it (the earlier ones go through)."""
    real = FeedState.commit_window
    seen: list[int] = []

    def commit(self: FeedState, record: Any, files: Any, *, now_ns: int) -> None:
        seen.append(record.start_ns)
        if len(seen) == number:
            raise Killed
        real(self, record, files, now_ns=now_ns)

    monkeypatch.setattr(FeedState, "commit_window", commit)


def _exports_of(env: FeedEnv, start_ns: int) -> set[str]:
    client = env.sandbox.client(API_KEY)
    return {job.id for job in client.exports.list_all() if job.start_time == start_ns}


def test_a_window_killed_before_its_commit_is_redone_over_its_own_files(
    env: FeedEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    (stream_id,) = env.subscribe(BTC)
    _spec(env)
    third = T_DAY_NS + 2 * HOUR_NS
    with monkeypatch.context() as patched:
        _die_at_commit(patched, 3)
        with pytest.raises(Killed):
            env.run("sync")
    with FeedState(state_path(env.root / "data")) as state:
        (partition,) = state.partitions("btc")
        pending = state.pending("btc", stream_id)
    assert partition.cursor_ns == third  # two windows committed
    assert pending is not None and pending.start_ns == third
    (placed,) = pending.placed  # the third window's file is in place, not committed
    assert (env.root / "data" / placed).is_file()
    made = _exports_of(env, third)
    assert len(made) == 1
    # a killed download leaves its temporary file in the staging folder
    staging = env.root / "data" / ".schemac-sync-staging" / "btc" / str(stream_id)
    staging.mkdir(parents=True, exist_ok=True)
    (staging / ".binance_BTCUSDT_trade_part_2026010202.csv.gz.x1y2.part").write_bytes(b"half")

    again = env.run("sync")
    assert again.code == 0, again.err
    assert _exports_of(env, third) == made  # the same export, not a second one
    with FeedState(state_path(env.root / "data")) as state:
        assert [w.export_id for w in state.windows("btc") if w.start_ns == third] == list(made)
        assert state.pending("btc", stream_id) is None
    on_disk = rows_on_disk(env.root / FOLDER)
    expected = preview_rows(env, stream_id, T_DAY_NS, T_DAY_NS + 6 * HOUR_NS)
    assert (expected - on_disk, on_disk - expected) == (Counter(), Counter())
    assert len(list((env.root / FOLDER).iterdir())) == 6
    assert not (env.root / "data" / ".schemac-sync-staging").exists()


def test_what_a_dead_attempt_placed_and_the_redo_does_not_write_is_removed(
    env: FeedEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    (stream_id,) = env.subscribe(BTC)
    _spec(env, "csv")
    with monkeypatch.context() as patched:
        _die_at_commit(patched, 1)
        with pytest.raises(Killed):
            env.run("sync", "--max-windows", "1")
    csv_file = env.root / FOLDER / "binance_BTCUSDT_trade_part_2026010200.csv.gz"
    assert csv_file.is_file()  # placed, never committed
    _spec(env, "parquet")  # the spec changed before the next run
    assert env.run("sync", "--max-windows", "1").code == 0
    assert not csv_file.exists()
    names = sorted(p.name for p in (env.root / FOLDER).iterdir())
    assert names == ["binance_BTCUSDT_trade_part_2026010200.parquet"]
    with FeedState(state_path(env.root / "data")) as state:
        (window,) = state.windows("btc")
        assert (window.format, state.pending("btc", stream_id)) == ("parquet", None)


def test_killed_while_its_files_are_renamed_the_cursor_has_not_moved(
    env: FeedEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    (stream_id,) = env.subscribe(BTC)
    _spec(env)
    real = os.replace

    def replace(source: Any, target: Any) -> None:
        if ".schemac-sync-staging" not in str(target) and "2026010202" in str(target):
            raise Killed  # the third window's file, staged and complete, not yet in place
        real(source, target)

    with monkeypatch.context() as patched:
        patched.setattr(os, "replace", replace)
        with pytest.raises(Killed):
            env.run("sync")
    with FeedState(state_path(env.root / "data")) as state:
        (partition,) = state.partitions("btc")
    assert partition.cursor_ns == T_DAY_NS + 2 * HOUR_NS  # not past the window being placed
    assert len(list((env.root / FOLDER).iterdir())) == 2
    assert env.run("sync").code == 0
    on_disk = rows_on_disk(env.root / FOLDER)
    expected = preview_rows(env, stream_id, T_DAY_NS, T_DAY_NS + 6 * HOUR_NS)
    assert (expected - on_disk, on_disk - expected) == (Counter(), Counter())

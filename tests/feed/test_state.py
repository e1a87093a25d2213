"""The feed's state file: partitions followed, windows committed atomically, pending resumed."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemac.feed.records import FileRecord, Pending, WindowRecord
from schemac.feed.state import FeedState, StateError, state_path

HOUR = 3_600_000_000_000
T0 = 1_767_225_600_000_000_000


def _pending(start: int, version: int = 1, key: str = "k1") -> Pending:
    request = f"request-{start}-v{version}"  # names the request; the key names the attempt
    return Pending("btc", 7, start, start + HOUR, "sch_1", version, 0, request, key, T0)


def _record(start: int) -> WindowRecord:
    return WindowRecord("btc", 7, start, start + HOUR, "exp_1", "sch_1", 1, "csv", T0)


def test_a_new_partition_starts_at_the_cursor_given(tmp_path: Path) -> None:
    with FeedState(state_path(tmp_path)) as state:
        added, removed = state.follow(
            "btc", [(7, "binance:BTCUSDT:trade")], cursor_ns=T0, now_ns=T0
        )
        assert (added, removed) == (["binance:BTCUSDT:trade"], [])
        partition = state.partition("btc", 7)
        assert partition is not None
        assert (partition.cursor_ns, partition.first_seen_ns, partition.failures) == (T0, T0, 0)
        assert partition.active


def test_removed_partitions_keep_their_cursor_and_resume(tmp_path: Path) -> None:
    with FeedState(state_path(tmp_path)) as state:
        state.follow("btc", [(7, "a"), (8, "b")], cursor_ns=T0, now_ns=T0)
        state.commit_window(_record(T0), [], now_ns=T0)
        assert state.follow("btc", [(8, "b")], cursor_ns=T0, now_ns=T0 + 1) == ([], ["a"])
        gone = state.partition("btc", 7)
        assert gone is not None and not gone.active and gone.cursor_ns == T0 + HOUR
        assert state.follow("btc", [(8, "b")], cursor_ns=T0, now_ns=T0 + 2) == ([], [])
        # back under the filter: reported as added, resumes where it stopped (not at start)
        assert state.follow("btc", [(7, "a"), (8, "b")], cursor_ns=0, now_ns=T0 + 3) == (["a"], [])
        back = state.partition("btc", 7)
        assert back is not None and back.active and back.cursor_ns == T0 + HOUR


def test_specs_sharing_a_state_file_have_their_own_partitions(tmp_path: Path) -> None:
    with FeedState(state_path(tmp_path)) as state:
        state.follow("one", [(7, "a")], cursor_ns=T0, now_ns=T0)
        state.follow("two", [(7, "a")], cursor_ns=T0 - HOUR, now_ns=T0)
        assert [p.cursor_ns for p in state.partitions()] == [T0, T0 - HOUR]
        assert [p.spec for p in state.partitions("two")] == ["two"]


def test_commit_records_window_files_and_advances_the_cursor(tmp_path: Path) -> None:
    with FeedState(state_path(tmp_path)) as state:
        state.follow("btc", [(7, "a")], cursor_ns=T0, now_ns=T0)
        state.begin_window(_pending(T0))
        files = [FileRecord("binance/BTCUSDT/trade/x_part_2026010100.csv.gz", 123)]
        state.commit_window(_record(T0), files, now_ns=T0 + 5)
        assert state.pending("btc", 7) is None
        assert state.files("btc", 7, T0) == files
        assert [(w.start_ns, w.schema_version, w.export_id) for w in state.windows("btc")] == [
            (T0, 1, "exp_1")
        ]
        partition = state.partition("btc", 7)
        assert partition is not None
        assert (partition.cursor_ns, partition.last_run_ns) == (T0 + HOUR, T0 + 5)


def test_a_failed_commit_changes_nothing(tmp_path: Path) -> None:
    with FeedState(state_path(tmp_path)) as state:
        state.follow("btc", [(7, "a")], cursor_ns=T0, now_ns=T0)
        state.begin_window(_pending(T0))
        twice = [FileRecord("f", 1), FileRecord("f", 2)]  # the same path twice: the insert fails
        with pytest.raises(sqlite3.IntegrityError):
            state.commit_window(_record(T0), twice, now_ns=T0)
        partition = state.partition("btc", 7)
        assert partition is not None and partition.cursor_ns == T0
        assert state.windows("btc") == [] and state.pending("btc", 7) is not None


def test_a_pending_window_is_resumed_with_its_key(tmp_path: Path) -> None:
    with FeedState(state_path(tmp_path)) as state:
        state.follow("btc", [(7, "a")], cursor_ns=T0, now_ns=T0)
        first = state.begin_window(_pending(T0, key="first"))
    with FeedState(state_path(tmp_path)) as state:  # a restart
        assert state.begin_window(_pending(T0, key="second")) == first
        # another schema version: another export, another key
        assert state.begin_window(_pending(T0, version=2, key="v2")).idempotency_key == "v2"
        again = state.retry_window(state.pending("btc", 7) or first, "v2-retry")
        assert (again.attempt, again.idempotency_key) == (1, "v2-retry")
        assert state.pending("btc", 7) == again


def test_files_placed_by_an_uncommitted_attempt_are_remembered(tmp_path: Path) -> None:
    with FeedState(state_path(tmp_path)) as state:
        state.follow("btc", [(7, "a")], cursor_ns=T0, now_ns=T0)
        first = state.begin_window(_pending(T0, key="first"))
        state.note_placed(first, ["a/x_part_00.csv.gz"])
    with FeedState(state_path(tmp_path)) as state:  # killed after the rename, restarted
        resumed = state.begin_window(_pending(T0, key="first"))
        assert resumed.placed == ("a/x_part_00.csv.gz",)
        # the spec changed (another request for the window): the placed files are carried over
        other = state.begin_window(_pending(T0, version=2, key="v2"))
        assert (other.idempotency_key, other.placed) == ("v2", ("a/x_part_00.csv.gz",))
        state.commit_window(_record(T0), [FileRecord("a/x_part_00.parquet", 5)], now_ns=T0)
        assert state.pending("btc", 7) is None


def test_failures_count_until_a_success(tmp_path: Path) -> None:
    with FeedState(state_path(tmp_path)) as state:
        state.follow("btc", [(7, "a")], cursor_ns=T0, now_ns=T0)
        state.record_failure("btc", 7, "HTTP 500", now_ns=T0 + 1)
        state.record_failure("btc", 7, "HTTP 503" + "x" * 5000, now_ns=T0 + 2)
        partition = state.partition("btc", 7)
        assert partition is not None and partition.failures == 2
        assert partition.last_error is not None and len(partition.last_error) == 2000
        state.record_run("btc", 7, now_ns=T0 + 3, advance_to=T0 - HOUR)  # never backwards
        partition = state.partition("btc", 7)
        assert partition is not None
        assert (partition.failures, partition.last_error, partition.cursor_ns) == (0, None, T0)


def test_a_state_file_of_a_newer_format_is_refused(tmp_path: Path) -> None:
    path = state_path(tmp_path)
    FeedState(path).close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = '99' WHERE key = 'format_version'")
    with pytest.raises(StateError, match="format 99"):
        FeedState(path)


def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    path = state_path(tmp_path)
    path.write_text("not a database, just text" * 100)
    with pytest.raises(StateError, match="not a database"):
        FeedState(path)


def test_read_only_sees_what_was_committed(tmp_path: Path) -> None:
    with FeedState(state_path(tmp_path)) as state:
        state.follow("btc", [(7, "a")], cursor_ns=T0, now_ns=T0)
    with FeedState(state_path(tmp_path), read_only=True) as state:
        assert [p.ref for p in state.partitions()] == ["a"]


_KILLED = """
import os, sys
from pathlib import Path
from schemac.feed.state import FeedState
from schemac.feed.records import WindowRecord, FileRecord
state = FeedState(Path(sys.argv[1]))
state.follow("btc", [(7, "a")], cursor_ns=0, now_ns=0)
state.commit_window(WindowRecord("btc", 7, 0, 10, None, None, None, "csv", 0), [], now_ns=0)
real = state._db.execute
def die_mid_transaction(sql, *args):
    if sql.startswith("UPDATE partitions"):
        os._exit(9)  # as SIGKILL: no cleanup, no rollback, after the window row was written
    return real(sql, *args)
state._db = type("Db", (), {"execute": staticmethod(die_mid_transaction),
                            "executemany": state._db.executemany})()
state.commit_window(WindowRecord("btc", 7, 10, 20, None, None, None, "csv", 0), [], now_ns=0)
"""


def test_a_process_killed_inside_a_commit_leaves_the_last_commit(tmp_path: Path) -> None:
    path = state_path(tmp_path)
    done = subprocess.run([sys.executable, "-c", _KILLED, str(path)], capture_output=True)
    assert done.returncode == 9, done.stderr.decode()
    with FeedState(path) as state:
        partition = state.partition("btc", 7)
        assert partition is not None and partition.cursor_ns == 10
        assert [w.start_ns for w in state.windows("btc")] == [0]


@settings(max_examples=60, deadline=None)
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(["commit", "fail", "run"]), st.integers(0, 30)), max_size=25
    )
)
def test_the_cursor_is_the_furthest_commit(steps: list[tuple[str, int]]) -> None:
    """Whatever the order of commits, failures and runs, the cursor is the largest window end
    (or run end) committed, never less, and failures count since the last success."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder, FeedState(state_path(Path(folder))) as state:
        state.follow("s", [(1, "a")], cursor_ns=0, now_ns=0)
        cursor, failures = 0, 0
        for action, hours in steps:
            if action == "commit":
                record = WindowRecord(
                    "s", 1, hours * HOUR, (hours + 1) * HOUR, None, None, None, "csv", 0
                )
                state.commit_window(record, [FileRecord(f"f{hours}", hours)], now_ns=0)
                cursor, failures = max(cursor, (hours + 1) * HOUR), 0
            elif action == "fail":
                state.record_failure("s", 1, "x", now_ns=0)
                failures += 1
            else:
                state.record_run("s", 1, now_ns=0, advance_to=hours * HOUR)
                cursor, failures = max(cursor, hours * HOUR), 0
        partition = state.partition("s", 1)
        assert partition is not None
        assert (partition.cursor_ns, partition.failures) == (cursor, failures)

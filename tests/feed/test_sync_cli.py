"""`schemac sync` end to end, through the CLI, against a sandbox on loopback."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from feed.feedenv import (
    API_KEY,
    DAY_START,
    HOUR_NS,
    T_DAY_NS,
    FeedEnv,
    csv_rows,
    feed_sandbox,
    project,
    read_rows,
    write_raw_export,
)
from schemac.feed.state import FeedState, state_path

BTC = "binance:BTCUSDT:trade"
ETH = "binance:ETHUSDT:trade"


def spec_text(datastreams: str = f"[{BTC}]", extra: str = "") -> str:
    return (
        f"schema: trades\ndatastreams: {datastreams}\nstart: {DAY_START}\nwindow: 1h\n"
        f"lag: 0s\ndestination: data/btc\n{extra}"
    )


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FeedEnv]:
    with feed_sandbox() as (sandbox, log):
        monkeypatch.setenv("TICKSUPPLY_API_KEY", API_KEY)
        monkeypatch.setenv("TICKSUPPLY_BASE_URL", sandbox.url)
        feed = FeedEnv(project(tmp_path), sandbox, log)
        published = feed.run("publish", "--all", "--yes")
        assert published.code == 0, published.err
        yield feed


def _data_files(root: Path) -> list[Path]:
    return sorted(p for p in (root / "data").rglob("*") if p.is_file() and ".schemac" not in p.name)


def test_a_run_exports_every_closed_window_then_nothing(env: FeedEnv) -> None:
    env.subscribe(BTC)
    env.spec("btc", spec_text())
    first = env.run("sync")
    assert first.code == 0, first.err
    names = [p.name for p in _data_files(env.root)]
    assert names == [f"binance_BTCUSDT_trade_part_20260102{h:02d}.csv.gz" for h in range(6)]
    assert "btc: 6 windows exported" in first.out
    assert "cursor at 2026-01-02T06:00:00Z" in first.out
    exports = env.requests("POST", "/v1/exports")
    assert sum(exports.values()) >= 6
    env.log.clear()
    again = env.run("sync")
    assert again.code == 0, again.err
    assert "btc: nothing new" in again.out
    assert env.requests("POST", "/v1/exports") == {}  # no export made
    downloads = [k for k in env.requests("GET") if "download" in k or "artifact" in k]
    assert downloads == []  # nothing downloaded
    assert not (env.root / "data" / "btc" / ".schemac-sync-staging").exists()


def test_the_files_hold_exactly_the_rows_of_preview(env: FeedEnv) -> None:
    (stream_id,) = env.subscribe(BTC)
    env.spec("btc", spec_text())
    assert env.run("sync").code == 0
    exported: list[tuple[str, ...]] = []
    header: list[str] = []
    for path in _data_files(env.root):
        header, rows = read_rows(path)
        exported += rows
    stream = env.sandbox.app.catalog.datastream(stream_id)
    messages = list(env.sandbox.messages.messages(stream, T_DAY_NS, T_DAY_NS + 6 * HOUR_NS))
    assert messages, "the sandbox synthesised no messages"
    raw = write_raw_export(env.root / "binance_BTCUSDT_trade_part_2026010200.csv.gz", messages)
    preview = env.run(
        "preview", "schemas/trades.yaml", "--input", str(raw), "--limit", "0", "--format", "csv"
    )
    assert preview.code == 0, preview.err
    expected_header, expected = csv_rows(preview.out)
    assert header == expected_header
    assert sorted(exported) == sorted(expected)


def test_without_its_state_a_sync_starts_again_over_the_same_files(env: FeedEnv) -> None:
    env.subscribe(BTC)
    env.spec("btc", spec_text())
    assert env.run("sync").code == 0
    before = {p.name: read_rows(p)[1] for p in _data_files(env.root)}
    for state_file in (env.root / "data" / "btc").glob(".schemac-sync.sqlite*"):
        state_file.unlink()
    assert env.run("sync").code == 0
    after = {p.name: read_rows(p)[1] for p in _data_files(env.root)}
    assert after == before  # the same names, the same rows: overwritten, not added


def test_status_shows_each_partition(env: FeedEnv) -> None:
    env.subscribe(BTC)
    env.spec("btc", spec_text())
    assert env.run("sync", "--max-windows", "2").code == 0
    table = env.run("sync", "--status")
    assert table.code == 0, table.err
    header, row = table.out.splitlines()[:2]
    assert header.split()[:3] == ["SPEC", "DATASTREAM", "CURSOR"]
    assert row.split()[:3] == ["btc", BTC, "2026-01-02T02:00:00Z"]
    document = json.loads(env.run("sync", "--status", "--format", "json").out)
    (partition,) = document["partitions"]
    assert partition["cursor"] == "2026-01-02T02:00:00Z"
    assert (partition["windows"], partition["failures"], partition["schema_version"]) == (2, 0, 1)


def test_a_dry_run_lists_the_windows_and_sends_no_export(env: FeedEnv) -> None:
    env.subscribe(BTC)
    env.spec("btc", spec_text())
    env.log.clear()
    dry = env.run("sync", "--dry-run")
    assert dry.code == 0, dry.err
    assert dry.out.count("would export") == 6
    assert "nothing was sent" in dry.out
    assert env.requests("POST") == {}
    assert not (env.root / "data").exists()


def test_datastreams_joining_and_leaving_are_reported(env: FeedEnv) -> None:
    env.subscribe(BTC, ETH)
    env.spec("btc", spec_text(extra="", datastreams=f"[{BTC}]"))
    assert env.run("sync", "--max-windows", "1").code == 0
    env.spec("btc", spec_text(datastreams=f"[{BTC}, {ETH}]"))
    both = env.run("sync", "--max-windows", "1")
    assert f"btc: added {ETH} (from 2026-01-02T00:00:00Z)" in both.out
    env.spec("btc", spec_text(datastreams=f"[{ETH}]"))
    gone = env.run("sync", "--max-windows", "1")
    assert f"btc: removed {BTC}" in gone.out
    with FeedState(state_path(env.root / "data" / "btc")) as state:
        cursors = {p.ref: (p.cursor_ns, p.active) for p in state.partitions("btc")}
    assert cursors == {
        BTC: (T_DAY_NS + 2 * HOUR_NS, False),
        ETH: (T_DAY_NS + 2 * HOUR_NS, True),
    }


def test_a_republished_schema_is_used_from_the_next_window(env: FeedEnv) -> None:
    env.subscribe(BTC)
    env.spec("btc", spec_text())
    assert env.run("sync", "--max-windows", "2").code == 0
    schema = env.root / "schemas" / "trades.yaml"
    schema.write_text(schema.read_text() + "  collected_ns:\n    meta: collection_timestamp_ns\n")
    assert env.run("sync").code == 1  # the file differs from what is published: not exported
    assert env.run("publish", "--all", "--yes").code == 0
    assert env.run("sync").code == 0
    with FeedState(state_path(env.root / "data" / "btc")) as state:
        versions = [(w.start_ns - T_DAY_NS) // HOUR_NS for w in state.windows("btc")]
        by_version = {w.start_ns: w.schema_version for w in state.windows("btc")}
    assert versions == list(range(6))
    assert [by_version[T_DAY_NS + h * HOUR_NS] for h in range(6)] == [1, 1, 2, 2, 2, 2]
    headers = {read_rows(path)[0][-1] for path in _data_files(env.root)}
    assert headers == {"trade_id", "collected_ns"}  # the new column from the third window on


def test_bad_input_is_a_message_never_a_traceback(env: FeedEnv) -> None:
    assert env.run("sync").code == 2  # no spec yet
    env.spec("btc", spec_text())
    unknown = env.run("sync", "nope")
    assert (unknown.code, "no sync spec named nope" in unknown.err) == (2, True)
    assert env.run("sync", "--max-windows", "0").code == 2
    assert env.run("sync", "--status", "--follow").code == 2
    assert env.run("sync", "--format", "json").code == 2
    env.spec("bad", "schema: trades\nstart: yesterday\ndestination: data/bad\n")
    broken = env.run("sync", "btc")
    assert broken.code == 1 and "syncs/bad.yaml" in broken.err
    (env.root / "syncs" / "bad.yaml").unlink()
    env.spec("btc", spec_text(datastreams="[binance:NOPEUSDT:trade]"))
    missing = env.run("sync")
    assert missing.code == 1 and "no datastream `binance:NOPEUSDT:trade`" in missing.err
    never = env.run("sync", "--status")
    assert never.code == 0 and "btc: no datastream followed yet" in never.err
    (env.root / "data" / "btc" / ".schemac-sync.sqlite").write_text("not a database" * 100)
    corrupt = env.run("sync")
    assert corrupt.code == 1 and "btc: " in corrupt.err and "not a database" in corrupt.err
    shutil.rmtree(env.root / "data" / "btc")
    (env.root / "data" / "btc").write_text("a file where the destination folder should be")
    unwritable = env.run("sync")
    assert unwritable.code == 1 and "btc: " in unwritable.err
    for result in (unknown, broken, missing, never, corrupt, unwritable):
        assert "Traceback" not in result.err


def test_a_failed_window_keeps_the_cursor_and_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with feed_sandbox(export_fail_rate=1.0) as (sandbox, log):
        monkeypatch.setenv("TICKSUPPLY_API_KEY", API_KEY)
        monkeypatch.setenv("TICKSUPPLY_BASE_URL", sandbox.url)
        env = FeedEnv(project(tmp_path), sandbox, log)
        assert env.run("publish", "--all", "--yes").code == 0
        env.subscribe(BTC)
        env.spec("btc", spec_text())
        for _ in range(2):
            failed = env.run("sync")
            assert failed.code == 1
            assert "failed: export exp_" in failed.err and "Injected failure" in failed.err
        status = json.loads(env.run("sync", "--status", "--format", "json").out)
        (partition,) = status["partitions"]
        assert (partition["cursor"], partition["failures"], partition["windows"]) == (
            "2026-01-02T00:00:00Z",
            2,
            0,
        )
        assert "Injected failure" in partition["last_error"]
        assert _data_files(env.root) == []
        # each run made an export of its own: the key of a failed one is not used again
        assert len(list(sandbox.client(API_KEY).exports.list_all())) == 2

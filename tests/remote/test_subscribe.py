"""`schemac subscribe` and `schemac subscriptions` end to end through the CLI, against the
sandbox on loopback: a subscription is made once, a live one is reported rather than made
again, every page is listed, and a bad reference is a usage error."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from remote.helpers_export import ExportEnv, export_env
from schemac.remote.client import Remote
from schemac.remote.subscriptions import list_subscriptions, subscribe


@pytest.fixture
def env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[ExportEnv]:
    with export_env(tmp_path, monkeypatch, capsys, exports=False) as made:
        yield made


def test_subscribe_makes_a_subscription_once(env: ExportEnv) -> None:
    first = env.run("subscribe", "binance:BTCUSDT:trade", "1012")
    assert first.code == 0, first.err
    lines = first.out.splitlines()
    assert lines[0].startswith("subscribed binance:BTCUSDT:trade (1011): sub_")
    assert lines[1].startswith("subscribed binance:BTCUSDT:orderbook (1012): sub_")
    again = env.run("subscribe", "binance:BTCUSDT:trade")
    assert again.code == 0
    assert again.out.startswith("already subscribed binance:BTCUSDT:trade (1011): sub_")
    live = list(env.client().subscriptions.list_all())
    assert sorted(s.datastream_id for s in live) == [1011, 1012]
    assert env.requests("POST", "/subscriptions") == 2


def test_a_paused_subscription_counts_as_subscribed(env: ExportEnv) -> None:
    stream_id = env.subscribe("binance", "BTCUSDT", "trade")
    (made,) = list(env.client().subscriptions.list_all())
    env.client().subscriptions.pause(made.id)
    result = env.run("subscribe", str(stream_id), "--format", "json")
    (only,) = json.loads(result.out)["subscriptions"]
    assert (only["id"], only["status"], only["created"]) == (made.id, "paused", False)


def test_a_deleted_subscription_is_replaced_by_a_new_one(env: ExportEnv) -> None:
    env.subscribe("binance", "BTCUSDT", "trade")
    (old,) = list(env.client().subscriptions.list_all())
    env.client().subscriptions.delete(old.id)
    result = env.run("subscribe", "binance:BTCUSDT:trade")
    assert result.code == 0 and result.out.startswith("subscribed ")
    (new,) = list(env.client().subscriptions.list_all())
    assert new.id != old.id and new.status.value == "active"


def test_a_race_lost_to_another_run_reports_the_winner(env: ExportEnv) -> None:
    # The account's list was read before another run subscribed: the create is a 409, and the
    # subscription the other run made is reported.
    with Remote(env.sandbox.api_keys[0], base_url=env.sandbox.url) as remote:
        stale = list_subscriptions(remote)
        winner = env.client().subscriptions.create(1011)
        stream = {"datastream_id": 1011, "exchange": "binance", "instrument": "BTCUSDT"}
        outcome = subscribe(remote, {**stream, "stream_type": "trade"}, stale)
    assert (outcome.subscription_id, outcome.created) == (winner.id, False)


def test_bad_references_are_usage_errors_before_any_subscription(env: ExportEnv) -> None:
    for ref in ("binance:NOPE:trade", "not-a-ref"):
        result = env.run("subscribe", "binance:BTCUSDT:trade", ref)
        assert result.code == 2 and "schemac: error:" in result.err
    assert list(env.client().subscriptions.list_all()) == []


def test_subscriptions_lists_every_page(env: ExportEnv) -> None:
    assert env.run("subscriptions").out == "No subscriptions.\n"
    ids = [s.datastream_id for s in env.client().datastreams.list(limit=120).items][:105]
    for stream_id in ids:  # more than one page of 100
        env.client().subscriptions.create(stream_id)
    table = env.run("subscriptions")
    assert table.code == 0
    assert table.out.splitlines()[0].split() == ["ID", "DATASTREAM", "STATUS", "CREATED"]
    assert table.out.endswith("105 subscriptions\n")
    listed = json.loads(env.run("subscriptions", "--format", "json").out)["subscriptions"]
    assert sorted(s["datastream_id"] for s in listed) == sorted(ids)

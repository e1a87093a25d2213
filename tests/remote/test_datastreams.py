"""`schemac datastreams` end to end through the CLI, against the sandbox's catalog on loopback:
the table, the JSON document, every page, the filters, and a datastream resolved by reference."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from remote.helpers_export import ExportEnv, export_env
from schemac.remote.client import Remote
from schemac.remote.datastreams import DatastreamRefError, resolve_datastream


@pytest.fixture
def env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[ExportEnv]:
    with export_env(tmp_path, monkeypatch, capsys, exports=False) as made:
        yield made


def _all(env: ExportEnv, **filters: Any) -> list[dict[str, Any]]:
    """Every datastream, paged through by the official client itself."""
    client = env.client()
    found, token = [], None
    while True:
        page = client.datastreams.list(limit=1000, page_token=token, **filters)
        found += [item.model_dump(mode="json") for item in page.items]
        token = page.next_page_token
        if token is None:
            return found


def test_the_table_lists_the_filtered_datastreams(env: ExportEnv) -> None:
    result = env.run("datastreams", "--exchange", "binance", "--instrument", "BTCUSDT")
    assert result.code == 0, result.err
    expected = _all(env, exchange="binance", instrument="BTCUSDT")
    lines = result.out.splitlines()
    assert lines[0].split() == ["ID", "EXCHANGE", "INSTRUMENT", "STREAM", "TYPE", "WIRE", "FORMAT"]
    assert [line.split() for line in lines[1:-1]] == [
        [str(s["datastream_id"]), "binance", "BTCUSDT", s["stream_type"], s["wire_format"]]
        for s in expected
    ]
    assert lines[-1] == f"{len(expected)} datastreams"
    assert "trade" in {s["stream_type"] for s in expected}
    widths = {line.index("BTCUSDT") for line in lines[1:-1]}
    assert len(widths) == 1  # one column, aligned


def test_json_is_every_datastream_of_every_page(
    env: ExportEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("schemac.remote.datastreams.PAGE_LIMIT", 7)
    result = env.run("datastreams", "--format", "json")
    assert result.code == 0, result.err
    listed = json.loads(result.out)["datastreams"]
    pages = env.requests("GET", "/datastreams")
    expected = _all(env)
    assert listed == expected and len(listed) > 7
    assert pages == math.ceil(len(expected) / 7)


def test_a_filter_that_matches_nothing_says_so(env: ExportEnv) -> None:
    result = env.run("datastreams", "--exchange", "binance", "--instrument", "NOPE")
    assert (result.code, result.out) == (0, "No datastreams match.\n")
    result = env.run("datastreams", "--stream-type", "nope", "--format", "json")
    assert (result.code, json.loads(result.out)) == (0, {"datastreams": []})


def test_without_an_api_key_it_is_a_usage_error(
    env: ExportEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TICKSUPPLY_API_KEY")
    result = env.run("datastreams")
    assert result.code == 2
    assert "set TICKSUPPLY_API_KEY" in result.err and env.log == []


def test_a_reference_resolves_to_the_one_datastream_it_names(env: ExportEnv) -> None:
    from remote.conftest import API_KEY

    (trade,) = [s for s in _all(env, exchange="binance") if s["instrument"] == "BTCUSDT"
                and s["stream_type"] == "trade"]  # fmt: skip
    with Remote(API_KEY, env.sandbox.url) as remote:
        assert resolve_datastream(remote, "binance:BTCUSDT:trade") == trade
        assert resolve_datastream(remote, str(trade["datastream_id"])) == trade
        for missing in ("binance:BTCUSDT:nope", "binance:btcusdt:trade", "4000000000"):
            with pytest.raises(DatastreamRefError, match="no datastream"):
                resolve_datastream(remote, missing)

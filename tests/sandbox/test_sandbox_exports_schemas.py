"""The ``schema`` of an export in each documented form (a built-in name, a pinned ID, a custom
name, an inline object, raw), what is refused at create time, and what an export fails with
when it cannot be rendered."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from ticksupply import InvalidArgumentError, NotFoundError

from schemac.run.exportrender import ClickHouseExportRenderer
from schemac.sandbox import Sandbox, start_sandbox

from .helpers import FakeClock

NOW = 1_767_225_600
START, END = (NOW - 3600) * 10**9, NOW * 10**9
TS = {"output_column": "ts", "meta": {"value": "collection_timestamp_ns", "format": "ms"}}
PRICE = {
    "output_column": "price",
    "data": {"binance": {"json": {"path": "data.p", "type": "decimal(2)"}}},
}
QTY = {
    "output_column": "qty",
    "data": {"binance": {"json": {"path": "data.q", "type": "f64"}}},
}


@pytest.fixture(scope="module")
def renderer() -> ClickHouseExportRenderer:
    return ClickHouseExportRenderer()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(float(NOW))


@pytest.fixture
def sandbox(clock: FakeClock, renderer: ClickHouseExportRenderer) -> Iterator[Sandbox]:
    with start_sandbox(clock=clock, export_delay=10, renderer=renderer) as running:
        yield running


def _stream(client: Any) -> int:
    found = client.datastreams.list(exchange="binance", instrument="BTCUSDT", stream_type="trade")
    return int(found.items[0].datastream_id)


@pytest.fixture
def client(sandbox: Sandbox) -> Iterator[Any]:
    with sandbox.client(timeout=120) as official:  # an export renders on its first look
        official.subscriptions.create(datastream_id=_stream(official))
        yield official


def _header(client: Any, clock: FakeClock, job: Any) -> list[str]:
    clock.advance(10)
    assert client.exports.get(job.id).status.value == "succeeded", client.exports.get(job.id)
    artifact = client.exports.get_download(job.id).artifacts[0]
    text = gzip.decompress(httpx.get(artifact.url).content).decode()
    return text.splitlines()[0].split(",")


def test_a_schema_id_is_pinned_to_the_version_published_at_create_time(
    client: Any, clock: FakeClock
) -> None:
    schema = client.export_schemas.create("my_trades", "trade", [TS, PRICE])
    job = client.exports.create(_stream(client), START, END, schema=schema.id)
    client.export_schemas.update(schema.id, [TS, QTY])  # version 2, after the export
    assert _header(client, clock, job) == ["ts", "price"]
    later = client.exports.create(_stream(client), START, END, schema=schema.id)
    assert _header(client, clock, later) == ["ts", "qty"]


def test_a_custom_name_a_builtin_name_and_an_inline_object(client: Any, clock: FakeClock) -> None:
    client.export_schemas.create("my_trades", "trade", [TS, QTY])
    by_name = client.exports.create(_stream(client), START, END, schema="my_trades")
    assert _header(client, clock, by_name) == ["ts", "qty"]
    builtin = client.exports.create(_stream(client), START, END, schema="normalized")
    assert len(_header(client, clock, builtin)) > 2
    inline = client.exports.create(_stream(client), START, END, schema={"columns": [PRICE, TS]})
    assert _header(client, clock, inline) == ["price", "ts"]
    raw = client.exports.create(_stream(client), START, END, schema="raw")
    assert _header(client, clock, raw) == ["collection_timestamp_ns", "raw"]


def test_schemas_that_cannot_serve_the_datastream_are_refused_at_create(client: Any) -> None:
    stream = _stream(client)
    book = client.export_schemas.create("my_book", "orderbook", [TS, PRICE])
    coinbase_only = {**PRICE, "data": {"coinbase": PRICE["data"]["binance"]}}
    refusals: list[tuple[Any, type[Exception], str]] = [
        (book.id, InvalidArgumentError, "category"),
        ("sch_" + "0" * 32, NotFoundError, "not found"),
        ("sch_nope", InvalidArgumentError, "schema id"),
        ("my_book", NotFoundError, "No schema named"),  # a name of another category
        ({"columns": [TS]}, InvalidArgumentError, "no rule for exchange 'binance'"),
        ({"columns": [coinbase_only]}, InvalidArgumentError, "no rule for exchange"),
    ]
    for schema, error, words in refusals:
        with pytest.raises(error) as refused:
            client.exports.create(stream, START, END, schema=schema)
        assert words in str(refused.value), str(refused.value)


def test_a_bad_inline_schema_is_400_at_its_field_in_the_body(client: Any) -> None:
    bad_type = {**PRICE, "data": {"binance": {"json": {"path": "data.p", "type": "money"}}}}
    with pytest.raises(InvalidArgumentError) as refused:
        client.exports.create(_stream(client), START, END, schema={"columns": [TS, bad_type]})
    assert refused.value.details["field"] == "schema.columns[1].data.binance.json.type"
    with pytest.raises(InvalidArgumentError) as empty:
        client.exports.create(_stream(client), START, END, schema={"columns": []})
    assert empty.value.details["field"].startswith("schema.columns")


def test_a_transform_the_engine_refuses_fails_the_export_with_its_reason(
    client: Any, clock: FakeClock
) -> None:
    broken = {
        "output_column": "p",
        "data": {
            "binance": {
                "json": {"path": "data.p", "type": "f64"},
                "transform": "no_such_function({v})",
            }
        },
    }
    job = client.exports.create(_stream(client), START, END, schema={"columns": [broken]})
    clock.advance(10)
    failed = client.exports.get(job.id)
    assert failed.status.value == "failed"
    assert "no_such_function" in (failed.reason or "") and "\n" not in (failed.reason or "")


def test_without_a_renderer_raw_csv_works_and_other_exports_fail_naming_the_extra(
    clock: FakeClock,
) -> None:
    with start_sandbox(clock=clock, export_delay=0) as plain, plain.client() as client:
        client.subscriptions.create(datastream_id=_stream(client))
        raw = client.exports.create(_stream(client), START, END)
        assert raw.status.value == "succeeded"
        assert client.exports.get_download(raw.id).count == 1
        job = client.exports.create(_stream(client), START, END, schema="normalized")
        assert job.status.value == "failed"
        assert "pip install 'schemac[run]'" in (job.reason or "")

"""Request validation (400 invalid_argument with useful details), through the official client."""

from __future__ import annotations

from typing import Any

import pytest
from ticksupply import Client
from ticksupply.exceptions import InvalidArgumentError

from schemac.sandbox import start_sandbox
from schemac.vocabulary import DECIMAL_SCALE_LIMIT

from .helpers import PRICE_COLUMN, TS_COLUMN, columns


def _create_error(client: Client, **body: Any) -> InvalidArgumentError:
    payload = {"name": "s", "stream_category": "trade", "columns": [TS_COLUMN], **body}
    with pytest.raises(InvalidArgumentError) as raised:
        client._http_client.post("/export-schemas", json_data=payload)
    assert raised.value.http_status == 400 and raised.value.code == "invalid_argument"
    assert raised.value.details is not None
    return raised.value


def _data(path: str = "data.p", type_: str = "f64", **extractor: Any) -> dict[str, Any]:
    return {
        "output_column": "x",
        "data": {"binance": {"json": {"path": path, "type": type_}, **extractor}},
    }


def test_too_many_columns_reports_the_cap_and_the_count(client: Client) -> None:
    error = _create_error(client, columns=columns(142))
    assert error.message == "Schema has too many columns"
    assert error.details == {"max_columns": 100, "provided": 142}
    assert client.export_schemas.create("at_cap", "trade", columns=columns(100)).version == 1


def test_max_columns_is_configurable() -> None:
    with start_sandbox(max_columns=3) as sandbox, sandbox.client() as client:
        assert client.export_schemas.create("s", "trade", columns=columns(3)).version == 1
        schema_id = client.export_schemas.list()[-1].id
        for call in (
            lambda: client.export_schemas.create("t", "trade", columns=columns(4)),
            lambda: client.export_schemas.update(schema_id, columns=columns(4)),
            lambda: client.export_schemas.create_draft(schema_id, columns=columns(4)),
        ):
            with pytest.raises(InvalidArgumentError) as raised:
                call()
            assert raised.value.details == {"max_columns": 3, "provided": 4}


@pytest.mark.parametrize(
    ("column", "field", "words"),
    [
        ({"output_column": "x"}, "columns[0]", "exactly one of meta or data"),
        (
            {**TS_COLUMN, "output_column": "x", "data": PRICE_COLUMN["data"]},
            "columns[0]",
            "exactly one of meta or data",
        ),
        (
            {"output_column": "x", "meta": {"value": "exchange_timestamp"}},
            "columns[0].meta.value",
            "collection_timestamp_ns",
        ),
        (
            {"output_column": "x", "meta": {"value": "collection_timestamp_ns", "format": "h"}},
            "columns[0].meta.format",
            "iso8601",
        ),
        (_data(type_="decimal"), "columns[0].data.binance.json.type", "decimal(N)"),
        (
            _data(type_=f"decimal({DECIMAL_SCALE_LIMIT + 1})"),
            "columns[0].data.binance.json.type",
            f"0..{DECIMAL_SCALE_LIMIT}",
        ),
        (_data(type_="i32"), "columns[0].data.binance.json.type", "f64"),
        (_data(type_="String"), "columns[0].data.binance.json.type", "string"),
        (_data(path=""), "columns[0].data.binance.json.path", "dot-notation"),
        (_data(path="data..p"), "columns[0].data.binance.json.path", "dot-notation"),
        (_data(transform=""), "columns[0].data.binance.transform", "at least 1"),
        ({"output_column": "x", "data": {}}, "columns[0].data", "at least 1"),
        (
            {"output_column": "x", "data": {"Binance": {"json": {"path": "p", "type": "f64"}}}},
            "columns[0].data.Binance (key)",
            "exchange code",
        ),
        ({"output_column": "", "meta": {"value": "collection_timestamp_ns"}}, "columns[0]", ""),
        (
            {"output_column": "x", "meta": {"value": "collection_timestamp_ns"}, "id": "c1"},
            "columns[0].id",
            "not permitted",
        ),
    ],
)
def test_invalid_columns(client: Client, column: dict[str, Any], field: str, words: str) -> None:
    error = _create_error(client, columns=[column])
    assert error.details is not None
    assert error.details["field"].startswith(field)
    assert words in error.message
    assert {"field", "message"} <= set(error.details["errors"][0])


@pytest.mark.parametrize(
    "type_", ["decimal(0)", "decimal(18)", "decimal(38)", "f64", "i64", "string", "bool"]
)
def test_the_five_types_are_accepted(client: Client, type_: str) -> None:
    created = client.export_schemas.create(f"t_{type_}", "trade", columns=[_data(type_=type_)])
    data = created.columns[0].data
    assert data is not None and data["binance"].json_ is not None
    assert data["binance"].json_.type == type_


@pytest.mark.parametrize("meta_format", ["ns", "us", "ms", "s", "iso8601"])
def test_meta_formats_are_accepted(client: Client, meta_format: str) -> None:
    column = {
        "output_column": "ts",
        "meta": {"value": "collection_timestamp_ns", "format": meta_format},
    }
    created = client.export_schemas.create(f"m_{meta_format}", "trade", columns=[column])
    assert created.columns[0].meta is not None and created.columns[0].meta.format == meta_format


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"columns": []}, "columns"),
        ({"columns": None}, "columns"),
        ({"stream_category": "trades"}, "stream_category"),
        ({"stream_category": "TRADE"}, "stream_category"),
        ({"stream_category": None}, "stream_category"),
        ({"name": ""}, "name"),
        ({"name": " padded"}, "name"),
        ({"name": "x" * 129}, "name"),
        ({"name": 7}, "name"),
        ({"stream_type": "trade"}, "stream_type"),
        ({"unfold": {"bybit_linear": {"path": ""}}}, "unfold.bybit_linear.path"),
        ({"unfold": {"bybit_linear": "data"}}, "unfold.bybit_linear"),
        ({"derive": {"bybit_linear": []}}, "derive.bybit_linear"),
        (
            {
                "derive": {
                    "x": [
                        {
                            "field": "f",
                            "op": "concat",
                            "arrays": [],
                            "tag_field": "t",
                            "value_field": "v",
                        }
                    ]
                }
            },
            "derive.x[0].op",
        ),
        ({"columns": [TS_COLUMN, TS_COLUMN]}, "body"),
        # Python's `$` matches before a final newline; the documented patterns do not.
        ({"name": "s\n"}, "name"),
        ({"columns": [_data(path="data.p\n")]}, "columns[0].data.binance.json.path"),
        ({"columns": [_data(type_="f64\n")]}, "columns[0].data.binance.json.type"),
        ({"unfold": {"bybit_linear\n": {"path": "data"}}}, "unfold.bybit_linear"),
    ],
)
def test_invalid_create_bodies(client: Client, body: dict[str, Any], field: str) -> None:
    error = _create_error(client, **body)
    assert error.details is not None
    assert any(problem["field"].startswith(field) for problem in error.details["errors"])


def test_missing_name_and_category_are_both_reported(client: Client) -> None:
    with pytest.raises(InvalidArgumentError) as raised:
        client._http_client.post("/export-schemas", json_data={"columns": [TS_COLUMN]})
    assert raised.value.details is not None
    fields = {problem["field"] for problem in raised.value.details["errors"]}
    assert fields == {"name", "stream_category"}


def test_content_endpoints_validate_the_same_way(client: Client) -> None:
    schema = client.export_schemas.create("s", "trade", columns=[TS_COLUMN])
    client.export_schemas.create_draft(schema.id)
    bad = [{"output_column": "x"}]
    for call in (
        lambda: client.export_schemas.update(schema.id, columns=bad),
        lambda: client.export_schemas.create_draft(schema.id, columns=bad),
        lambda: client.export_schemas.update_draft(schema.id, columns=bad),
        lambda: client._http_client.post(f"/export-schemas/{schema.id}/draft", json_data={}),
    ):
        with pytest.raises(InvalidArgumentError):
            call()
    assert client.export_schemas.get(schema.id).version == 1
    draft = client.export_schemas.get_draft(schema.id)
    assert [column.output_column for column in draft.columns] == ["ts"]

"""Parsing each message once (schemac.run.parseonce) gives the rows reading each path with its
own call gives: on both engines, over messages built to find where the two could differ."""

from __future__ import annotations

import decimal
from pathlib import Path
from typing import Any

import pytest

from schemac.run.inputs import inline_batch
from schemac.run.sql import render_sql

from .conftest import load_schema

SCHEMA = """\
name: t
category: trade
exchanges: [binance]
columns:
  price: {type: decimal(2), from: data.p}
  count: {type: i64, from: data.n}
  flag: {type: bool, from: data.m}
  flag_upper: {type: bool, from: data.M}
  text: {type: string, from: data.s}
  ratio: {type: f64, from: data.r}
  deep: {type: string, from: data.x.y.z}
  stream: {type: string, from: stream}
  first_level: {type: decimal(2), from: data.b.0.0}
  again_as_text: {type: string, from: data.p}
  whole_data: {type: string, from: data}
  odd_key: {type: string, from: "data.it's"}
"""

# Each message puts something unusual where the schema expects an object or a value.
MESSAGES = [
    '{"stream": "s", "data": {"p": "12.345", "n": 7, "m": true, "M": false, "s": "BTC", "r": 0.5,'
    ' "x": {"y": {"z": "deep"}}, "b": [["1.5", "2"]], "it\'s": "odd"}}',
    '{"stream": "s"}',
    '{"stream": "s", "data": null}',
    '{"stream": "s", "data": 5}',
    '{"stream": "s", "data": "text"}',
    '{"stream": "s", "data": "{\\"p\\": \\"1.5\\", \\"n\\": 2}"}',  # a string holding an object
    '{"stream": "s", "data": ["1.5", 2, true, false, "BTC", 0.5, {"y": 1}, [1], "x"]}',
    '{"stream": "s", "data": [{"p": "1.5"}, {"n": 2}]}',
    '[{"stream": "s", "data": {"p": "1"}}, 2]',  # a message that is an array
    '"just a string"',
    "17",
    '{"stream": ["s"], "data": {"p": "abc", "n": "7", "m": "true", "M": 1, "s": 12, "r": "x"}}',
    '{"data": {"p": [1], "n": {"a": 1}, "m": null, "s": ["a", "b"], "r": 1e300, "x": [{"y": 2}]}}',
    '{"data": {"p": 1.5, "n": 1.5, "s": {"k": "v"}, "x": {"y": "flat"}, "b": "[[1]]"}}',
    '{"data": {"p": "1", "p": "2", "n": 1, "N": 2, "m": false}}',  # a repeated key
    '{"d\\u0061ta": {"\\u0070": "3.25"}}',  # escaped key names
    '{"data": {"p": "1e3", "n": "0x10", "r": "inf", "s": ""}}',
    '{"data": {"p": "99999999999999999999999999999999999999999", "n": 9223372036854775808}}',
    '{"data": {"x": {"y": {"z": ["deep"]}}, "b": [[], ["3"]]}}',
    '{"data": {}}',
    "{}",
]


def _rows(engine: Any, schema_text: str, tmp_path: Path, parse_once: bool) -> list[Any]:
    (tmp_path / "s.yaml").write_text(schema_text)
    schema = load_schema(tmp_path / "s.yaml")
    sql = render_sql(schema, engine.name, engine.table, parse_once=parse_once)
    return list(engine.rows(sql, inline_batch(MESSAGES, "binance")).to_pylist())


@pytest.mark.parametrize("engine_name", ["clickhouse", "duckdb_engine"])
def test_parsing_once_gives_the_rows_of_one_call_per_path(engine_name, request, tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = request.getfixturevalue(engine_name)
    once = _rows(engine, SCHEMA, tmp_path, parse_once=True)
    per_path = _rows(engine, SCHEMA, tmp_path, parse_once=False)
    assert len(once) == len(MESSAGES)
    assert once == per_path
    assert once[0]["price"] == decimal.Decimal("12.34") or once[0]["price"] == decimal.Decimal(
        "12.35"
    )
    assert once[0]["deep"] == "deep" and once[0]["flag_upper"] is False


def test_the_rendering_parses_the_message_once(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "s.yaml").write_text(SCHEMA)
    schema = load_schema(tmp_path / "s.yaml")
    clickhouse = render_sql(schema, "clickhouse")
    # one named tuple for every path it can hold: data.{p,n,m,M,s,r,x.y.z}, stream
    assert clickhouse.count("JSONExtract(message, 'Tuple(") == 1
    # read on their own: an array position, a path read again as another type, a path that
    # holds other reads, and a key with a quote
    assert "JSONExtract(message, 'data', 'b', 1, 1, 'Nullable(Decimal(38, 2))')" in clickhouse
    assert "JSONExtract(message, 'data', 'p', 'Nullable(String)')" in clickhouse
    assert "JSONExtract(message, 'data', 'Nullable(String)')" in clickhouse
    assert "JSONExtract(message, 'data', 'it''s', 'Nullable(String)')" in clickhouse
    assert clickhouse.count("JSONExtract(") == 5
    duckdb = render_sql(schema, "duckdb")
    assert duckdb.count("json_extract_string(") == 1  # every path in one list


ARRAY_SCHEMA = """\
name: t
category: trade
exchanges: [binance]
columns:
  price: {type: decimal(2), from: data.p}
  count: {type: i64, from: data.n}
"""


@pytest.mark.parametrize("engine_name", ["clickhouse", "duckdb_engine"])
def test_an_array_where_an_object_is_expected_reads_null(engine_name, request, tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = request.getfixturevalue(engine_name)
    (tmp_path / "s.yaml").write_text(ARRAY_SCHEMA)
    schema = load_schema(tmp_path / "s.yaml")
    messages = ['{"data": ["1.5", 2]}', '{"data": [[], "1.5", 2]}', '[{"p": "1"}, "1.5", 2]']
    rows = engine.rows(engine.render(schema), inline_batch(messages, "binance")).to_pylist()
    assert rows == [{"price": None, "count": None}] * 3


def test_the_one_documented_difference_an_array_starting_with_null(clickhouse, tmp_path) -> None:  # type: ignore[no-untyped-def]
    # ClickHouse fills a named tuple from an array by position; the guard that catches it is
    # the array's first element, so an array whose first element is JSON null is read by
    # position (docs/run.md, "The semantics, decided once").
    (tmp_path / "s.yaml").write_text(ARRAY_SCHEMA)
    schema = load_schema(tmp_path / "s.yaml")
    batch = inline_batch(['{"data": [null, "1.5", 2]}'], "binance")
    once = clickhouse.rows(clickhouse.render(schema), batch).to_pylist()
    per_path = clickhouse.rows(
        render_sql(schema, table=clickhouse.table, parse_once=False), batch
    ).to_pylist()
    assert per_path == [{"price": None, "count": None}]
    assert once == [{"price": decimal.Decimal("1.50"), "count": 2}]


UNFOLD_SCHEMA = """\
name: t
category: trade
exchanges: [binance]
unfold: {binance: data}
columns:
  price: {type: decimal(2), from: data.p}
  whole: {type: string, from: data}
"""


@pytest.mark.parametrize("engine_name", ["clickhouse", "duckdb_engine"])
def test_an_unfold_path_without_an_array_gives_no_row(engine_name, request, tmp_path) -> None:  # type: ignore[no-untyped-def]
    # an object, a string holding an array, a number, null, a missing path: no row, and the
    # batch's other messages still give theirs (DuckDB once failed the whole batch here)
    engine = request.getfixturevalue(engine_name)
    (tmp_path / "s.yaml").write_text(UNFOLD_SCHEMA)
    schema = load_schema(tmp_path / "s.yaml")
    messages = [
        '{"data": {"p": "1"}}',
        '{"data": "[{\\"p\\": \\"1\\"}]"}',
        '{"data": 5}',
        '{"data": null}',
        "{}",
        '{"data": [{"p": "2.5"}, null, "x", [1]]}',
    ]
    rows = engine.rows(engine.render(schema), inline_batch(messages, "binance")).to_pylist()
    assert rows == [
        {"price": decimal.Decimal("2.50"), "whole": '{"p":"2.5"}'},
        {"price": None, "whole": None},
        {"price": None, "whole": "x"},
        {"price": None, "whole": "[1]"},
    ]

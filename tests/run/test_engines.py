"""The engines: both give the same rows on every fixture, the types schemac infers are the types
ClickHouse returns, and the semantics decided in schemac.run.semantics hold."""

from __future__ import annotations

import dataclasses
import decimal
from typing import Any

import pytest

from schemac.run.execute import preview
from schemac.run.inputs import SYNTHETIC_START, fixture_sources, inline_batch
from schemac.run.semantics import schemac_type_of
from schemac.run.sql import render_sql
from schemac.types.inspect import inspect_schema, shown_type

from .conftest import SCHEMAS, load_schema

BUNDLED = sorted(p for p in SCHEMAS.glob("*.yaml") if not p.name.endswith(".test.yaml"))


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_duckdb_returns_the_rows_clickhouse_returns(path, clickhouse, duckdb_engine) -> None:  # type: ignore[no-untyped-def]
    schema = load_schema(path)
    sources = fixture_sources(schema.exchanges, schema.category)
    assert sources
    on_clickhouse = preview(schema, sources, clickhouse).rows.to_pylist()
    on_duckdb = preview(schema, sources, duckdb_engine).rows.to_pylist()
    assert on_clickhouse, "the fixtures give rows"
    assert on_duckdb == on_clickhouse  # decimals compare exactly, as Decimal values


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_inferred_types_are_the_engine_types(path, clickhouse) -> None:  # type: ignore[no-untyped-def]
    schema = load_schema(path)
    for exchange in schema.exchanges:
        sources = fixture_sources([exchange], schema.category)
        if not sources:
            continue
        alone = dataclasses.replace(schema, exchanges=[exchange])
        from schemac.run.inputs import batches

        engine_types = clickhouse.type_names(
            render_sql(alone, "clickhouse", clickhouse.table), next(batches(sources))
        )
        report = inspect_schema(alone, "clickhouse")
        for column, engine_type in zip(report.columns, engine_types, strict=True):
            row = next((r for r in column.exchanges if r.exchange == exchange), None)
            inferred = (
                shown_type(row.output, row.nullable)
                if row
                else shown_type(column.output, column.nullable)
            )
            assert inferred == schemac_type_of(engine_type), (exchange, column.name, engine_type)


def _rows(
    engine: Any, schema_text: str, tmp_path: Any, messages: list[str]
) -> list[dict[str, Any]]:
    (tmp_path / "s.yaml").write_text(schema_text)
    schema = load_schema(tmp_path / "s.yaml")
    return list(engine.rows(engine.render(schema), inline_batch(messages, "binance")).to_pylist())


SCHEMA = """\
name: t
category: trade
exchanges: [binance]
columns:
  ns: {meta: collection_timestamp_ns}
  us: {meta: collection_timestamp_ns, format: us}
  ms: {meta: collection_timestamp_ns, format: ms}
  s: {meta: collection_timestamp_ns, format: s}
  iso: {meta: collection_timestamp_ns, format: iso8601}
  price: {type: decimal(2), from: data.p}
  count: {type: i64, from: data.n}
"""


@pytest.mark.parametrize("engine_name", ["clickhouse", "duckdb_engine"])
def test_meta_formats_and_nulls(engine_name, request, tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = request.getfixturevalue(engine_name)
    messages = ['{"data": {"p": "12.345", "n": 7}}', '{"data": {"p": "abc"}}', "{oops"]
    rows = _rows(engine, SCHEMA, tmp_path, messages)
    assert len(rows) == 2  # the line that is not JSON gives no row
    first, second = rows
    assert first["ns"] == SYNTHETIC_START
    assert first["us"] == SYNTHETIC_START // 1000
    assert first["ms"] == SYNTHETIC_START // 1_000_000
    assert first["s"] == SYNTHETIC_START // 1_000_000_000
    assert first["iso"] == "2026-01-01T00:00:00Z"
    assert second["iso"] == "2026-01-01T00:00:00.001000000Z"
    assert first["count"] == 7
    # a value that cannot be read as the type, and a missing path, are NULL
    assert second["price"] is None and second["count"] is None
    assert isinstance(first["price"], decimal.Decimal)


def test_a_message_of_an_exchange_the_schema_does_not_map_gives_no_row(
    clickhouse, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "s.yaml").write_text(SCHEMA)
    schema = load_schema(tmp_path / "s.yaml")
    batch = inline_batch(['{"data": {"p": "1"}}'], "okx")
    assert clickhouse.rows(clickhouse.render(schema), batch).num_rows == 0

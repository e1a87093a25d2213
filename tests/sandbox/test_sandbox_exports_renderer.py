"""The renderer the sandbox runs exports with (``schemac.run.exportrender``), without a server:
its rows are `schemac preview`'s over the same messages, as CSV and as Parquet, and a schema it
cannot run fails in one line."""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path
from typing import Any

import pytest
from helpers import REPO, run_cli

from schemac.remote.local import compile_text
from schemac.run.exportrender import ClickHouseExportRenderer, RenderFailed, schema_from_content
from schemac.sandbox.exportparts import render_parts

HOUR_NS = 3600 * 10**9
T0 = 1_704_067_200 * 10**9  # 2024-01-01T00:00:00Z
FIXTURES = REPO / "schemac" / "data" / "fixtures"


class Stream:
    def __init__(self, exchange: str, instrument: str, stream_type: str) -> None:
        self.exchange, self.instrument, self.stream_type = exchange, instrument, stream_type


def _messages(exchange: str, category: str, copies: int = 7) -> list[tuple[int, str]]:
    """The fixture's messages, repeated, 13 minutes apart: they span several hours."""
    fixture = FIXTURES / exchange / f"{category}.jsonl"
    lines = [line for line in fixture.read_text().splitlines() if line]
    texts = lines * copies
    return [(T0 + index * 13 * 60 * 10**9, text) for index, text in enumerate(texts)]


def _wire(schema_file: str) -> dict[str, Any]:
    path = REPO / "schemas" / schema_file
    wire, problems = compile_text(path.read_text(), str(path))
    assert wire is not None, problems
    return wire


@pytest.fixture(scope="module")
def renderer() -> ClickHouseExportRenderer:
    return ClickHouseExportRenderer()


def _csv_rows(parts: list[Any]) -> list[list[str]]:
    rows: list[list[str]] = []
    for index, part in enumerate(parts):
        table = list(csv.reader(io.StringIO(gzip.decompress(part.content).decode())))
        rows += table if index == 0 else table[1:]  # one header
    return rows


CASES = [
    ("trades.yaml", "binance", "BTCUSDT", "trade"),
    ("book_levels.yaml", "bybit_linear", "BTCUSDT", "orderbook"),  # derive + unfold
]


@pytest.mark.parametrize(("schema_file", "exchange", "instrument", "category"), CASES)
def test_csv_parts_hold_exactly_the_rows_of_preview_over_the_raw_parts(
    tmp_path: Path,
    renderer: ClickHouseExportRenderer,
    schema_file: str,
    exchange: str,
    instrument: str,
    category: str,
) -> None:
    stream = Stream(exchange, instrument, category)
    messages = _messages(exchange, category)
    raw = render_parts(stream, messages, None, "csv", {}, None)  # the sandbox's own raw CSV
    assert len(raw) > 2
    for part in raw:
        (tmp_path / part.filename).write_bytes(part.content)
    parts = render_parts(stream, messages, _wire(schema_file), "csv", {}, renderer)
    assert [p.filename for p in parts] == [p.filename for p in raw]
    result = run_cli(
        "preview",
        str(REPO / "schemas" / schema_file),
        "--input",
        str(tmp_path / "*.csv.gz"),
        "--format",
        "csv",
        "--limit",
        "0",
    )
    assert result.code == 0, result.err
    preview_rows = list(csv.reader(io.StringIO(result.out)))
    assert len(preview_rows) > len(messages) // 2
    assert _csv_rows(parts) == preview_rows


@pytest.mark.parametrize(("schema_file", "exchange", "instrument", "category"), CASES)
def test_parquet_parts_hold_preview_rows_with_the_engine_types(
    tmp_path: Path,
    renderer: ClickHouseExportRenderer,
    schema_file: str,
    exchange: str,
    instrument: str,
    category: str,
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from schemac.run.engines import ClickHouseEngine
    from schemac.run.execute import preview
    from schemac.run.inputs import file_sources

    stream = Stream(exchange, instrument, category)
    messages = _messages(exchange, category)
    for part in render_parts(stream, messages, None, "csv", {}, None):
        (tmp_path / part.filename).write_bytes(part.content)
    options = {"compression": "snappy"}
    parts = render_parts(stream, messages, _wire(schema_file), "parquet", options, renderer)
    tables = [pq.read_table(io.BytesIO(part.content)) for part in parts]
    exported = pa.concat_tables(tables)
    metadata = pq.ParquetFile(io.BytesIO(parts[0].content)).metadata
    assert metadata.row_group(0).column(0).compression == "SNAPPY"
    schema = schema_from_content(_wire(schema_file))
    sources = file_sources([str(tmp_path / "*.csv.gz")], None, schema.exchanges)
    expected = preview(schema, sources, ClickHouseEngine()).rows
    assert exported.schema == expected.schema
    assert exported.to_pylist() == expected.to_pylist()
    if schema_file == "trades.yaml":
        assert str(exported.schema.field("price").type) == "decimal128(38, 8)"


def test_raw_through_the_renderer_is_the_sandboxs_own_raw_csv(
    renderer: ClickHouseExportRenderer,
) -> None:
    stream = Stream("binance", "BTCUSDT", "trade")
    messages = _messages("binance", "trade", 1)
    own = render_parts(stream, messages, None, "csv", {}, None)
    rendered = render_parts(stream, messages, None, "csv", {}, renderer)
    assert [p.content for p in rendered] == [p.content for p in own]


def test_a_schema_the_engine_refuses_fails_in_one_line(
    renderer: ClickHouseExportRenderer,
) -> None:
    content = {
        "columns": [
            {
                "output_column": "x",
                "data": {
                    "binance": {
                        "json": {"path": "data.p", "type": "f64"},
                        "transform": "no_such_function({v})",
                    }
                },
            }
        ]
    }
    with pytest.raises(RenderFailed) as failed:
        renderer.render(content, "binance", _messages("binance", "trade", 1), "csv", {})
    assert "\n" not in str(failed.value) and "no_such_function" in str(failed.value)
    with pytest.raises(RenderFailed, match="cannot be read"):
        renderer.render({"columns": [{"output_column": "x"}]}, "binance", [], "csv", {})


def test_one_exchanges_branch_is_used_only_when_no_column_type_changes() -> None:
    import dataclasses

    from schemac.run.engines import ClickHouseEngine
    from schemac.run.exportrender import message_batch, narrowest_sql

    engine = ClickHouseEngine()
    empty = message_batch([], "binance")
    trades = schema_from_content(_wire("trades.yaml"))
    narrowed = narrowest_sql(engine, trades, "binance")
    assert narrowed == engine.render(dataclasses.replace(trades, exchanges=["binance"]))
    price = {
        "output_column": "price",
        "data": {
            "binance": {"json": {"path": "data.p", "type": "decimal(2)"}},
            "coinbase": {"json": {"path": "price", "type": "f64"}},  # the UNION's type differs
        },
    }
    mixed = schema_from_content({"columns": [price]})
    kept = narrowest_sql(engine, mixed, "binance")
    assert kept == engine.render(mixed)
    alone = engine.render(dataclasses.replace(mixed, exchanges=["binance"]))
    assert engine.rows(alone, empty).schema != engine.rows(kept, empty).schema

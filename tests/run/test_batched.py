"""A run checks each message once (the lines that are not JSON are listed first, and the query
reads that as a column), reads ahead and writes behind in threads, and still gives the rows of
the one rendering, with the bad lines at their file and line."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from schemac.run.execute import preview, run_to_writer
from schemac.run.inputs import Source, batches
from schemac.run.pipeline import Background, prefetch
from schemac.run.writers import RowWriter

from .conftest import SCHEMAS, load_schema

TRADE = (
    '{{"stream":"btcusdt@trade","data":{{"s":"BTCUSDT","t":{i},"p":"9421{d}.15",'
    '"q":"0.5","T":1767225600121,"m":{m}}}}}'
)


def _input(tmp_path: Path, count: int) -> Path:
    lines = []
    for i in range(count):
        lines.append(TRADE.format(i=i, d=i % 10, m="true" if i % 2 else "false"))
        if i % 1000 == 7:
            lines.append("{not json")
        if i % 1500 == 3:
            lines.append("")  # a blank line is no message
    path = tmp_path / "msgs.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize("engine_name", ["clickhouse", "duckdb_engine"])
def test_a_run_gives_the_rows_of_the_plain_rendering(engine_name, request, tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = request.getfixturevalue(engine_name)
    schema = load_schema(SCHEMAS / "trades.yaml")
    sources = [Source(str(_input(tmp_path, 5000)), "binance", "jsonl")]
    expected = [
        row
        for raw in batches(sources, batch_rows=1024)
        for row in engine.rows(engine.render(schema), raw).to_pylist()
    ]
    target = tmp_path / "out.parquet"
    writer = RowWriter(str(target), "parquet")
    from schemac.run import inputs

    original = inputs.BATCH_ROWS
    inputs.BATCH_ROWS = 1024  # many batches through the threads
    try:
        stats = run_to_writer(schema, sources, engine, writer)
    finally:
        inputs.BATCH_ROWS = original
    writer.commit()
    assert pq.read_table(target).to_pylist() == expected
    assert len(expected) == 5000 and stats.rows == 5000 and stats.messages == 5005
    assert stats.bad_count == 5
    # each bad line at its line (line 10: eight trades and a blank line come before it)
    assert [bad.line for bad in stats.bad_lines] == [10, 1011, 2013, 3015, 4016]


def test_preview_reports_the_same_bad_lines(clickhouse, tmp_path) -> None:  # type: ignore[no-untyped-def]
    schema = load_schema(SCHEMAS / "trades.yaml")
    sources = [Source(str(_input(tmp_path, 1200)), "binance", "jsonl")]
    result = preview(schema, sources, clickhouse)
    assert result.rows.num_rows == 1200
    assert [bad.line for bad in result.stats.bad_lines] == [10, 1011]


def test_prefetch_yields_in_order_and_raises_the_producers_error() -> None:
    assert list(prefetch(iter(range(50)))) == list(range(50))

    def failing() -> Iterator[int]:
        yield 1
        raise ValueError("broken input")

    with pytest.raises(ValueError, match="broken input"):
        list(prefetch(failing()))


def test_prefetch_stops_its_thread_when_the_consumer_stops() -> None:
    before = threading.active_count()
    for item in prefetch(iter(range(10_000))):
        if item == 3:
            break
    assert threading.active_count() == before


def test_background_consumes_in_order_and_raises_at_finish() -> None:
    seen: list[int] = []
    output: Background[int] = Background(seen.append)
    for i in range(100):
        output.put(i)
    output.finish()
    assert seen == list(range(100))

    def refuse(item: Any) -> None:
        raise OSError("disk full")

    failing: Background[int] = Background(refuse)
    failing.put(1)
    with pytest.raises(OSError, match="disk full"):
        failing.finish()


def test_a_failed_batch_abandons_the_writer_thread(clickhouse, tmp_path) -> None:  # type: ignore[no-untyped-def]
    schema = load_schema(SCHEMAS / "trades.yaml")
    sources = [Source(str(_input(tmp_path, 10)), "binance", "jsonl")]
    writer = RowWriter(str(tmp_path / "out.parquet"), "parquet")
    before = threading.active_count()

    class Failing:
        name = clickhouse.name

        def render_batched(self, schema: Any) -> str:
            return "SELECT no_such_column FROM " + clickhouse.table_batched

        def __getattr__(self, name: str) -> Any:
            return getattr(clickhouse, name)

    from schemac.run.engines import EngineFailed

    with pytest.raises(EngineFailed):
        run_to_writer(schema, sources, Failing(), writer)  # type: ignore[arg-type]
    writer.abandon()
    assert threading.active_count() == before
    assert not list(tmp_path.glob("*.part"))

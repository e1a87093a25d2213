"""Execute a schema's SQL over raw messages: a preview in memory, or a run streamed to a file.

Both read the inputs a batch at a time (:func:`schemac.run.inputs.batches`), run the one
rendering of :mod:`schemac.run.sql` on the engine, and count what a user needs to trust the
result: messages read, rows produced, NULLs per column, and the lines that were not JSON (each
with its file and line; the rest is still processed).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from schemac.run.inputs import Source, batches
from schemac.run.pipeline import Background, prefetch

if TYPE_CHECKING:
    import pyarrow as pa

    from schemac.core.ir import Schema
    from schemac.run.engines import Engine
    from schemac.run.writers import RowWriter

BAD_LINES_KEPT = 20  # listed one by one; the rest are counted


@dataclass(frozen=True)
class BadLine:
    path: str
    line: int


@dataclass
class RunStats:
    messages: int = 0
    rows: int = 0
    bytes_read: int = 0
    nulls: dict[str, int] = field(default_factory=dict)
    bad_lines: list[BadLine] = field(default_factory=list)
    bad_count: int = 0


Progress = Callable[[RunStats], None]


@dataclass
class Preview:
    rows: pa.Table
    stats: RunStats


def preview(
    schema: Schema, sources: list[Source], engine: Engine, limit: int | None = None
) -> Preview:
    """The rows of ``schema`` over ``sources``; with ``limit``, reading stops once it is met."""
    import pyarrow as pa

    sql = engine.render_batched(schema)
    stats = RunStats(nulls={column.name: 0 for column in schema.columns})
    tables = []
    for raw in batches(sources):
        table = _run_batch(engine, sql, raw, sources, stats)
        tables.append(table)
        if limit is not None and stats.rows >= limit:
            break
    rows = pa.concat_tables(tables) if tables else _empty(engine, sql)
    return Preview(rows.slice(0, limit) if limit is not None else rows, stats)


def run_to_writer(
    schema: Schema,
    sources: list[Source],
    engine: Engine,
    writer: RowWriter,
    progress: Progress | None = None,
) -> RunStats:
    """Every row of ``schema`` over ``sources``, batch by batch, into ``writer``.

    The next batch is read, and the last one written, while the engine runs this one
    (:mod:`schemac.run.pipeline`).
    """
    sql = engine.render_batched(schema)
    stats = RunStats(nulls={column.name: 0 for column in schema.columns})
    output: Background[pa.Table] = Background(writer.write)
    try:
        for raw in prefetch(batches(sources)):
            output.put(_run_batch(engine, sql, raw, sources, stats))
            if progress is not None:
                progress(stats)
    except BaseException:
        output.abandon()
        raise
    output.finish()
    return stats


def _run_batch(
    engine: Engine, sql: str, raw: pa.Table, sources: list[Source], stats: RunStats
) -> pa.Table:
    invalid = engine.invalid_lines(raw)  # the one check of each message (render_batched)
    table = engine.rows(sql, with_validity(raw, invalid))
    stats.messages += raw.num_rows
    stats.rows += table.num_rows
    stats.bytes_read += raw.column("message").nbytes
    for name in stats.nulls:
        stats.nulls[name] += table.column(name).null_count
    stats.bad_count += invalid.num_rows
    room = BAD_LINES_KEPT - len(stats.bad_lines)
    for row in invalid.slice(0, max(room, 0)).to_pylist():
        stats.bad_lines.append(BadLine(sources[row["_source"]].path, row["_line"]))
    return table


def with_validity(raw: pa.Table, invalid: pa.Table) -> pa.Table:
    """``raw`` with the column VALID: false for the lines ``invalid`` lists (source, line)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from schemac.run.engines import VALID

    if invalid.num_rows == 0:
        return raw.append_column(VALID, pa.repeat(pa.scalar(True), raw.num_rows))

    def keys(table: pa.Table) -> pa.ChunkedArray:  # (source, line) as one integer
        source = pc.cast(table.column("_source"), pa.int64())
        return pc.add(pc.multiply(source, 1 << 40), pc.cast(table.column("_line"), pa.int64()))

    bad = pc.is_in(keys(raw), value_set=pa.array(keys(invalid).to_pylist(), pa.int64()))
    return raw.append_column(VALID, pc.invert(bad))


def _empty(engine: Engine, sql: str) -> pa.Table:
    """The result's columns and types with no row, for an input with no message."""
    import pyarrow as pa

    from schemac.run.inputs import _schema

    empty = pa.table({name: [] for name in _schema().names}, schema=_schema())
    return engine.rows(sql, with_validity(empty, empty))

"""The sandbox's exports, rendered by the engine `schemac preview` runs.

``schemac sandbox`` hands a :class:`ClickHouseExportRenderer` to the sandbox (which may import
nothing of schemac but the vocabulary, so it only knows the ``ExportRenderer`` protocol). An
export's content dict is read by the wire-JSON parser that `pull` uses, rendered to the one
SELECT of :mod:`schemac.run.sql` (what `schemac sql` prints) and executed on chDB, the engine
`schemac preview` runs, over the export's messages: an export's rows are exactly `schemac
preview` over the same messages (``tests/sandbox/test_sandbox_exports_preview.py``). One
query per part: preview's batched form spends a second query to list a batch's lines that are
not JSON, which an export does not report. Files are what the vendor sends:

- ``csv``: gzip-compressed CSV with a header, each cell as `schemac preview --format csv`
  writes it (decimals exact, NULL empty);
- ``parquet``: the engine's types, as `schemac run` writes them (``decimal(8)`` is
  ``decimal128(38, 8)``), compressed as ``format_options["compression"]`` says.

The ``raw`` schema is two columns: ``collection_timestamp_ns`` and ``raw`` (the message), the
header `schemac preview --input` reads the vendor's raw exports by.
"""

from __future__ import annotations

import dataclasses
import gzip
import io
import json
import threading
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from schemac.run.engines import EngineFailed

if TYPE_CHECKING:
    import pyarrow as pa

    from schemac.core.ir import Schema
    from schemac.run.engines import ClickHouseEngine

RAW_COLUMNS = ("collection_timestamp_ns", "raw")
BATCH_MESSAGES = 65_536  # what one engine call reads, as preview's batches
COMPILED_KEPT = 64  # rendered SELECTs kept, by schema content
# Inline schemas carry no category; the rendering does not depend on it.
_DEFAULT_CATEGORY = "trade"
_PARQUET_COMPRESSION = {"zstd": "zstd", "snappy": "snappy", "gzip": "gzip", "none": "none"}


class RenderFailed(Exception):
    """The schema cannot be read or run; the message says why, in one line."""


def schema_from_content(content: Mapping[str, Any]) -> Schema:
    """The IR of an API content dict (``columns`` and optional ``unfold``/``derive``), read by
    the wire parser as `schemac pull` reads a remote schema. Raises RenderFailed."""
    from schemac.config import Config
    from schemac.core.loader import load_text
    from schemac.core.parse import parse_document
    from schemac.diagnostics import Severity

    document = {
        "name": str(content.get("name") or "export"),
        "stream_category": str(content.get("stream_category") or _DEFAULT_CATEGORY),
        **{key: content[key] for key in ("columns", "unfold", "derive") if key in content},
    }
    file = "export-schema.json"
    root, problems = load_text(file, json.dumps(document), is_json=True)
    schema = None
    if root is not None:
        schema, found = parse_document(root, file, Config())
        problems = [*problems, *found]
    errors = [d for d in problems if d.severity is Severity.ERROR]
    if schema is None or errors:
        first = errors[0].message if errors else "not a schema"
        raise RenderFailed(f"the export schema cannot be read: {first}")
    return schema


def message_batch(messages: Sequence[tuple[int, str]], exchange: str) -> pa.Table:
    """The raw relation :mod:`schemac.run.engines` reads, for messages held in memory."""
    import pyarrow as pa

    from schemac.run.inputs import _schema

    count = len(messages)
    columns = {
        "collection_timestamp_ns": [ts for ts, _ in messages],
        "exchange": [exchange] * count,
        "message": [text for _, text in messages],
        "_source": [0] * count,
        "_line": list(range(1, count + 1)),
    }
    return pa.table(columns, schema=_schema())


def raw_rows(messages: Sequence[tuple[int, str]]) -> pa.Table:
    """The rows of the ``raw`` schema: the collection time and the message, as collected."""
    import pyarrow as pa

    return pa.table(
        {
            RAW_COLUMNS[0]: pa.array([ts for ts, _ in messages], pa.int64()),
            RAW_COLUMNS[1]: pa.array([text for _, text in messages], pa.string()),
        }
    )


def encode(rows: pa.Table, fmt: str, format_options: Mapping[str, Any]) -> bytes:
    """The bytes of one artifact: gzip CSV with a header, or Parquet."""
    if fmt == "csv":
        from schemac.run.show import write_csv

        text = io.StringIO()
        write_csv(rows, text)
        # mtime=0: the same rows always make the same bytes.
        return gzip.compress(text.getvalue().encode("utf-8"), mtime=0)
    if fmt == "parquet":
        import pyarrow.parquet as pq

        compression = _PARQUET_COMPRESSION[str(format_options.get("compression", "zstd"))]
        sink = io.BytesIO()
        pq.write_table(rows, sink, compression=compression)
        return sink.getvalue()
    raise RenderFailed(f"unknown format {fmt!r}")


def narrowest_sql(engine: ClickHouseEngine, schema: Schema, exchange: str) -> str:
    """The schema's SELECT over messages of ``exchange``: with that exchange's branch only
    when this changes no column's type, else the whole SELECT. The other branches add no row
    for this exchange's messages (each reads only its exchange's), but they take part in the
    result's types (a UNION's common type), and ClickHouse plans one branch several times
    faster than four."""
    whole = engine.render(schema)
    if exchange not in schema.exchanges or len(schema.exchanges) == 1:
        return whole
    one = engine.render(dataclasses.replace(schema, exchanges=[exchange]))
    empty = message_batch([], exchange)
    return one if engine.rows(one, empty).schema == engine.rows(whole, empty).schema else whole


class ClickHouseExportRenderer:
    """The sandbox's ``ExportRenderer``: schemac's SQL on embedded ClickHouse (chDB).

    One chDB session, opened on first use and shared; calls are serialised (the sandbox may
    serve requests on many threads).
    """

    def __init__(self) -> None:
        self._engine: ClickHouseEngine | None = None
        self._lock = threading.Lock()
        self._compiled: dict[tuple[str, str], str] = {}

    def render(
        self,
        schema: Mapping[str, Any] | None,
        exchange: str,
        messages: Sequence[tuple[int, str]],
        fmt: str,
        format_options: Mapping[str, Any],
    ) -> bytes:
        """One artifact of ``messages`` (ascending collection time); ``schema`` None is raw.
        Raises RenderFailed (a schema that cannot be read, a query the engine refuses)."""
        return encode(self.rows(schema, exchange, messages), fmt, format_options)

    def rows(
        self, schema: Mapping[str, Any] | None, exchange: str, messages: Sequence[tuple[int, str]]
    ) -> pa.Table:
        """The rows of ``schema`` over ``messages``, by the SELECT `schemac sql` prints."""
        if schema is None:
            return raw_rows(messages)
        import pyarrow as pa

        starts = range(0, max(len(messages), 1), BATCH_MESSAGES)
        with self._lock:
            engine = self._open()
            try:
                sql = self._sql(engine, schema, exchange)
                tables = [
                    engine.rows(sql, message_batch(messages[at : at + BATCH_MESSAGES], exchange))
                    for at in starts
                ]
            except EngineFailed as failed:
                raise RenderFailed(f"the engine refused the export: {failed}") from None
        return pa.concat_tables(tables) if len(tables) > 1 else tables[0]

    def _sql(self, engine: ClickHouseEngine, schema: Mapping[str, Any], exchange: str) -> str:
        """The schema's SELECT for one exchange's messages, read and rendered once per
        content and exchange (an export's parts, and the exports of a sync, share one)."""
        key = (json.dumps(schema, sort_keys=True), exchange)
        sql = self._compiled.get(key)
        if sql is None:
            sql = narrowest_sql(engine, schema_from_content(schema), exchange)
            if len(self._compiled) >= COMPILED_KEPT:
                self._compiled.clear()
            self._compiled[key] = sql
        return sql

    def _open(self) -> ClickHouseEngine:
        if self._engine is None:
            from schemac.run.engines import ClickHouseEngine

            self._engine = ClickHouseEngine()
        return self._engine

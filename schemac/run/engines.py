"""The engines that execute `schemac sql`: embedded ClickHouse (chDB) and DuckDB.

Both are optional (``pip install 'schemac[run]'``) and imported only here, only when a command
runs a schema. Each engine takes the rendered SELECT and a batch of raw messages (an Arrow table
with the columns of :data:`schemac.run.semantics.RAW_COLUMNS`, plus where each message came
from) and returns the rows as an Arrow table. Nothing else in schemac knows how an engine is
driven.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from schemac.run.semantics import DEFAULT_TABLE
from schemac.run.sql import render_sql

if TYPE_CHECKING:
    import pyarrow as pa

    from schemac.core.ir import Schema

ENGINES = ("clickhouse", "duckdb")
INSTALL_HINT = "pip install 'schemac[run]'"


class EngineMissing(Exception):
    """The engine's package is not installed."""


class EngineFailed(Exception):
    """The engine refused or failed the query; the message is the engine's, first line."""


VALID = "_valid"  # the column a batch gets: is its message JSON (see render_batched)


class Engine(Protocol):
    name: str

    def render(self, schema: Schema) -> str: ...

    def render_batched(self, schema: Schema) -> str:
        """``render``, over a batch whose column VALID says which messages are JSON: the
        batch's lines that are not are listed first (invalid_lines), so the query does not
        check every message again."""
        ...

    def rows(self, sql: str, raw: pa.Table) -> pa.Table: ...

    def invalid_lines(self, raw: pa.Table) -> pa.Table: ...


def open_engine(name: str) -> Engine:
    """The engine called ``name``; raises EngineMissing when its package is absent."""
    if name == "clickhouse":
        return ClickHouseEngine()
    if name == "duckdb":
        return DuckDBEngine()
    raise ValueError(f"unknown engine `{name}` (one of {', '.join(ENGINES)})")


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


class ClickHouseEngine:
    """chDB: ClickHouse in process. The raw batch is read through its Python table function."""

    name = "clickhouse"
    # chDB resolves `Python(name)` against the calling frame's variables: `raw_messages` below.
    # Arrow strings arrive Nullable; the raw relation's columns are not (JSONExtractArrayRaw of
    # a Nullable string would be a Nullable array, which ClickHouse refuses).
    _columns = (
        "assumeNotNull(collection_timestamp_ns) AS collection_timestamp_ns, "
        "assumeNotNull(exchange) AS exchange, assumeNotNull(message) AS message, _source, _line"
    )
    table = f"(SELECT {_columns} FROM Python(raw_messages))"
    table_batched = f"(SELECT {_columns}, {VALID} FROM Python(raw_messages))"

    def __init__(self) -> None:
        try:
            from chdb import session
        except ImportError:
            raise EngineMissing(f"chDB is not installed: {INSTALL_HINT}") from None
        self._session = session.Session()  # type: ignore[no-untyped-call]

    def render(self, schema: Schema) -> str:
        return render_sql(schema, "clickhouse", self.table)

    def render_batched(self, schema: Schema) -> str:
        return render_sql(schema, "clickhouse", self.table_batched, valid_column=VALID)

    def rows(self, sql: str, raw: pa.Table) -> pa.Table:
        import pyarrow as pa

        raw_messages = raw  # noqa: F841 (read by chDB from this frame)
        try:
            result = self._session.query(sql, "Arrow")  # type: ignore[no-untyped-call]
        except Exception as error:  # chDB raises its own error types, and RuntimeError
            raise EngineFailed(_first_line(error)) from None
        # Arrow IPC bytes read in place: chDB's own "ArrowTable" does the same, but imports
        # pandas first (half a second of every run).
        return pa.ipc.open_file(result.get_memview().view()).read_all()

    def invalid_lines(self, raw: pa.Table) -> pa.Table:
        return self.rows(
            f"SELECT _source, _line FROM {self.table} WHERE NOT isValidJSON(message) "
            "ORDER BY _source, _line",
            raw,
        )

    def type_names(self, sql: str, raw: pa.Table) -> list[str]:
        """``toTypeName`` of every result column of ``sql`` (the engine's own types)."""
        columns = self.rows(f"SELECT * FROM ({sql}) LIMIT 0", raw).column_names
        probe = ", ".join(f"toTypeName({_quote(c)})" for c in columns)
        result = self.rows(f"SELECT {probe} FROM ({sql}) LIMIT 1", raw)
        if result.num_rows == 0:
            return []
        return [result.column(i)[0].as_py() for i in range(result.num_columns)]


class DuckDBEngine:
    """DuckDB in process; the raw batch is registered as the relation the SQL reads."""

    name = "duckdb"
    table = DEFAULT_TABLE

    def __init__(self) -> None:
        try:
            import duckdb
        except ImportError:
            raise EngineMissing(f"DuckDB is not installed: {INSTALL_HINT}") from None
        self._connection = duckdb.connect()
        self._connection.execute("SET TimeZone = 'UTC'")

    def render(self, schema: Schema) -> str:
        return render_sql(schema, "duckdb", self.table)

    def render_batched(self, schema: Schema) -> str:
        return render_sql(schema, "duckdb", self.table, valid_column=VALID)

    def rows(self, sql: str, raw: pa.Table) -> pa.Table:
        self._connection.register(self.table, raw)
        try:
            return self._connection.sql(sql).to_arrow_table()
        except Exception as error:  # duckdb.Error and its subclasses
            raise EngineFailed(_first_line(error)) from None
        finally:
            self._connection.unregister(self.table)

    def invalid_lines(self, raw: pa.Table) -> pa.Table:
        return self.rows(
            f"SELECT _source, _line FROM {self.table} WHERE NOT json_valid(message) "
            "ORDER BY _source, _line",
            raw,
        )


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'

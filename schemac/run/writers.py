"""Rows out: Parquet (the engine's types: decimals stay decimals), CSV and JSON Lines.

A :class:`RowWriter` writes into a temporary file beside the target and renames it over the
target only when every row is written (:meth:`RowWriter.commit`); an interrupted run leaves
the target as it was and no half file under its name.
"""

from __future__ import annotations

import contextlib
import datetime
import decimal
import json
import os
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa

FORMATS = ("parquet", "csv", "jsonl")


def format_of(path: str, given: str | None) -> str:
    """``given``, else the format the target's suffix names (``.parquet``, ``.csv``, ``.jsonl``)."""
    if given:
        return given
    for name, suffixes in (
        ("parquet", (".parquet",)),
        ("csv", (".csv",)),
        ("jsonl", (".jsonl", ".ndjson")),
    ):
        if path.endswith(suffixes):
            return name
    raise ValueError(f"{path}: say the format with --format ({', '.join(FORMATS)})")


def json_value(value: Any) -> Any:
    """A cell as JSON writes it: decimals as exact strings, times as ISO-8601."""
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


class RowWriter:
    """Rows of one schema into ``target`` in ``file_format``, atomically."""

    def __init__(self, target: str, file_format: str) -> None:
        self.target = target
        self.format = file_format
        folder = os.path.dirname(os.path.abspath(target))
        self.temporary = os.path.join(folder, f".{os.path.basename(target)}.{os.getpid()}.part")
        self._stream: IO[Any] | None = None
        self._parquet: Any = None
        self._csv: Any = None
        self._schema: pa.Schema | None = None

    def write(self, table: pa.Table) -> None:
        if self._schema is None:
            self._open(table.schema)
        table = table.cast(self._schema)  # later batches as the first: one file, one schema
        if self.format == "parquet":
            self._parquet.write_table(table)
        elif self.format == "csv":
            self._csv.write_table(table)
        else:
            assert self._stream is not None
            for row in table.to_pylist():
                self._stream.write(json.dumps({k: json_value(v) for k, v in row.items()}) + "\n")

    def _open(self, schema: pa.Schema) -> None:
        import pyarrow.csv
        import pyarrow.parquet

        self._schema = schema
        if self.format == "parquet":
            self._parquet = pyarrow.parquet.ParquetWriter(self.temporary, schema)
        elif self.format == "csv":
            self._csv = pyarrow.csv.CSVWriter(self.temporary, schema)
        else:
            self._stream = open(self.temporary, "w", encoding="utf-8")  # noqa: SIM115

    def commit(self, empty_schema: pa.Schema | None = None) -> None:
        """Close the file and move it over the target (an input with no rows writes the header)."""
        if self._schema is None and empty_schema is not None:
            self._open(empty_schema)
        self._close()
        if self._schema is None:  # nothing at all was written: an empty JSON Lines file
            open(self.temporary, "w").close()
        os.replace(self.temporary, self.target)

    def abandon(self) -> None:
        """Close and remove the temporary file; the target is untouched."""
        self._close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.temporary)

    def _close(self) -> None:
        for closable in (self._parquet, self._csv, self._stream):
            if closable is not None:
                closable.close()
        self._parquet = self._csv = self._stream = None

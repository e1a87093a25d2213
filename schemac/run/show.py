"""Rows as a user reads them: an aligned text table, CSV or JSON Lines on a stream."""

from __future__ import annotations

import csv
import json
from typing import IO, TYPE_CHECKING, Any

from schemac.run.writers import json_value

if TYPE_CHECKING:
    import pyarrow as pa

MAX_CELL = 40  # a text-table cell is cut here ("..."), so one long value does not wrap the table


def _text(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(json_value(value))
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 3] + "..."


def table_text(rows: pa.Table) -> str:
    """An aligned table with a header; numbers right-aligned."""
    import pyarrow.types as t

    names = rows.column_names
    cells = [[_text(v) for v in rows.column(name).to_pylist()] for name in names]
    widths = [
        max([len(name), *map(len, column)]) for name, column in zip(names, cells, strict=True)
    ]
    numeric = [
        t.is_integer(f.type) or t.is_floating(f.type) or t.is_decimal(f.type) for f in rows.schema
    ]
    lines = ["  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for index in range(rows.num_rows):
        row = [
            column[index].rjust(w) if right else column[index].ljust(w)
            for column, w, right in zip(cells, widths, numeric, strict=True)
        ]
        lines.append("  ".join(row).rstrip())
    return "\n".join(lines) + "\n"


def write_csv(rows: pa.Table, stream: IO[str]) -> None:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(rows.column_names)
    for row in rows.to_pylist():
        writer.writerow(["" if v is None else json_value(v) for v in row.values()])


def write_json_lines(rows: pa.Table, stream: IO[str]) -> None:
    for row in rows.to_pylist():
        stream.write(json.dumps({k: json_value(v) for k, v in row.items()}) + "\n")

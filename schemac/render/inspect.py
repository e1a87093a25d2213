"""`schemac inspect`'s output: the reports of :mod:`schemac.types.inspect` as a text table (what
a reviewer reads in a pull request) or as JSON (the same data)."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import TYPE_CHECKING

from schemac.fileio import printable
from schemac.render.table import table

if TYPE_CHECKING:
    from schemac.types.inspect import SchemaReport

JSON_VERSION = 1

_HEADERS = ("column", "exchange", "path", "type", "transform / case", "output")


def render_json(reports: list[SchemaReport]) -> str:
    document = {"version": JSON_VERSION, "schemas": [asdict(report) for report in reports]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def render_text(reports: list[SchemaReport]) -> str:
    blocks = [_schema_text(report) for report in reports]
    return "\n".join(blocks)


def _schema_text(report: SchemaReport) -> str:
    from schemac.types.inspect import shown_type

    title = f"{report.name} ({report.category})" + (f"  {report.source}" if report.source else "")
    rows: list[tuple[str, ...]] = []
    for column in report.columns:
        if column.meta is not None:
            rows.append((column.name, "*", "meta", column.output, column.meta, column.output))
            continue
        for index, row in enumerate(column.exchanges):
            how = f"case {row.case}" if row.case is not None else (row.transform or "")
            name = column.name if index == 0 else ""
            output = shown_type(row.output, row.nullable)  # `string?`: a string or NULL
            rows.append((name, row.exchange, row.path, row.type, how, output))
        rows.append(("", "", "", "", "=> column", shown_type(column.output, column.nullable)))
    widths = [max(len(printable(r[i])) for r in [_HEADERS, *rows]) for i in range(len(_HEADERS))]
    rule = tuple("-" * width for width in widths)
    return printable(title) + "\n" + table([_HEADERS, rule, *rows])

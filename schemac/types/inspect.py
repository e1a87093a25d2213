"""`schemac inspect`: per column, what each exchange reads, how, and the type it writes.

:func:`inspect_schema` turns a schema into plain data (the JSON output is that data); the text
renderer prints it as the table a reviewer reads in a pull request.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from schemac.core.ir import CaseMap, CaseScalar, Column, Schema
from schemac.types import lattice
from schemac.types.outputs import case_output, extractor_output

JSON_VERSION = 1
UNKNOWN = "unknown"
CONFLICT = "conflict"


@dataclass(frozen=True, slots=True)
class ExchangeRow:
    exchange: str
    path: str
    type: str  # the declared (input) type
    transform: str | None  # the SQL sent to the API (rendered from `case` when there is one)
    case: str | None  # the `case` mapping as written, when the transform came from one
    output: str  # the inferred output type, or "unknown"


@dataclass(frozen=True, slots=True)
class ColumnReport:
    name: str
    output: str  # the unified type; "unknown" or "conflict" when there is none
    meta: str | None = None  # "collection_timestamp_ns (ms)" for a meta column
    exchanges: list[ExchangeRow] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class SchemaReport:
    name: str
    category: str
    source: str | None
    columns: list[ColumnReport]


def inspect_schema(schema: Schema, dialect: str) -> SchemaReport:
    return SchemaReport(
        schema.name,
        schema.category,
        schema.source,
        [inspect_column(column, dialect) for column in schema.columns],
    )


def inspect_column(column: Column, dialect: str) -> ColumnReport:
    if column.meta is not None:
        output = lattice.META_TYPES.get(column.meta.format, UNKNOWN)
        meta = column.meta.value + (f" ({column.meta.format})" if column.meta.format else "")
        return ColumnReport(column.name, output, meta=meta)
    rows = []
    for exchange, extractor in (column.data or {}).items():
        output = extractor_output(extractor, dialect) or UNKNOWN
        rows.append(
            ExchangeRow(
                exchange,
                extractor.path,
                extractor.type,
                extractor.transform,
                describe_case(extractor.case) if extractor.case is not None else None,
                output,
            )
        )
    return ColumnReport(column.name, unified_output(rows), exchanges=rows)


def unified_output(rows: list[ExchangeRow]) -> str:
    known = [row.output for row in rows if row.output != UNKNOWN]
    if not known:
        return UNKNOWN
    return lattice.join_all(known) or CONFLICT


def describe_case(case: CaseMap) -> str:
    """A `case` mapping in YAML flow style, as the author wrote it."""
    arms = ", ".join(f"{_yaml(arm.when)}: {_yaml(arm.then)}" for arm in case.arms)
    text = "{" + arms + "}"
    if case.has_else and case.otherwise is not None:
        text += f" else {_yaml(case.otherwise)}"
    if case_output(case) is None:
        text += " (values of mixed kinds)"
    return text


def _yaml(value: CaseScalar) -> str:
    from schemac.core.yamltext import NotRepresentable, scalar

    try:
        return scalar(value)
    except NotRepresentable:  # a non-finite number: YAML's own spelling
        return str(value)


# -- renderers ---------------------------------------------------------------------------------


def render_json(reports: list[SchemaReport]) -> str:
    document = {"version": JSON_VERSION, "schemas": [asdict(report) for report in reports]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def render_text(reports: list[SchemaReport]) -> str:
    blocks = [_schema_text(report) for report in reports]
    return "\n".join(blocks)


_HEADERS = ("column", "exchange", "path", "type", "transform / case", "output")


def _schema_text(report: SchemaReport) -> str:
    title = f"{report.name} ({report.category})" + (f"  {report.source}" if report.source else "")
    rows: list[tuple[str, ...]] = []
    for column in report.columns:
        if column.meta is not None:
            rows.append((column.name, "*", "meta", column.output, column.meta, column.output))
            continue
        for index, row in enumerate(column.exchanges):
            how = f"case {row.case}" if row.case is not None else (row.transform or "")
            name = column.name if index == 0 else ""
            rows.append((name, row.exchange, row.path, row.type, how, row.output))
        rows.append(("", "", "", "", "=> column", column.output))
    widths = [max(len(r[i]) for r in [_HEADERS, *rows]) for i in range(len(_HEADERS))]
    lines = [title, _line(_HEADERS, widths), _line(tuple("-" * w for w in widths), widths)]
    lines += [_line(row, widths) for row in rows]
    return "\n".join(lines) + "\n"


def _line(cells: tuple[str, ...], widths: list[int]) -> str:
    return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()

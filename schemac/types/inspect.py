"""`schemac inspect`: per column, what each exchange reads, how, and the type it writes.

:func:`inspect_schema` turns a schema into plain data; :mod:`schemac.render.inspect` prints it
as a table or as JSON (that data as it is).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from schemac.core.ir import CaseMap, CaseScalar, Column, Schema
from schemac.core.yamltext import NotRepresentable, scalar
from schemac.types import lattice
from schemac.types.outputs import case_output, extractor_nullable, extractor_output

UNKNOWN = "unknown"
CONFLICT = "conflict"
NULLABLE_MARK = "?"  # `string?`: a string or NULL (ClickHouse's Nullable(String))


@dataclass(frozen=True, slots=True)
class ExchangeRow:
    exchange: str
    path: str
    type: str  # the declared (input) type
    transform: str | None  # the SQL sent to the API (rendered from `case` when there is one)
    case: str | None  # the `case` mapping as written, when the transform came from one
    output: str  # the inferred output type, or "unknown"
    nullable: bool = True  # whether it can write NULL (a missing path does, unless replaced)


@dataclass(frozen=True, slots=True)
class ColumnReport:
    name: str
    output: str  # the unified type; "unknown" or "conflict" when there is none
    meta: str | None = None  # "collection_timestamp_ns (ms)" for a meta column
    exchanges: list[ExchangeRow] = field(default_factory=list)
    nullable: bool = False  # whether the column can hold NULL (any exchange writes one)


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
        [inspect_column(column, dialect, schema.exchanges) for column in schema.columns],
    )


def inspect_column(
    column: Column, dialect: str, exchanges: list[str] | None = None
) -> ColumnReport:
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
                extractor_nullable(extractor, dialect),
            )
        )
    # An exchange the column does not map writes NULL into it.
    unmapped = any(exchange not in (column.data or {}) for exchange in exchanges or [])
    nullable = unmapped or any(row.nullable for row in rows)
    return ColumnReport(column.name, unified_output(rows), exchanges=rows, nullable=nullable)


def shown_type(output: str, nullable: bool) -> str:
    """A type with its nullability, as inspect's table shows it and the engine test compares it:
    ``decimal(8)?`` for a decimal or NULL."""
    if output in (UNKNOWN, CONFLICT) or not nullable:
        return output
    return output + NULLABLE_MARK


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
    try:
        return scalar(value)
    except NotRepresentable:
        # A non-finite float: a schema file cannot hold one (the parser refuses it), a CaseMap
        # built in code can. Written as YAML spells it, so the mapping still reads as YAML.
        if isinstance(value, float) and math.isnan(value):
            return ".nan"
        return ".inf" if isinstance(value, float) and value > 0 else "-.inf"

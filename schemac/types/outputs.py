"""What each extractor writes into its column: pure type computations, no findings.

The output type of an extractor is, in order: its `case` values' type (read from the mapping
itself, no SQL involved), its transform's inferred type (sqlglot, cached), or its declared type.
Used by the type checks (:mod:`schemac.checks.types`), `schemac inspect` and `schemac diff`.
"""

from __future__ import annotations

from typing import NamedTuple

from schemac.core.ir import CaseMap, Column, Extractor
from schemac.diagnostics import Span
from schemac.types import lattice
from schemac.types.transform import infer_transform


class ExchangeOutput(NamedTuple):
    """What one exchange writes into a column: its output type and where that is decided."""

    exchange: str
    type: str | None  # None: unknown (an untyped transform) or ill-typed (reported)
    span: Span | None


def column_outputs(column: Column, dialect: str) -> list[ExchangeOutput]:
    """Per exchange of a data column, the type it writes and where that is decided."""
    outputs = []
    for exchange, extractor in (column.data or {}).items():
        where = output_span(extractor) or column.span
        outputs.append(ExchangeOutput(exchange, extractor_output(extractor, dialect), where))
    return outputs


def extractor_output(extractor: Extractor, dialect: str) -> str | None:
    """The type an extractor writes into its column; None when unknown or ill-typed."""
    if lattice.kind_of(extractor.type) is None:
        return None  # an invalid declared type is the parser's finding
    if extractor.case is not None:
        return case_output(extractor.case)
    if extractor.transform is not None:
        return infer_transform(extractor.transform, dialect, extractor.type).output
    return extractor.type


def extractor_nullable(extractor: Extractor, dialect: str) -> bool:
    """Whether an extractor can write NULL: its value is NULL when its path is missing, and
    only a `case` with a non-null `else`, or a transform that replaces NULL, writes a value
    then (e.g. ``ifNull({v}, 0)``, or ``CASE WHEN {v} THEN 'a' ELSE 'b' END``)."""
    if extractor.case is not None:
        case = extractor.case
        values = [arm.then for arm in case.arms] + [case.otherwise]
        return not case.has_else or any(value is None for value in values)
    if extractor.transform is not None:
        return infer_transform(extractor.transform, dialect, extractor.type).nullable
    return True


def case_output(case: CaseMap) -> str | None:
    """The type of a `case` mapping's values and `else`; None when their kinds mix."""
    values = [lattice.scalar_type(arm.then) for arm in case.arms]
    if case.has_else and case.otherwise is not None:
        values.append(lattice.scalar_type(case.otherwise))
    return lattice.join_all(values)


def output_span(extractor: Extractor) -> Span | None:
    """Where an extractor's output type is decided: its case, its transform, or its rule.

    For a plain rule, its exchange key rather than its `type`: the type may be the column's,
    written once for every exchange, and a finding should show which exchange it is about.
    """
    if extractor.case is not None and extractor.case.span is not None:
        return extractor.case.span
    if extractor.transform is not None and extractor.transform_span is not None:
        return extractor.transform_span
    return extractor.span or extractor.type_span or extractor.path_span

"""Checks of portability: each transform as DuckDB would run it (translated by sqlglot).

The translation is :func:`schemac.sql.portable.to_duckdb`, the same one the DuckDB rendering
of `schemac sql` uses, so what this check reports is exactly what the rendering could not do.
"""

from __future__ import annotations

from collections.abc import Iterator

from schemac.config import Config
from schemac.core.ir import Schema
from schemac.diagnostics import Diagnostic, Span
from schemac.rules import check
from schemac.rules.run import NOT_PORTABLE


@check(NOT_PORTABLE, scope="portability")
def check_portable_to_duckdb(schema: Schema, config: Config) -> Iterator[Diagnostic]:
    from schemac.sql.portable import to_duckdb

    seen: set[tuple[int, int]] = set()  # a glob shares one transform among exchanges
    fallback = schema.span or Span.point(schema.source or "<schema>")
    for column in schema.columns:
        for exchange, extractor in (column.data or {}).items():
            span = extractor.transform_span or extractor.span or fallback
            if extractor.transform is None or (span.line, span.column) in seen:
                continue
            seen.add((span.line, span.column))
            problem = to_duckdb(extractor.transform, config.dialect).problem
            if problem is None:
                continue
            yield NOT_PORTABLE.at(
                span,
                f"column `{column.name}`, exchange `{exchange}`: the transform is not portable "
                f"to duckdb: {problem}",
                hint="DuckDB would fail or give other rows; run this schema on ClickHouse",
            )

"""Checks over the IR of one schema: column counts, duplicate names, paths, exchanges, derive.

Each check is a plain function ``(schema, config) -> Iterator[Diagnostic]`` registered with
``@check(RULE)`` for the rule it emits (scope "schema"; see :mod:`schemac.rules`). Structural
problems are found while parsing (schemac.core.parse); the checks here need the whole schema.
Transforms are checked in :mod:`schemac.checks.transforms`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from schemac.config import Config
from schemac.core.ir import Extractor, Schema
from schemac.core.paths import path_problem
from schemac.diagnostics import Diagnostic, Span
from schemac.rules import check
from schemac.rules.exchanges import MALFORMED_DERIVE, UNMAPPED_EXCHANGE, UNUSED_EXCHANGE_RULE
from schemac.rules.format import (
    DUPLICATE_COLUMN,
    MALFORMED_PATH,
    TOO_MANY_COLUMNS,
    UNPRINTABLE_NAME,
)


@check(TOO_MANY_COLUMNS)
def check_column_count(schema: Schema, config: Config) -> Iterator[Diagnostic]:
    count = len(schema.columns)
    if count > config.max_columns:
        span = schema.columns[config.max_columns].span or _schema_span(schema)
        message = f"the schema has {count} columns; the API accepts at most {config.max_columns}"
        hint = "split the schema, or set `max_columns` if support raised your account's cap"
        yield TOO_MANY_COLUMNS.at(span, message, hint)


@check(DUPLICATE_COLUMN)
def check_duplicate_columns(schema: Schema, config: Config) -> Iterator[Diagnostic]:
    first_seen: dict[str, Span | None] = {}
    for column in schema.columns:
        if column.name in first_seen:
            first = first_seen[column.name]
            where = f" (first at line {first.line})" if first else ""
            message = f"output column `{column.name}` is defined twice{where}"
            yield DUPLICATE_COLUMN.at(column.span or _schema_span(schema), message)
        else:
            first_seen[column.name] = column.span


@check(UNPRINTABLE_NAME)
def check_printable_names(schema: Schema, config: Config) -> Iterator[Diagnostic]:
    from schemac.fileio import printable

    named = [("schema name", schema.name, schema.name_span)]
    named += [("column name", column.name, column.span) for column in schema.columns]
    for what, name, span in named:
        shown = printable(name)
        if shown != name:
            message = f"{what} `{shown}` holds a control character, bidi control or line separator"
            hint = "the API refuses it; use printable characters (the escapes show where)"
            yield UNPRINTABLE_NAME.at(span or _schema_span(schema), message, hint)


def _extractors(schema: Schema) -> Iterator[tuple[str, str, Extractor]]:
    for column in schema.columns:
        for exchange, extractor in (column.data or {}).items():
            yield column.name, exchange, extractor


@check(MALFORMED_PATH)
def check_paths(schema: Schema, config: Config) -> Iterator[Diagnostic]:
    seen: set[tuple[int, int, str]] = set()  # one `from: path` is shared by every exchange
    for column, _exchange, extractor in _extractors(schema):
        problem = path_problem(extractor.path)
        if problem is None:
            continue
        span = extractor.path_span or _schema_span(schema)
        key = (span.line, span.column, extractor.path)
        if key in seen:
            continue
        seen.add(key)
        yield MALFORMED_PATH.at(span, f"column `{column}`: {problem}: `{extractor.path}`")
    for exchange, unfold in (schema.unfold or {}).items():
        problem = path_problem(unfold.path)
        if problem is not None:
            span = unfold.path_span or _schema_span(schema)
            yield MALFORMED_PATH.at(span, f"unfold of `{exchange}`: {problem}")
    for exchange, fields in (schema.derive or {}).items():
        for field in fields:
            for array in field.arrays:
                problem = path_problem(array.path)
                if problem is not None:
                    span = array.path_span or field.span or _schema_span(schema)
                    message = f"derive `{field.field}` of `{exchange}`: {problem}"
                    yield MALFORMED_PATH.at(span, message)


@check(UNUSED_EXCHANGE_RULE)
def check_unused_exchange_rules(schema: Schema, config: Config) -> Iterator[Diagnostic]:
    data_columns = [c for c in schema.columns if c.data is not None]
    if not data_columns:
        return
    mapped: set[str] = set()
    for column in data_columns:
        mapped.update(column.data or {})
    for (kind, _name), exchanges in schema.unreadable.items():  # reported where written
        if kind == "column":
            mapped.update(exchanges)
    keyed: tuple[tuple[str, dict[str, Any] | None], ...] = (
        ("unfold", schema.unfold),
        ("derive", schema.derive),
    )
    for kind, rules_by_exchange in keyed:
        for exchange, value in (rules_by_exchange or {}).items():
            if exchange in mapped or "*" in mapped:
                continue
            span = getattr(value, "span", None)
            if isinstance(value, list) and value:
                span = value[0].span
            article = "an" if kind[0] in "aeiou" else "a"
            message = f"exchange `{exchange}` has {article} {kind} rule, but no column reads it"
            hint = "map it in the columns' `from`, or remove the rule"
            yield UNUSED_EXCHANGE_RULE.at(span or _schema_span(schema), message, hint)


@check(UNMAPPED_EXCHANGE)
def check_unmapped_exchanges(schema: Schema, config: Config) -> Iterator[Diagnostic]:
    if schema.source_format != "yaml":
        return
    for column in schema.columns:
        missing = [
            ex
            for ex in schema.exchanges
            if ex not in (column.data or {}) and not schema.wrote(("column", column.name), ex)
        ]
        if missing and column.data:
            names = ", ".join(f"`{ex}`" for ex in missing)
            message = f"column `{column.name}` has no rule for {names}"
            hint = (
                "what the API writes for an unmapped exchange is undocumented; map every exchange"
            )
            yield UNMAPPED_EXCHANGE.at(column.span or _schema_span(schema), message, hint)


@check(MALFORMED_DERIVE)
def check_derive(schema: Schema, config: Config) -> Iterator[Diagnostic]:
    from schemac import vocabulary

    fallback = _schema_span(schema)
    for exchange, fields in (schema.derive or {}).items():
        names: set[str] = set()
        for field in fields:
            where = f"derive field `{field.field}` of `{exchange}`"
            if field.op not in vocabulary.DERIVE_OPS:
                message = f"{where}: unknown op `{field.op}`"
                hint = f"the only op is `{vocabulary.DERIVE_OPS[0]}`"
                yield MALFORMED_DERIVE.at(field.op_span or field.span or fallback, message, hint)
            if not field.arrays:
                message = f"{where}: `arrays` is empty; name at least one array to concatenate"
                yield MALFORMED_DERIVE.at(field.arrays_span or field.span or fallback, message)
            if field.tag_field == field.value_field:
                message = f"{where}: `tag_field` and `value_field` are both `{field.tag_field}`"
                hint = "the tag and the original element need two different names"
                yield MALFORMED_DERIVE.at(
                    field.value_field_span or field.span or fallback, message, hint
                )
            tags: set[str] = set()
            for array in field.arrays:
                if array.tag in tags:
                    message = f"{where}: tag `{array.tag}` is used by two arrays"
                    hint = "rows from different arrays are told apart by their tag"
                    yield MALFORMED_DERIVE.at(
                        array.tag_span or field.span or fallback, message, hint
                    )
                tags.add(array.tag)
            if field.field in names:
                message = f"{where}: two derive fields of `{exchange}` are named `{field.field}`"
                yield MALFORMED_DERIVE.at(field.field_span or field.span or fallback, message)
            names.add(field.field)


def _schema_span(schema: Schema) -> Span:
    return schema.span or Span.point(schema.source or "<schema>")

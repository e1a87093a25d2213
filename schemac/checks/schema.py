"""Checks: rules over the IR of one schema. Each check is a plain function registered in CHECKS.

Structural problems are found while parsing (schemac.core.parse); the checks here need the whole
schema: column counts, duplicate names, paths, transforms, how exchanges are used, derive.
"""

from __future__ import annotations

import linecache
from collections.abc import Callable, Iterator

from schemac.config import Config
from schemac.core.ir import Extractor, Schema
from schemac.core.paths import path_problem
from schemac.diagnostics import Diagnostic, Span
from schemac.rules import core as rules

Check = Callable[[Schema, Config], Iterator[Diagnostic]]


def check_column_count(schema: Schema, config: Config) -> Iterator[Diagnostic]:
    count = len(schema.columns)
    if count > config.max_columns:
        span = schema.columns[config.max_columns].span or _schema_span(schema)
        message = f"the schema has {count} columns; the API accepts at most {config.max_columns}"
        hint = "split the schema, or set `max_columns` if support raised your account's cap"
        yield rules.TOO_MANY_COLUMNS.at(span, message, hint)


def check_duplicate_columns(schema: Schema, config: Config) -> Iterator[Diagnostic]:
    first_seen: dict[str, Span | None] = {}
    for column in schema.columns:
        if column.name in first_seen:
            first = first_seen[column.name]
            where = f" (first at line {first.line})" if first else ""
            message = f"output column `{column.name}` is defined twice{where}"
            yield rules.DUPLICATE_COLUMN.at(column.span or _schema_span(schema), message)
        else:
            first_seen[column.name] = column.span


def _extractors(schema: Schema) -> Iterator[tuple[str, str, Extractor]]:
    for column in schema.columns:
        for exchange, extractor in (column.data or {}).items():
            yield column.name, exchange, extractor


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
        yield rules.MALFORMED_PATH.at(span, f"column `{column}`: {problem}: `{extractor.path}`")
    for exchange, unfold in (schema.unfold or {}).items():
        problem = path_problem(unfold.path)
        if problem is not None:
            span = unfold.path_span or _schema_span(schema)
            yield rules.MALFORMED_PATH.at(span, f"unfold of `{exchange}`: {problem}")
    for exchange, fields in (schema.derive or {}).items():
        for field in fields:
            for array in field.arrays:
                problem = path_problem(array.path)
                if problem is not None:
                    span = array.path_span or field.span or _schema_span(schema)
                    message = f"derive `{field.field}` of `{exchange}`: {problem}"
                    yield rules.MALFORMED_PATH.at(span, message)


def check_transforms(schema: Schema, config: Config) -> Iterator[Diagnostic]:
    from schemac.sql import transforms

    seen: set[tuple[int, int]] = set()
    for column, exchange, extractor in _extractors(schema):
        if extractor.transform is None or extractor.case is not None:
            continue  # a rendered `case` is SQL of schemac's own making
        span = extractor.transform_span or extractor.span or _schema_span(schema)
        if (span.line, span.column) in seen:
            continue
        seen.add((span.line, span.column))
        text = extractor.transform
        if not transforms.uses_placeholder(text):
            message = f"column `{column}`, exchange `{exchange}`: the transform does not use {{v}}"
            hint = "refer to the extracted value as {v}, e.g. `round({v}, 2)`"
            yield rules.TRANSFORM_WITHOUT_PLACEHOLDER.at(span, message, hint)
        for finding in transforms.screen_transform(text, config.dialect):
            where = locate_in_scalar(
                span, extractor.transform_style, text, finding.offset, finding.length
            )
            message = f"column `{column}`, exchange `{exchange}`: {finding.message}"
            rule = {
                "syntax": rules.TRANSFORM_SYNTAX,
                "unsafe": rules.TRANSFORM_UNSAFE,
                "free-reference": rules.TRANSFORM_FREE_REFERENCE,
            }[finding.kind]
            yield rule.at(where, message, finding.hint)


def locate_in_scalar(span: Span, style: str | None, text: str, offset: int, length: int) -> Span:
    """The file span of ``text[offset:offset+length]``, for a scalar written at ``span``.

    Exact for one-line plain and quoted scalars and for literal blocks; best effort for escapes
    in double quotes and for folded blocks (it never points outside the scalar).
    """
    offset = max(0, min(offset, len(text)))
    if style in ("|", ">"):
        before = text[:offset]
        line_index = before.count("\n")
        line = span.line + 1 + line_index
        if line > span.end_line:
            return span
        source_line = linecache.getline(span.file, line)
        indent = len(source_line) - len(source_line.lstrip(" "))
        column = indent + 1 + (offset - (before.rfind("\n") + 1))
        return Span(span.file, line, column, line, column + max(1, length))
    if span.line != span.end_line:
        return span
    opening = 1 if style in ("'", '"') else 0
    column = span.column + opening + offset
    end = min(column + max(1, length), span.end_column)
    return Span(span.file, span.line, column, span.line, max(end, column + 1))


def check_exchange_usage(schema: Schema, config: Config) -> Iterator[Diagnostic]:
    mapped: set[str] = set()
    data_columns = [c for c in schema.columns if c.data is not None]
    for column in data_columns:
        mapped.update(column.data or {})
    for kind, keyed in (("unfold", schema.unfold), ("derive", schema.derive)):
        for exchange, value in (keyed or {}).items():
            if exchange in mapped or not data_columns:
                continue
            span = getattr(value, "span", None)
            if isinstance(value, list) and value:
                span = value[0].span
            message = f"exchange `{exchange}` has a {kind} rule, but no column reads it"
            hint = "map it in the columns' `from`, or remove the rule"
            yield rules.UNUSED_EXCHANGE_RULE.at(span or _schema_span(schema), message, hint)
    if schema.source_format != "yaml":
        return
    for column in data_columns:
        missing = [ex for ex in schema.exchanges if ex not in (column.data or {})]
        if missing and column.data:
            names = ", ".join(f"`{ex}`" for ex in missing)
            message = f"column `{column.name}` has no rule for {names}"
            hint = (
                "what the API writes for an unmapped exchange is undocumented; map every exchange"
            )
            yield rules.UNMAPPED_EXCHANGE.at(column.span or _schema_span(schema), message, hint)


def check_derive(schema: Schema, config: Config) -> Iterator[Diagnostic]:
    from schemac import vocabulary

    for exchange, fields in (schema.derive or {}).items():
        names: set[str] = set()
        for field in fields:
            where = f"derive field `{field.field}` of `{exchange}`"
            if field.op not in vocabulary.DERIVE_OPS:
                message = f"{where}: unknown op `{field.op}`"
                hint = f"the only op is `{vocabulary.DERIVE_OPS[0]}`"
                yield rules.MALFORMED_DERIVE.at(field.op_span or field.span, message, hint)
            if not field.arrays:
                message = f"{where}: `arrays` is empty; name at least one array to concatenate"
                yield rules.MALFORMED_DERIVE.at(field.arrays_span or field.span, message)
            if field.tag_field == field.value_field:
                message = f"{where}: `tag_field` and `value_field` are both `{field.tag_field}`"
                hint = "the tag and the original element need two different names"
                yield rules.MALFORMED_DERIVE.at(field.value_field_span or field.span, message, hint)
            tags: set[str] = set()
            for array in field.arrays:
                if array.tag in tags:
                    message = f"{where}: tag `{array.tag}` is used by two arrays"
                    hint = "rows from different arrays are told apart by their tag"
                    yield rules.MALFORMED_DERIVE.at(array.tag_span or field.span, message, hint)
                tags.add(array.tag)
            if field.field in names:
                message = f"{where}: two derive fields of `{exchange}` are named `{field.field}`"
                yield rules.MALFORMED_DERIVE.at(field.field_span or field.span, message)
            names.add(field.field)


def _schema_span(schema: Schema) -> Span:
    return schema.span or Span.point(schema.source or "<schema>")


# Every check over one schema, in the order findings are most useful to read.
CHECKS: tuple[Check, ...] = (
    check_column_count,
    check_duplicate_columns,
    check_paths,
    check_transforms,
    check_exchange_usage,
    check_derive,
)


def check_schema(schema: Schema, config: Config) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for check in CHECKS:
        found.extend(check(schema, config))
    return found

"""Checks of transforms: `{v}` is used, and the SQL screen (syntax, safety, free references).

The screen (:mod:`schemac.sql.transforms`) reports findings inside the transform's text; each
check here keeps those of its own rule and places them in the file
(:meth:`~schemac.diagnostics.ScalarFinding.locate`). The screen of a text runs once per process
whichever of these checks asks first.
"""

from __future__ import annotations

from collections.abc import Iterator

from schemac.config import Config
from schemac.core.ir import Extractor, Schema
from schemac.diagnostics import Diagnostic, Span
from schemac.rules import Rule, check
from schemac.rules.transforms import (
    TRANSFORM_FREE_REFERENCE,
    TRANSFORM_SYNTAX,
    TRANSFORM_UNSAFE,
    TRANSFORM_WITHOUT_PLACEHOLDER,
)


def _written_transforms(schema: Schema) -> Iterator[tuple[str, Extractor, Span]]:
    """Each transform as written, once: a glob or `from: path` shares one among exchanges."""
    seen: set[tuple[int, int]] = set()
    fallback = schema.span or Span.point(schema.source or "<schema>")
    for column in schema.columns:
        for exchange, extractor in (column.data or {}).items():
            if extractor.transform is None or extractor.case is not None:
                continue  # a rendered `case` is SQL of schemac's own making
            span = extractor.transform_span or extractor.span or fallback
            if (span.line, span.column) in seen:
                continue
            seen.add((span.line, span.column))
            yield f"column `{column.name}`, exchange `{exchange}`", extractor, span


@check(TRANSFORM_WITHOUT_PLACEHOLDER)
def check_placeholder(schema: Schema, config: Config) -> Iterator[Diagnostic]:
    from schemac.sql.transforms import uses_placeholder

    for where, extractor, span in _written_transforms(schema):
        if extractor.transform is not None and not uses_placeholder(extractor.transform):
            message = f"{where}: the transform does not use {{v}}"
            hint = "refer to the extracted value as {v}, e.g. `round({v}, 2)`"
            yield TRANSFORM_WITHOUT_PLACEHOLDER.at(span, message, hint)


def _screened(schema: Schema, config: Config, rule: Rule) -> Iterator[Diagnostic]:
    from schemac.sql.transforms import screen_transform

    for where, extractor, span in _written_transforms(schema):
        text = extractor.transform or ""
        for finding in screen_transform(text, config.dialect):
            if finding.code == rule.code:
                yield finding.locate(span, extractor.transform_style, text, f"{where}: ")


@check(TRANSFORM_SYNTAX)
def check_transform_syntax(schema: Schema, config: Config) -> Iterator[Diagnostic]:
    return _screened(schema, config, TRANSFORM_SYNTAX)


@check(TRANSFORM_UNSAFE)
def check_transform_safety(schema: Schema, config: Config) -> Iterator[Diagnostic]:
    return _screened(schema, config, TRANSFORM_UNSAFE)


@check(TRANSFORM_FREE_REFERENCE)
def check_free_references(schema: Schema, config: Config) -> Iterator[Diagnostic]:
    return _screened(schema, config, TRANSFORM_FREE_REFERENCE)

"""Checks of transforms: the SQL screen (`{v}`, syntax, what the expression may contain).

The screen (:mod:`schemac.sql.transforms`) reports findings inside the transform's text; each
check here keeps those of its own rules and places them in the file
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
    TRANSFORM_FUNCTION_NOT_ALLOWED,
    TRANSFORM_HIDDEN_TEXT,
    TRANSFORM_SYNTAX,
    TRANSFORM_TOO_LONG,
    TRANSFORM_UNBOUNDED_SIZE,
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


def _screened(schema: Schema, config: Config, *rules: Rule) -> Iterator[Diagnostic]:
    from schemac.sql.transforms import screen_transform

    codes = {rule.code for rule in rules}
    for where, extractor, span in _written_transforms(schema):
        text = extractor.transform or ""
        for finding in screen_transform(text, config.dialect, config.allow_functions):
            if finding.code in codes:
                yield finding.locate(span, extractor.transform_style, text, f"{where}: ")


@check(TRANSFORM_WITHOUT_PLACEHOLDER)
def check_placeholder(schema: Schema, config: Config) -> Iterator[Diagnostic]:
    return _screened(schema, config, TRANSFORM_WITHOUT_PLACEHOLDER)


@check(TRANSFORM_SYNTAX)
def check_transform_syntax(schema: Schema, config: Config) -> Iterator[Diagnostic]:
    return _screened(schema, config, TRANSFORM_SYNTAX)


@check(TRANSFORM_UNSAFE)
def check_transform_safety(schema: Schema, config: Config) -> Iterator[Diagnostic]:
    return _screened(schema, config, TRANSFORM_UNSAFE)


@check(TRANSFORM_FREE_REFERENCE)
def check_free_references(schema: Schema, config: Config) -> Iterator[Diagnostic]:
    return _screened(schema, config, TRANSFORM_FREE_REFERENCE)


# The allow-list's two verdicts on a call: the function is not on it, or its size is unbounded.
@check(TRANSFORM_FUNCTION_NOT_ALLOWED, TRANSFORM_UNBOUNDED_SIZE)
def check_functions(schema: Schema, config: Config) -> Iterator[Diagnostic]:
    return _screened(schema, config, TRANSFORM_FUNCTION_NOT_ALLOWED, TRANSFORM_UNBOUNDED_SIZE)


# What the text is, before it is parsed: its length and what it hides.
@check(TRANSFORM_TOO_LONG, TRANSFORM_HIDDEN_TEXT)
def check_transform_text(schema: Schema, config: Config) -> Iterator[Diagnostic]:
    return _screened(schema, config, TRANSFORM_TOO_LONG, TRANSFORM_HIDDEN_TEXT)

"""Type checks over one schema: transforms, `case` mappings, and one output type per column.

The output type of each extractor comes from :mod:`schemac.types.outputs`. A `case` is never
re-parsed as SQL here: its typed round trip is a property test instead. Type findings inside a
transform come from the inference (:mod:`schemac.types.transform`) as scalar findings, placed
in the file by :meth:`~schemac.diagnostics.ScalarFinding.locate`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from schemac.config import Config
from schemac.core.ir import CaseMap, CaseScalar, Column, Extractor, Schema
from schemac.diagnostics import Diagnostic, Span
from schemac.rules import check
from schemac.rules import types as rules
from schemac.types import lattice
from schemac.types.outputs import ExchangeOutput, column_outputs
from schemac.types.transform import infer_transform

_ExtractorCheck = Callable[[Extractor, Config, str, Span], Iterator[Diagnostic]]


def _fallback(schema: Schema) -> Span:
    return schema.span or Span.point(schema.source or "<schema>")


def _each_written(
    schema: Schema, config: Config, applies: Callable[[Extractor], bool], inner: _ExtractorCheck
) -> Iterator[Diagnostic]:
    """``inner``'s findings for each written case or transform that it ``applies`` to (one
    written for several exchanges is checked once)."""
    for column in schema.columns:
        if column.data is not None:
            yield from _check_extractors(column, config, _fallback(schema), applies, inner)


def _has_transform(extractor: Extractor) -> bool:
    return extractor.case is None and extractor.transform is not None


def _has_case(extractor: Extractor) -> bool:
    return extractor.case is not None


def _case_types_of(schema: Schema) -> _ExtractorCheck:
    def case_types(
        extractor: Extractor, config: Config, where: str, fallback: Span
    ) -> Iterator[Diagnostic]:
        if extractor.case is None:
            return
        sent_as_bool = None
        bool_keys = any(isinstance(arm.when, bool) for arm in extractor.case.arms)
        if bool_keys and extractor.type == lattice.STRING:  # only then is the catalog asked
            sent_as_bool = _sent_as_bool(schema, config, extractor)
        yield from check_case(extractor.case, extractor.type, where, fallback, sent_as_bool)

    return case_types


def _sent_as_bool(schema: Schema, config: Config, extractor: Extractor) -> str | None:
    """ "`data.m` on binance (trade)" when the catalog says that exchange sends the path as a
    JSON boolean, else None."""
    from schemac.checks.catalog_reads import wire_types

    for read, view in wire_types(schema, config, extractor):
        if view.paths[read.found.catalog_path or ""].types == ("bool",):
            return read.where
    return None


# One inference per transform yields all five verdicts; the runner drops the rules turned off.
@check(
    rules.CASE_BRANCH_TYPE_MISMATCH,
    rules.COMPARISON_TYPE_MISMATCH,
    rules.CASE_WITHOUT_ELSE,
    rules.UNTYPED_TRANSFORM,
    rules.UNKNOWN_FUNCTION,
)
def check_transform_types(schema: Schema, config: Config) -> Iterator[Diagnostic]:
    return _each_written(schema, config, _has_transform, _check_transform)


@check(
    rules.CASE_KEY_TYPE_MISMATCH,
    rules.CASE_VALUE_TYPE_MISMATCH,
    rules.CASE_ELSE_TYPE_MISMATCH,
    rules.INCOMPLETE_BOOL_CASE,
)
def check_case_types(schema: Schema, config: Config) -> Iterator[Diagnostic]:
    """Keys, values, `else` and bool coverage of each `case` mapping, in one walk."""
    return _each_written(schema, config, _has_case, _case_types_of(schema))


@check(rules.COLUMN_TYPE_CONFLICT, rules.COLUMN_PRECISION_MISMATCH)
def check_column_types(schema: Schema, config: Config) -> Iterator[Diagnostic]:
    """One output type per column (the two rules are two verdicts of one comparison)."""
    for column in schema.columns:
        if column.data is not None:
            yield from check_column_outputs(column.name, column_outputs(column, config.dialect))


def _check_extractors(
    column: Column,
    config: Config,
    fallback: Span,
    applies: Callable[[Extractor], bool],
    inner: _ExtractorCheck,
) -> Iterator[Diagnostic]:
    # One written rule may serve several exchanges (a glob, or `from: path`): report it once.
    seen: set[tuple[Span | None, str]] = set()
    for exchange, extractor in (column.data or {}).items():
        # the cheap test first: most extractors have neither a case nor a transform
        if not applies(extractor) or lattice.kind_of(extractor.type) is None:
            continue
        key = (extractor.case.span if extractor.case else extractor.transform_span, extractor.type)
        if key in seen:
            continue
        seen.add(key)
        yield from inner(
            extractor, config, f"column `{column.name}`, exchange `{exchange}`", fallback
        )


def _check_transform(
    extractor: Extractor, config: Config, where: str, fallback: Span
) -> Iterator[Diagnostic]:
    text = extractor.transform or ""
    typing = infer_transform(text, config.dialect, extractor.type, config.allow_functions)
    span = extractor.transform_span or extractor.span or fallback
    for finding in typing.findings:
        yield finding.locate(span, extractor.transform_style, text, f"{where}: ")


def check_case(
    case: CaseMap, input_type: str, where: str, fallback: Span, sent_as_bool: str | None = None
) -> Iterator[Diagnostic]:
    """Keys fit the value read, values share a kind, `else` fits them, a bool case is whole.

    ``sent_as_bool`` names the path when the catalog says the exchange sends a JSON boolean:
    bool keys under a `string` type then mean the type is wrong, not the keys."""
    whole = case.span or fallback
    for arm in case.arms:
        if not lattice.scalar_fits(arm.when, input_type):
            message = (
                f"{where}: `case` key {lattice.describe(arm.when)} is "
                f"{_kind_phrase(lattice.scalar_type(arm.when))}, but the value read is "
                f"{input_type}: it never matches"
            )
            hint = _key_hint(input_type, arm.when)
            if sent_as_bool is not None and isinstance(arm.when, bool):
                hint = (
                    f"{sent_as_bool} is a boolean: read it as one, `type: bool` beside `path` "
                    "(the type is what is read; the `case` values are what is written)"
                )
            yield rules.CASE_KEY_TYPE_MISMATCH.at(arm.when_span or whole, message, hint)
    first = case.arms[0]
    value_type = lattice.scalar_type(first.then)
    for arm in case.arms[1:]:
        other = lattice.scalar_type(arm.then)
        if lattice.kind_of(other) != lattice.kind_of(value_type):
            message = (
                f"{where}: `case` values mix kinds: {lattice.describe(first.then)} is "
                f"{value_type}, {lattice.describe(arm.then)} is {other}"
            )
            hint = "give every value the same type; quote a value to make it a string"
            yield rules.CASE_VALUE_TYPE_MISMATCH.at(arm.then_span or whole, message, hint)
            return  # the values have no one type for `else` to fit
    if case.has_else and case.otherwise is not None:
        other = lattice.scalar_type(case.otherwise)
        if lattice.kind_of(other) != lattice.kind_of(value_type):
            message = (
                f"{where}: `else` {lattice.describe(case.otherwise)} is {other}, but the `case` "
                f"values are {value_type}"
            )
            hint = "give `else` a value of the same type as the mapping's values"
            yield rules.CASE_ELSE_TYPE_MISMATCH.at(case.else_span or whole, message, hint)
    if input_type == lattice.BOOL and not case.has_else:
        covered = {arm.when for arm in case.arms if isinstance(arm.when, bool)}
        if len(covered) == 1:
            only = covered.pop()
            missing = lattice.describe(not only)
            message = (
                f"{where}: the `case` maps only {lattice.describe(only)}; `{missing}` becomes "
                "NULL (an empty field)"
            )
            hint = f"map `{missing}` too, or add `else`"
            yield rules.INCOMPLETE_BOOL_CASE.at(whole, message, hint)


def check_column_outputs(column: str, outputs: list[ExchangeOutput]) -> Iterator[Diagnostic]:
    """One output type per column: kinds must agree (error), precision should (warning)."""
    known = [output for output in outputs if output.type is not None]
    if len(known) < 2:
        return
    reference = known[0]
    assert reference.type is not None
    reported: set[tuple[str, Span | None]] = set()
    for other in known[1:]:
        assert other.type is not None
        verdict = lattice.relation(reference.type, other.type)
        if verdict is lattice.Relation.SAME:
            continue
        if verdict is lattice.Relation.INCOMPATIBLE:
            for here, there in ((other, reference), (reference, other)):
                key = (rules.COLUMN_TYPE_CONFLICT.code, here.span)
                if key in reported:
                    continue
                reported.add(key)
                yield rules.COLUMN_TYPE_CONFLICT.at(
                    here.span or Span.point("<schema>"),
                    f"column `{column}` is {here.type} on `{here.exchange}` but {there.type} on "
                    f"`{there.exchange}`{_at_line(there.span)}",
                    "make every exchange write the same type (convert with a transform or case)",
                )
        else:
            key = (rules.COLUMN_PRECISION_MISMATCH.code, other.span)
            if key in reported:
                continue
            reported.add(key)
            yield rules.COLUMN_PRECISION_MISMATCH.at(
                other.span or Span.point("<schema>"),
                f"column `{column}` is {other.type} on `{other.exchange}` but {reference.type} "
                f"on `{reference.exchange}`{_at_line(reference.span)}: CSV readers see different "
                "precision",
                f"use one type on every exchange (the join of both is "
                f"{lattice.join(reference.type, other.type)})",
            )


def _at_line(span: Span | None) -> str:
    return f" (line {span.line})" if span is not None else ""


def _kind_phrase(type_name: str) -> str:
    return {lattice.BOOL: "a bool", lattice.STRING: "a string"}.get(type_name, "a number")


def _key_hint(input_type: str, key: CaseScalar) -> str:
    if input_type == lattice.BOOL:
        return "a bool value has the keys true and false (unquoted)"
    if input_type == lattice.STRING:
        return f"quote the key to make it a string: '{lattice.describe(key)}'"
    if input_type == lattice.I64 and isinstance(key, float):
        return "an i64 value is a whole number; use a whole-number key or a decimal type"
    return "keys of a numeric value are numbers (unquoted)"

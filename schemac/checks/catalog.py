"""Catalog checks: does each extractor read something the exchange sends, as the right type?

The core calls :func:`check_schema` for every schema. Only the exchanges the schema names are
read from the catalog. A malformed catalog file raises :class:`~schemac.catalog.CatalogError`.
"""

from __future__ import annotations

import difflib

from schemac.catalog.loader import Catalog
from schemac.catalog.model import CATEGORIES, Entry
from schemac.catalog.resolve import (
    DerivedArray,
    Resolution,
    column_paths,
    resolve,
    with_derived,
)
from schemac.catalog.wiretypes import Fit, fit
from schemac.core.ir import CaseScalar, Column, Extractor, Schema
from schemac.core.paths import path_problem
from schemac.diagnostics import Diagnostic, Span
from schemac.rules import Rule
from schemac.rules.catalog import (
    ARRAY_WITHOUT_UNFOLD,
    CASE_OUTSIDE_DOMAIN,
    LOSSY_TYPE,
    NO_CATALOG_ENTRY,
    OPTIONAL_PATH,
    TYPE_MISMATCH,
    UNFOLD_NOT_ARRAY,
    UNKNOWN_PATH,
    UNKNOWN_PATH_INFERRED,
)

MAX_PATH_HINTS = 3
BOOL_DOMAIN = ("true", "false")


def check_schema(schema: Schema, catalog: Catalog) -> list[Diagnostic]:
    if schema.category not in CATEGORIES:
        return []  # the core reports an unknown category
    findings: list[Diagnostic] = []
    for exchange in _exchanges(schema):
        entry = catalog.entry(exchange, schema.category)
        if entry is None:
            findings.append(_no_entry(schema, exchange, catalog))
            continue
        findings.extend(_check_exchange(schema, exchange, entry))
    return findings


def _exchanges(schema: Schema) -> list[str]:
    seen: dict[str, None] = dict.fromkeys(schema.exchanges)
    for column in schema.columns:
        seen.update(dict.fromkeys(column.data or {}))
    seen.update(dict.fromkeys(schema.unfold or {}))
    seen.update(dict.fromkeys(schema.derive or {}))
    return list(seen)


def _check_exchange(schema: Schema, exchange: str, entry: Entry) -> list[Diagnostic]:
    findings: list[Diagnostic] = []
    view = entry
    for derived in (schema.derive or {}).get(exchange, []):
        arrays = []
        for array in derived.arrays:
            span = _first_span(schema, array.span, derived.span)
            if path_problem(array.path) is None and _array_ok(
                entry, exchange, array.path, None, span, "derive", findings
            ):
                arrays.append(DerivedArray(array.path, array.tag))
        view = with_derived(view, derived.field, arrays, derived.tag_field, derived.value_field)

    unfold = (schema.unfold or {}).get(exchange)
    unfold_path: str | None = None
    unfold_catalog_path: str | None = None
    if unfold is not None and path_problem(unfold.path) is None:
        span = _first_span(schema, unfold.path_span, unfold.span)
        if _array_ok(view, exchange, unfold.path, None, span, "unfold", findings):
            unfold_path = unfold.path
            unfold_catalog_path = resolve(view, unfold.path).catalog_path

    for column in schema.columns:
        extractor = (column.data or {}).get(exchange)
        if extractor is not None and path_problem(extractor.path) is None:
            findings.extend(
                _check_extractor(
                    schema, column, exchange, extractor, view, unfold_path, unfold_catalog_path
                )
            )
    return findings


def _array_ok(
    entry: Entry,
    exchange: str,
    path: str,
    unfold: str | None,
    span: Span,
    what: str,
    findings: list[Diagnostic],
) -> bool:
    """Check that an unfold or derive path reaches an array; report why not."""
    found = resolve(entry, path, unfold)
    if not found.ok:
        findings.append(_unreachable(entry, exchange, path, found, span, None))
        return False
    info = entry.paths[found.catalog_path or ""]
    if not info.is_array:
        findings.append(
            UNFOLD_NOT_ARRAY.at(
                span,
                f"{what} path `{path}` is {_kind_words(info.types)} on {exchange} "
                f"({entry.category}), not an array",
                hint=_array_hint(entry, exchange),
            )
        )
        return False
    return True


def _check_extractor(
    schema: Schema,
    column: Column,
    exchange: str,
    extractor: Extractor,
    entry: Entry,
    unfold_path: str | None,
    unfold_catalog_path: str | None,
) -> list[Diagnostic]:
    path_span = _first_span(schema, extractor.path_span, extractor.span, column.span)
    found = resolve(entry, extractor.path, unfold_path)
    if not found.ok:
        return [
            _unreachable(entry, exchange, extractor.path, found, path_span, unfold_catalog_path)
        ]
    findings: list[Diagnostic] = []
    info = entry.paths[found.catalog_path or ""]
    where = f"`{extractor.path}` on {exchange} ({entry.category})"

    worst: tuple[Fit, str, str] = (Fit.OK, "", "")
    for wire in info.types:
        verdict, reason = fit(wire, extractor.type)
        if verdict == Fit.WRONG or (verdict == Fit.LOSSY and worst[0] == Fit.OK):
            worst = (verdict, reason, wire)
    if worst[0] != Fit.OK:
        rule = TYPE_MISMATCH if worst[0] == Fit.WRONG else LOSSY_TYPE
        type_span = _first_span(schema, extractor.type_span, path_span)
        findings.append(
            rule.at(
                type_span,
                f"{where} is read as {extractor.type}, but {worst[1]}",
                hint=_type_hint(worst[2]),
            )
        )

    domain = info.enum
    if domain is None and info.types == ("bool",):
        domain = BOOL_DOMAIN
    if extractor.case is not None and domain is not None:
        for arm in extractor.case.arms:
            key = _scalar_text(arm.when)
            if key in domain:
                continue
            closest = difflib.get_close_matches(key, domain, n=1, cutoff=0.5) or [
                value for value in domain if value.lower() == key.lower()
            ]
            suggestion = f"did you mean `{closest[0]}`? " if closest else ""
            findings.append(
                CASE_OUTSIDE_DOMAIN.at(
                    _first_span(schema, arm.when_span, extractor.case.span, path_span),
                    f"case key `{key}` never matches: {where} is one of {_listing(domain)}",
                    hint=f"{suggestion}{exchange} sends {_listing(domain)}",
                )
            )

    optional_at = next((p for p in found.chain if entry.paths[p].optional), None)
    handled = (extractor.case is not None and extractor.case.has_else) or (
        extractor.case is None and extractor.transform is not None
    )
    if optional_at is not None and not handled:
        note = entry.paths[optional_at].note
        findings.append(
            OPTIONAL_PATH.at(
                path_span,
                f"{where} is absent from some messages"
                + (f" ({note})" if note else "")
                + ": those rows get an empty value",
                hint="give `case:` an `else:`, or a transform that handles NULL "
                "such as `coalesce({v}, 0)`",
            )
        )
    return findings


def _unreachable(
    entry: Entry,
    exchange: str,
    path: str,
    found: Resolution,
    span: Span,
    unfold_catalog_path: str | None,
) -> Diagnostic:
    if found.failure == "through_array":
        array = found.failed_prefix
        info = entry.paths[found.chain[-1]] if found.chain else entry.paths[""]
        rest = path[len(array) + 1 :] if array else path
        if info.rows:
            hint = (
                f"unfold it (`unfold: {{{exchange}: {array}}}`), then `{path}` reads `{rest}` of "
                f"each element; or pick one element: `{array}.0.{rest}`"
            )
        else:
            hint = f"address a position of the array: `{array}.0`, `{array}.1`, ..."
        return ARRAY_WITHOUT_UNFOLD.at(
            span,
            f"`{path}` on {exchange} ({entry.category}) goes through the array "
            f"`{array or '(root)'}` without an unfold at it",
            hint=hint,
        )
    rule: Rule = UNKNOWN_PATH if entry.confirmed else UNKNOWN_PATH_INFERRED
    basis = "confirmed" if entry.confirmed else "inferred, not confirmed"
    candidates = column_paths(entry, unfold_catalog_path)
    nearest = _nearest(path, candidates)
    if nearest:
        hint = "did you mean " + " or ".join(f"`{p}`" for p in nearest) + "?"
    else:
        hint = f"`schemac catalog show {exchange} {entry.category}` lists the paths it sends"
    return rule.at(
        span,
        f"{exchange} does not send `{path}` in {entry.category} messages (catalog entry {basis})",
        hint=hint,
    )


def _nearest(path: str, candidates: list[str]) -> list[str]:
    same_but_case = [c for c in candidates if c.lower() == path.lower()]
    if same_but_case:
        return same_but_case[:MAX_PATH_HINTS]
    close = difflib.get_close_matches(path, candidates, n=MAX_PATH_HINTS, cutoff=0.6)
    return close


def _no_entry(schema: Schema, exchange: str, catalog: Catalog) -> Diagnostic:
    span = _exchange_span(schema, exchange)
    unavailable = catalog.unavailable(exchange, schema.category)
    if unavailable is not None:
        return NO_CATALOG_ENTRY.at(
            span,
            f"{exchange} has no {schema.category} channel: {unavailable.reason}",
            hint=f"remove {exchange} from this {schema.category} schema",
        )
    known = catalog.exchange(exchange) is not None
    what = f"no {schema.category} entry for {exchange}" if known else f"no entry for {exchange}"
    return NO_CATALOG_ENTRY.at(
        span,
        f"the catalog has {what}: paths and types for {exchange} are not checked",
        hint=(
            f"add `{exchange}.yaml` with a `{schema.category}` entry to a folder listed in "
            f"`catalog_dirs`, or infer one: `schemac catalog learn {exchange} {schema.category} "
            "samples.jsonl`"
        ),
    )


def _exchange_span(schema: Schema, exchange: str) -> Span:
    for column in schema.columns:
        extractor = (column.data or {}).get(exchange)
        if extractor is not None:
            return _first_span(schema, extractor.span, extractor.path_span, column.span)
    unfold = (schema.unfold or {}).get(exchange)
    return _first_span(schema, unfold.span if unfold else None, schema.category_span)


def _first_span(schema: Schema, *spans: Span | None) -> Span:
    for span in spans:
        if span is not None:
            return span
    if schema.span is not None:
        return schema.span
    return Span.point(schema.source or f"<{schema.name}>")


def _array_hint(entry: Entry, exchange: str) -> str:
    arrays = [p for p in column_paths(entry, None) if _is_row_array(entry, p)]
    if not arrays:
        return f"{exchange} {entry.category} messages hold no row array: remove the unfold"
    return "row arrays here: " + ", ".join(f"`{p}`" for p in arrays[:5])


def _is_row_array(entry: Entry, column_path: str) -> bool:
    found = resolve(entry, column_path)
    return found.ok and entry.paths[found.catalog_path or ""].rows


def _kind_words(types: tuple[str, ...]) -> str:
    from schemac.catalog.wiretypes import describe

    words = {"obj": "an object", "arr": "an array", "null": "null", "bool": "a boolean"}
    return " or ".join(words.get(t, describe(t)) for t in types)


def _type_hint(wire: str) -> str:
    return {
        "bool": "declare `type: bool` (and map it with `case:` if you need text)",
        "obj": "point the path at a field inside the object",
        "arr": "unfold the array, or address an element by position",
        "str": "declare `type: string`",
        "sdec": "declare `type: decimal(N)`",
        "bigint": "declare `type: i64` or `type: string`",
        "num": "declare `type: decimal(N)` or `type: f64`",
        "sint": "declare `type: i64`",
        "int": "declare `type: i64`",
    }.get(wire, "")


def _scalar_text(value: CaseScalar) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _listing(values: tuple[str, ...]) -> str:
    return ", ".join(f"`{v}`" for v in values)


__all__ = ["check_schema"]

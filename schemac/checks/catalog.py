"""Catalog checks: does each extractor read something the exchange sends, as the right type?

Each rule has its own check (scope "catalog": ``(schema, catalog) -> Iterator[Diagnostic]``),
all built on one walk (:func:`exchanges`, :func:`reads`) that resolves every path against the
exchange's catalog entry, silently; only the exchanges the schema names are read from the
catalog. A malformed catalog file raises :class:`~schemac.catalog.CatalogError`, which the
project runner reports once. :func:`check_schema` runs them all (for tests and the library).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from schemac.catalog.loader import Catalog
from schemac.catalog.model import Entry
from schemac.catalog.resolve import column_paths, resolve
from schemac.catalog.wiretypes import Fit, fit
from schemac.checks.catalog_hints import through_array
from schemac.checks.catalog_reads import (
    exchange_names,
    exchanges,
    first_span,
    reads,
    resolved,
)
from schemac.core.ir import CaseScalar, Schema
from schemac.diagnostics import Diagnostic, Severity, Span, did_you_mean, did_you_mean_all
from schemac.rules import Rule, check
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
from schemac.vocabulary import CATEGORIES

MAX_PATH_HINTS = 3
BOOL_DOMAIN = ("true", "false")
# A case key is compared with a handful of enum values: a looser match than for names.
DOMAIN_CUTOFF = 0.5


# -- the checks, one per rule (SC601 and SC602 are one rule by how sure the entry is) ----------


@check(NO_CATALOG_ENTRY, scope="catalog")
def check_catalog_entries(schema: Schema, catalog: Catalog) -> Iterator[Diagnostic]:
    if schema.category not in CATEGORIES:
        return
    for name in exchange_names(schema):
        if catalog.entry(name, schema.category) is None:
            yield _no_entry(schema, name, catalog)


@check(UNKNOWN_PATH, UNKNOWN_PATH_INFERRED, scope="catalog")
def check_unknown_paths(schema: Schema, catalog: Catalog) -> Iterator[Diagnostic]:
    for exchange in exchanges(schema, catalog):
        for array in exchange.arrays:
            found = resolve(array.against, array.path)
            if not found.ok and found.failure != "through_array":
                yield _unknown_path(array.against, exchange.name, array.path, array.span, None)
    for read in reads(schema, catalog):
        if not read.found.ok and read.found.failure != "through_array":
            view, name = read.exchange.view, read.exchange.name
            unfold = read.exchange.unfold_catalog_path
            yield _unknown_path(view, name, read.extractor.path, read.path_span, unfold)


@check(ARRAY_WITHOUT_UNFOLD, scope="catalog")
def check_arrays_without_unfold(schema: Schema, catalog: Catalog) -> Iterator[Diagnostic]:
    for exchange in exchanges(schema, catalog):
        for array in exchange.arrays:
            found = resolve(array.against, array.path)
            if found.failure == "through_array" and not found.ok:
                entry, name, path = array.against, exchange.name, array.path
                yield through_array(entry, name, path, found, array.span, what=array.what)
    for read in reads(schema, catalog):
        if not read.found.ok and read.found.failure == "through_array":
            view, name, path = read.exchange.view, read.exchange.name, read.extractor.path
            unfold = read.exchange.unfold_path
            yield through_array(view, name, path, read.found, read.path_span, unfold)


@check(UNFOLD_NOT_ARRAY, scope="catalog")
def check_unfold_arrays(schema: Schema, catalog: Catalog) -> Iterator[Diagnostic]:
    for exchange in exchanges(schema, catalog):
        for array in exchange.arrays:
            entry = array.against
            found = resolve(entry, array.path)
            info = entry.paths[found.catalog_path or ""] if found.ok else None
            if info is None or info.is_array:
                continue
            yield UNFOLD_NOT_ARRAY.at(
                array.span,
                f"{array.what} path `{array.path}` is {_kind_words(info.types)} on "
                f"{exchange.name} ({entry.category}), not an array",
                hint=_array_hint(entry, exchange.name),
            )


def _worst_fit(info_types: tuple[str, ...], declared: str) -> tuple[Fit, str, str]:
    """The worst verdict of reading any of the wire types as ``declared``: (fit, reason, wire)."""
    worst: tuple[Fit, str, str] = (Fit.OK, "", "")
    for wire in info_types:
        verdict, reason = fit(wire, declared)
        if verdict == Fit.WRONG or (verdict == Fit.LOSSY and worst[0] == Fit.OK):
            worst = (verdict, reason, wire)
    return worst


def _type_findings(
    schema: Schema, catalog: Catalog, verdict: Fit, rule: Rule
) -> Iterator[Diagnostic]:
    for read, view in resolved(schema, catalog):
        info = view.paths[read.found.catalog_path or ""]
        worst, reason, wire = _worst_fit(info.types, read.extractor.type)
        if worst == verdict:
            extractor = read.extractor
            span = first_span(schema, extractor.type_span, read.path_span)
            message = f"{read.where} is read as {extractor.type}, but {reason}"
            yield rule.at(span, message, hint=_type_hint(wire))


@check(TYPE_MISMATCH, scope="catalog")
def check_wire_types(schema: Schema, catalog: Catalog) -> Iterator[Diagnostic]:
    return _type_findings(schema, catalog, Fit.WRONG, TYPE_MISMATCH)


@check(LOSSY_TYPE, scope="catalog")
def check_lossy_types(schema: Schema, catalog: Catalog) -> Iterator[Diagnostic]:
    return _type_findings(schema, catalog, Fit.LOSSY, LOSSY_TYPE)


@check(CASE_OUTSIDE_DOMAIN, scope="catalog")
def check_case_domains(schema: Schema, catalog: Catalog) -> Iterator[Diagnostic]:
    for read, view in resolved(schema, catalog):
        info = view.paths[read.found.catalog_path or ""]
        domain, complete = info.enum, info.complete
        if domain is None and info.types == ("bool",):
            domain, complete = BOOL_DOMAIN, True
        case = read.extractor.case
        if case is None or domain is None:
            continue
        for arm in case.arms:
            key = _scalar_text(arm.when)
            if key in domain:
                continue
            closest = did_you_mean(key, domain, cutoff=DOMAIN_CUTOFF)
            suggestion = f"did you mean `{closest}`? " if closest else ""
            if complete:
                message = (
                    f"case key `{key}` never matches: {read.where} is one of {_listing(domain)} "
                    "(every value the exchange documents)"
                )
            else:
                message = (
                    f"case key `{key}` matches none of the values known for {read.where}: "
                    f"{_listing(domain)} (a list that may not be complete)"
                )
            finding = CASE_OUTSIDE_DOMAIN.at(
                first_span(schema, arm.when_span, case.span, read.path_span),
                message,
                hint=f"{suggestion}{read.exchange.name} sends {_listing(domain)}",
            )
            # A domain the exchange documents in full leaves no doubt: the branch is dead.
            yield finding._replace(severity=Severity.ERROR) if complete else finding


@check(OPTIONAL_PATH, scope="catalog")
def check_optional_paths(schema: Schema, catalog: Catalog) -> Iterator[Diagnostic]:
    for read, view in resolved(schema, catalog):
        optional_at = next((p for p in read.found.chain if view.paths[p].optional), None)
        extractor = read.extractor
        handled = (extractor.case is not None and extractor.case.has_else) or (
            extractor.case is None and extractor.transform is not None
        )
        if optional_at is None or handled:
            continue
        note = view.paths[optional_at].note
        yield OPTIONAL_PATH.at(
            read.path_span,
            f"{read.where} is absent from some messages"
            + (f" ({note})" if note else "")
            + ": those rows get an empty value",
            hint="give `case:` an `else:`, or a transform that handles NULL "
            "such as `coalesce({v}, 0)`",
        )


CatalogCheck = Callable[[Schema, Catalog], Iterator[Diagnostic]]
CATALOG_CHECKS: tuple[CatalogCheck, ...] = (
    check_catalog_entries,
    check_unknown_paths,
    check_arrays_without_unfold,
    check_unfold_arrays,
    check_wire_types,
    check_lossy_types,
    check_case_domains,
    check_optional_paths,
)


def check_schema(schema: Schema, catalog: Catalog) -> list[Diagnostic]:
    """Every catalog finding of ``schema`` (each check above, in turn)."""
    return [finding for each in CATALOG_CHECKS for finding in each(schema, catalog)]


def _unknown_path(
    entry: Entry, exchange: str, path: str, span: Span, unfold_catalog_path: str | None
) -> Diagnostic:
    rule: Rule = UNKNOWN_PATH if entry.confirmed else UNKNOWN_PATH_INFERRED
    basis = "confirmed" if entry.confirmed else "inferred, not confirmed"
    nearest = did_you_mean_all(path, column_paths(entry, unfold_catalog_path), MAX_PATH_HINTS)
    if nearest:
        hint = "did you mean " + " or ".join(f"`{p}`" for p in nearest) + "?"
    else:
        hint = f"`schemac catalog show {exchange} {entry.category}` lists the paths it sends"
    return rule.at(
        span,
        f"{exchange} does not send `{path}` in {entry.category} messages (catalog entry {basis})",
        hint=hint,
    )


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
            return first_span(schema, extractor.span, extractor.path_span, column.span)
    unfold = (schema.unfold or {}).get(exchange)
    return first_span(schema, unfold.span if unfold else None, schema.category_span)


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

"""The walk the catalog checks share: each exchange's entry, derive and unfold, each read.

Everything here resolves paths silently; :mod:`schemac.checks.catalog` decides what is a finding.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from schemac.catalog.loader import Catalog, load_catalog
from schemac.catalog.model import CatalogError, Entry
from schemac.catalog.resolve import DerivedArray, Resolution, resolve, with_derived
from schemac.config import Config
from schemac.core.ir import Column, Extractor, Schema
from schemac.core.paths import path_problem
from schemac.diagnostics import Span
from schemac.vocabulary import CATEGORIES


class ArrayPath(NamedTuple):
    """An unfold or derive path, which must reach an array."""

    what: str  # "unfold" or "derive"
    path: str
    span: Span
    against: Entry  # the entry (or derived view) it is resolved in


class ExchangeView(NamedTuple):
    name: str
    entry: Entry  # the catalog's entry for the schema's category
    view: Entry  # the entry with the schema's derived fields
    arrays: list[ArrayPath]
    unfold_path: str | None  # the unfold path, when it reaches an array
    unfold_catalog_path: str | None


class Read(NamedTuple):
    """One extractor of one exchange, resolved in that exchange's view."""

    exchange: ExchangeView
    column: Column
    extractor: Extractor
    found: Resolution
    path_span: Span
    where: str  # "`data.p` on binance (trade)"


def exchange_names(schema: Schema) -> list[str]:
    seen: dict[str, None] = dict.fromkeys(schema.exchanges)
    for column in schema.columns:
        seen.update(dict.fromkeys(column.data or {}))
    seen.update(dict.fromkeys(schema.unfold or {}))
    seen.update(dict.fromkeys(schema.derive or {}))
    return list(seen)


class _Walk(NamedTuple):
    schema: Schema
    catalog: Catalog
    views: list[ExchangeView]
    reads: list[Read]


# The walk of the schema checked last: each catalog check asks for it, so it is done once per
# schema, not once per check. Keyed by identity; a schema is not changed while it is checked.
_last: list[_Walk] = []


def _walk(schema: Schema, catalog: Catalog) -> _Walk:
    if _last and _last[0].schema is schema and _last[0].catalog is catalog:
        return _last[0]
    views = []
    if schema.category in CATEGORIES:  # the core reports an unknown category
        for name in exchange_names(schema):
            entry = catalog.entry(name, schema.category)
            # Without its unfold or derive (reported where written), what an exchange's paths
            # read is unknown: judging them would report consequences of that one finding.
            unread = schema.wrote(("unfold", ""), name) or schema.wrote(("derive", ""), name)
            if entry is not None and not unread:
                views.append(exchange(schema, name, entry))
    walk = _Walk(schema, catalog, views, [r for view in views for r in _reads_of(schema, view)])
    _last[:] = [walk]
    return walk


def exchanges(schema: Schema, catalog: Catalog) -> Iterator[ExchangeView]:
    """Each exchange of the schema that has a catalog entry, with its derive and unfold."""
    return iter(_walk(schema, catalog).views)


def exchange(schema: Schema, name: str, entry: Entry) -> ExchangeView:
    view, arrays = entry, []
    for derived in (schema.derive or {}).get(name, []):
        accepted = []
        for array in derived.arrays:
            if path_problem(array.path) is None:
                span = first_span(schema, array.span, derived.span)
                arrays.append(ArrayPath("derive", array.path, span, entry))
                if reaches_array(entry, array.path):
                    accepted.append(DerivedArray(array.path, array.tag))
        view = with_derived(view, derived.field, accepted, derived.tag_field, derived.value_field)
    unfold = (schema.unfold or {}).get(name)
    unfold_path = unfold_catalog_path = None
    if unfold is not None and path_problem(unfold.path) is None:
        span = first_span(schema, unfold.path_span, unfold.span)
        arrays.append(ArrayPath("unfold", unfold.path, span, view))
        if reaches_array(view, unfold.path):
            unfold_path = unfold.path
            unfold_catalog_path = resolve(view, unfold.path).catalog_path
    return ExchangeView(name, entry, view, arrays, unfold_path, unfold_catalog_path)


def reaches_array(entry: Entry, path: str) -> bool:
    found = resolve(entry, path)
    return found.ok and entry.paths[found.catalog_path or ""].is_array


def reads(schema: Schema, catalog: Catalog) -> Iterator[Read]:
    """Each extractor of each exchange with a catalog entry, resolved in its view."""
    return iter(_walk(schema, catalog).reads)


def _reads_of(schema: Schema, view: ExchangeView) -> Iterator[Read]:
    unfold = next((array for array in view.arrays if array.what == "unfold"), None)
    if unfold is not None and not resolve(unfold.against, unfold.path).ok:
        # An unfold path the exchange does not send, or one through another array, is
        # reported at the unfold (SC601, SC603); the columns, read without it, would only
        # repeat that finding in other words. (One that reaches an object, SC604, changes
        # nothing: the columns read as they would without it, and are checked.)
        return
    for column in schema.columns:
        extractor = (column.data or {}).get(view.name)
        if extractor is None or path_problem(extractor.path) is not None:
            continue
        path_span = first_span(schema, extractor.path_span, extractor.span, column.span)
        found = resolve(view.view, extractor.path, view.unfold_path)
        where = f"`{extractor.path}` on {view.name} ({view.entry.category})"
        yield Read(view, column, extractor, found, path_span, where)


def resolved(schema: Schema, catalog: Catalog) -> Iterator[tuple[Read, Entry]]:
    """The reads whose path the exchange sends, with the view their path info is in."""
    for read in reads(schema, catalog):
        if read.found.ok:
            yield read, read.exchange.view


def first_span(schema: Schema, *spans: Span | None) -> Span:
    for span in spans:
        if span is not None:
            return span
    if schema.span is not None:
        return schema.span
    return Span.point(schema.source or f"<{schema.name}>")


# The catalog a schema check consults (SC301's known codes, SC506's hint): the one of the
# configuration checked last, so that a project's schemas share one (files are read lazily).
_catalogs: list[tuple[Config, Catalog]] = []


def catalog_for(config: Config) -> Catalog:
    """The shipped catalog plus the configuration's `catalog_dirs`, as the catalog checks see it."""
    if _catalogs and _catalogs[0][0] is config:
        return _catalogs[0][1]
    catalog = load_catalog([config.root / folder for folder in config.catalog_dirs])
    _catalogs[:] = [(config, catalog)]
    return catalog


def wire_types(schema: Schema, config: Config, extractor: Extractor) -> list[tuple[Read, Entry]]:
    """Where the catalog says ``extractor`` reads something (one read per exchange it serves);
    empty when no catalog entry knows its path, or a catalog file is broken (reported by the
    catalog checks)."""
    try:
        return [
            (read, view)
            for read, view in resolved(schema, catalog_for(config))
            if read.extractor is extractor
        ]
    except CatalogError:
        return []

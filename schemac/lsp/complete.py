"""Completion as plain data: what may be written where the cursor is.

Keys come from the authoring format's key lists (schemac.core.parse), values from the
vocabulary (categories, meta values and formats, types, derive ops), exchange codes from the
catalog and the configuration, paths from the exchange catalog's entry for the schema's category
(with the schema's `derive` and `unfold` applied, as the checks resolve them), and functions from
the type checker's list.
"""

from __future__ import annotations

import fnmatch
from typing import TYPE_CHECKING, NamedTuple

from schemac import vocabulary
from schemac.lsp.context import ITEM, Context

if TYPE_CHECKING:
    from schemac.catalog import Entry
    from schemac.core.ir import Schema
    from schemac.lsp.session import Session


class Suggestion(NamedTuple):
    label: str
    kind: str  # key, value, exchange, path, array, type, function
    detail: str | None = None
    insert: str | None = None  # the text written; the label when None


class Where(NamedTuple):
    """What the cursor's keys name: a value slot or a key slot of the format, and its exchange."""

    slot: str  # e.g. "schema-key", "category", "path", "unfold-path", "transform"
    exchange: str | None = None  # the exchange key (or glob) the slot is under


def where(context: Context) -> Where | None:
    """The slot of the format the context writes in, or None outside the format."""
    keys = context.keys
    if context.in_value or (keys and keys[-1] == ITEM):
        found = _value_slot(keys)
        if found is not None or context.in_value:
            return found
    return _key_slot(keys)


def _value_slot(keys: tuple[str, ...]) -> Where | None:
    match keys:
        case ("category",):
            return Where("category")
        case ("exchanges", "-"):
            return Where("exchange")
        case ("columns", _, "meta"):
            return Where("meta")
        case ("columns", _, "format"):
            return Where("format")
        case ("columns", _, "type") | ("columns", _, "from", _, "type"):
            return Where("type")
        case ("columns", _, "from"):
            return Where("path", "*")
        case ("columns", _, "from", exchange) | ("columns", _, "from", exchange, "path"):
            return Where("path", exchange)
        case ("columns", _, "from", exchange, "transform"):
            return Where("transform", exchange)
        case ("unfold", exchange) | ("unfold", exchange, "path"):
            return Where("unfold-path", exchange)
        case ("derive", exchange, "-", "arrays", "-", "path"):
            return Where("derive-path", exchange)
        case ("derive", _, "-", "op"):
            return Where("derive-op")
    return None


def _key_slot(keys: tuple[str, ...]) -> Where | None:
    match keys:
        case ():
            return Where("schema-key")
        case ("columns", _):
            return Where("column-key")
        case ("columns", _, "from") | ("unfold",) | ("derive",):
            return Where("exchange-key")
        case ("columns", _, "from", exchange):
            return Where("extractor-key", exchange)
        case ("unfold", exchange):
            return Where("unfold-key", exchange)
        case ("derive", exchange, "-"):
            return Where("derive-key", exchange)
        case ("derive", exchange, "-", "arrays", "-"):
            return Where("derive-array-key", exchange)
    return None


def complete(session: Session, path: str, context: Context) -> list[Suggestion]:
    from schemac.core.parse import (
        COLUMN_KEYS,
        DERIVE_ARRAY_KEYS,
        DERIVE_KEYS,
        EXTRACTOR_KEYS,
        SCHEMA_KEYS,
        UNFOLD_KEYS,
    )

    slot = where(context)
    if slot is None or context.in_comment:
        return []
    key_lists = {
        "schema-key": SCHEMA_KEYS,
        "column-key": COLUMN_KEYS,
        "extractor-key": EXTRACTOR_KEYS,
        "unfold-key": UNFOLD_KEYS,
        "derive-key": DERIVE_KEYS,
        "derive-array-key": DERIVE_ARRAY_KEYS,
    }
    if slot.slot in key_lists:
        return [Suggestion(k, "key", None, f"{k}: ") for k in key_lists[slot.slot]]
    words = {
        "category": vocabulary.CATEGORIES,
        "meta": vocabulary.META_VALUES,
        "format": vocabulary.META_FORMATS,
        "derive-op": vocabulary.DERIVE_OPS,
    }
    if slot.slot in words:
        return [Suggestion(w, "value") for w in words[slot.slot]]
    if slot.slot == "type":
        return _types(session)
    if slot.slot == "transform":
        return _functions()
    schema = session.schema(path)
    if slot.slot in ("exchange", "exchange-key"):
        return _exchanges(session, schema, globs=slot.slot == "exchange-key")
    return _paths(session, schema, slot)


def _types(session: Session) -> list[Suggestion]:
    scale = session.config.decimal_max_scale
    found = [Suggestion(t, "type") for t in vocabulary.SIMPLE_TYPES]
    detail = f"N decimal places, 0..{scale}"
    return [*found, Suggestion("decimal(N)", "type", detail, "decimal(8)")]


def function_names() -> list[str]:
    """The functions the type checker knows (the one place that asks it): the ClickHouse
    functions a transform may call."""
    from schemac.types.functions import KNOWN_CLICKHOUSE_FUNCTIONS

    return sorted(KNOWN_CLICKHOUSE_FUNCTIONS, key=str.lower)


def _functions() -> list[Suggestion]:
    found = [Suggestion(name, "function", "ClickHouse function") for name in function_names()]
    placeholder = vocabulary.TRANSFORM_PLACEHOLDER
    return [Suggestion(placeholder, "value", "the extracted value"), *found]


def known_exchanges(session: Session, schema: Schema | None) -> list[str]:
    """The schema's exchanges when it names any, else every code the catalog or the
    configuration knows."""
    if schema is not None and schema.exchanges:
        return list(schema.exchanges)
    return sorted({*session.catalog().codes(), *session.config.exchanges})


def _exchanges(session: Session, schema: Schema | None, globs: bool) -> list[Suggestion]:
    if globs:
        codes = known_exchanges(session, schema)
        found = [Suggestion(code, "exchange") for code in codes]
        return found + [Suggestion(g, "exchange", "glob", f'"{g}"') for g in exchange_globs(codes)]
    catalog = session.catalog()
    codes = sorted({*catalog.codes(), *session.config.exchanges})
    listed = set(schema.exchanges) if schema is not None else set()
    return [
        Suggestion(code, "exchange", _status(session, code)) for code in codes if code not in listed
    ]


def _status(session: Session, code: str) -> str | None:
    from schemac.catalog import CatalogError

    try:
        info = session.catalog().exchange(code)
    except CatalogError:
        return None
    return f"{info.name} (code {info.code_status})" if info is not None else None


def exchange_globs(codes: list[str]) -> list[str]:
    """``*``, and ``<prefix>_*`` for each first word that two codes or more share."""
    prefixes: dict[str, int] = {}
    for code in codes:
        head, sep, _ = code.partition("_")
        if sep:
            prefixes[head] = prefixes.get(head, 0) + 1
    return ["*", *(f"{head}_*" for head, count in sorted(prefixes.items()) if count > 1)]


def matching_exchanges(session: Session, schema: Schema | None, key: str | None) -> list[str]:
    codes = known_exchanges(session, schema)
    if key is None or key == "*":
        return codes
    return [code for code in codes if fnmatch.fnmatchcase(code, key)]


def views(
    session: Session, schema: Schema | None, key: str | None
) -> list[tuple[str, Entry, str | None]]:
    """(exchange, the entry as the schema's columns read it, its unfold's catalog path) for the
    exchanges ``key`` (a code or a glob) names, those the catalog has an entry for."""
    from schemac.catalog import CatalogError
    from schemac.checks.catalog_reads import exchange

    category = schema.category if schema is not None else None
    found: list[tuple[str, Entry, str | None]] = []
    for code in matching_exchanges(session, schema, key):
        try:
            entry = session.catalog().entry(code, category) if category else None
        except CatalogError:
            continue
        if entry is None:
            continue
        if schema is None:
            found.append((code, entry, None))
            continue
        view = exchange(schema, code, entry)
        found.append((code, view.view, view.unfold_catalog_path))
    return found


def _paths(session: Session, schema: Schema | None, slot: Where) -> list[Suggestion]:
    from schemac.catalog.views import path_rows

    arrays_only = slot.slot in ("unfold-path", "derive-path")
    by_path: dict[str, list[str]] = {}
    kinds: dict[str, str] = {}
    for code, entry, unfold in views(session, schema, slot.exchange):
        if slot.slot == "derive-path":
            entry = session.catalog().entry(code, entry.category) or entry
        for row in path_rows(entry, None if arrays_only else unfold):
            is_array = "arr" in row["type"].split("|")
            if arrays_only and "rows" not in row["marks"]:
                continue
            marks = "".join(f", {m}" for m in row["marks"])
            by_path.setdefault(row["path"], []).append(f"{code}: {row['type']}{marks}")
            kinds[row["path"]] = "array" if is_array else "path"
    return [Suggestion(path, kinds[path], "; ".join(details)) for path, details in by_path.items()]

"""`schemac new`: a schema for a category and some exchanges, written from the exchange catalog.

    written = new_schema("my_trades", "trade", ["binance", "bybit_*"], catalog)
    written.text        # the YAML authoring file (in the canonical layout of `schemac fmt`)
    written.left_out    # usual columns some chosen exchange does not send: {column: [codes]}

The category's usual columns are data (:mod:`schemac.scaffold.template`); this module maps each
onto each exchange's catalog entry: the first candidate field the exchange sends, read with the
column's type, the array it goes through unfolded, bids and asks merged by a derive, and enum
values normalised by a ``case`` built from the entry's enum domain. The body is assembled in
the wire format and written as YAML by the same writer as `pull` (:mod:`schemac.render.yaml`).
"""

from __future__ import annotations

import fnmatch
from typing import TYPE_CHECKING, Any, NamedTuple

from schemac.scaffold.template import (
    LEVELS_FIELD,
    TAG_FIELD,
    VALUE_FIELD,
    Field,
    Template,
    TemplateColumn,
    load_template,
)

if TYPE_CHECKING:
    from schemac.catalog import Catalog, Entry

__all__ = ["NewSchema", "ScaffoldError", "expand_exchanges", "new_schema"]

META_VALUE = "collection_timestamp_ns"


class ScaffoldError(ValueError):
    """Input `new` cannot make a schema from; the message says why."""


class NewSchema(NamedTuple):
    text: str
    exchanges: list[str]
    left_out: dict[str, list[str]]  # usual column -> the exchanges that do not send it


class _Mapped(NamedTuple):
    """One exchange's reading of the template."""

    extractors: dict[str, dict[str, Any]]  # column -> wire extractor ({json, transform?})
    unfold: str | None
    derive: list[dict[str, Any]] | None


def expand_exchanges(patterns: list[str], category: str, catalog: Catalog) -> list[str]:
    """Codes and globs -> the catalog's exchanges with an entry for ``category``, in the order
    given (a glob's matches sorted), each once."""
    having = [code for code in catalog.codes() if catalog.entry(code, category) is not None]
    found: list[str] = []
    for pattern in (p.strip() for p in patterns):
        if not pattern:
            continue
        if any(ch in pattern for ch in "*?["):
            matches = [code for code in having if fnmatch.fnmatchcase(code, pattern)]
            if not matches:
                raise ScaffoldError(
                    f"`{pattern}` matches no exchange with a `{category}` entry in the catalog "
                    f"({', '.join(having)})"
                )
        else:
            _check_code(pattern, category, catalog, having)
            matches = [pattern]
        found.extend(code for code in matches if code not in found)
    if not found:
        raise ScaffoldError("name at least one exchange")
    return found


def _check_code(code: str, category: str, catalog: Catalog, having: list[str]) -> None:
    if catalog.entry(code, category) is not None:
        return
    unavailable = catalog.unavailable(code, category)
    if unavailable is not None:
        raise ScaffoldError(f"{code} has no `{category}` stream: {unavailable.reason}")
    known = "the catalog has no entry for it" if catalog.exchange(code) is None else (
        f"its catalog entry has no `{category}`"
    )  # fmt: skip
    raise ScaffoldError(
        f"no `{category}` data for exchange `{code}`: {known} (exchanges with one: "
        f"{', '.join(having)})"
    )


def new_schema(
    name: str, category: str, patterns: list[str], catalog: Catalog, dialect: str
) -> NewSchema:
    from schemac.render.yaml import wire_to_yaml

    template = load_template(category)
    exchanges = expand_exchanges(patterns, category, catalog)
    mapped = {}
    for code in exchanges:
        entry = catalog.entry(code, category)
        assert entry is not None  # expand_exchanges keeps only exchanges with an entry
        mapped[code] = _map_exchange(template, entry, dialect)
    columns: list[dict[str, Any]] = [
        {"output_column": template.timestamp, "meta": {"value": META_VALUE}}
    ]
    left_out: dict[str, list[str]] = {}
    for column in template.columns:
        missing = [code for code in exchanges if column.name not in mapped[code].extractors]
        if missing:
            left_out[column.name] = missing
            continue
        data = {code: mapped[code].extractors[column.name] for code in exchanges}
        columns.append({"output_column": column.name, "data": data})
    if len(columns) == 1:
        raise ScaffoldError(
            f"no usual `{category}` column is sent by all of {', '.join(exchanges)}"
        )
    body: dict[str, Any] = {"name": name, "stream_category": category, "columns": columns}
    unfold = {code: {"path": m.unfold} for code, m in mapped.items() if m.unfold is not None}
    if unfold:
        body["unfold"] = unfold
    derive = {code: m.derive for code, m in mapped.items() if m.derive is not None}
    if derive:
        body["derive"] = derive
    text = _header(category, exchanges, left_out) + wire_to_yaml(body, dialect)
    return NewSchema(_canonical(text), exchanges, left_out)


def _canonical(text: str) -> str:
    """The layout of `schemac fmt` (the YAML writer of `pull` lists derive arrays in block style,
    where fmt writes a list that fits on its line in flow style)."""
    from schemac.fmt import format_text

    formatted = format_text(text, "new.yaml").text
    return text if formatted is None else formatted


def _header(category: str, exchanges: list[str], left_out: dict[str, list[str]]) -> str:
    lines = [f"# Written by `schemac new` from the exchange catalog: `{category}` data from"]
    lines.extend(_wrapped(exchanges, "# "))
    for column, codes in left_out.items():
        lines.extend(_wrapped(codes, f"# Left out: `{column}`, which is not sent by "))
    return "\n".join(lines) + "\n"


def _wrapped(words: list[str], first: str, width: int = 100) -> list[str]:
    """``first`` and the words, comma-separated, a period at the end, in comment lines."""
    lines, line = [], first
    for index, word in enumerate(words):
        word += "." if index == len(words) - 1 else ","
        if len(line) + len(word) + 1 > width and line.strip("# "):
            lines.append(line.rstrip())
            line = "# "
        line += word + " "
    lines.append(line.rstrip())
    return lines


def _map_exchange(template: Template, entry: Entry, dialect: str) -> _Mapped:
    from schemac.catalog.resolve import DerivedArray, with_derived

    derive = None
    unfold: str | None = None
    if template.levels is not None:
        arrays = [_row_array(entry, paths) for paths in template.levels.values()]
        if all(path is not None for path in arrays):
            sources = [
                DerivedArray(path, tag)
                for path, tag in zip(arrays, template.levels, strict=True)
                if path is not None
            ]
            entry = with_derived(entry, LEVELS_FIELD, sources, TAG_FIELD, VALUE_FIELD)
            unfold = f"data.{LEVELS_FIELD}"
            derive = [_derive_field(sources)]
    # A field chosen before the unfold is known might read differently after it: the columns
    # are mapped again once the unfold is settled.
    extractors, found = _map_columns(template, entry, unfold, derive is not None, dialect)
    if found != unfold:
        extractors, _ = _map_columns(template, entry, found, derive is not None, dialect)
    return _Mapped(extractors, found, derive)


def _derive_field(sources: list[Any]) -> dict[str, Any]:
    return {
        "field": LEVELS_FIELD,
        "op": "tagged_concat",
        "arrays": [{"path": source.path, "tag": source.tag} for source in sources],
        "tag_field": TAG_FIELD,
        "value_field": VALUE_FIELD,
    }


def _row_array(entry: Entry, paths: tuple[str, ...]) -> str | None:
    from schemac.catalog.resolve import resolve

    for path in paths:
        found = resolve(entry, path)
        if found.ok and entry.paths[found.catalog_path or ""].rows:
            return path
    return None


def _map_columns(
    template: Template, entry: Entry, unfold: str | None, derived: bool, dialect: str
) -> tuple[dict[str, dict[str, Any]], str | None]:
    extractors: dict[str, dict[str, Any]] = {}
    for column in template.columns:
        for field in column.fields:
            if field.derived and not derived:
                continue
            path, rows = field.column_path()
            if rows is not None and unfold is not None and rows != unfold:
                continue  # one unfold per exchange
            extractor = _extractor(entry, column, field, path, rows or unfold, dialect)
            if extractor is not None:
                extractors[column.name] = extractor
                unfold = unfold or rows
                break
    return extractors, unfold


def _extractor(
    entry: Entry,
    column: TemplateColumn,
    field: Field,
    path: str,
    unfold: str | None,
    dialect: str,
) -> dict[str, Any] | None:
    """The wire extractor of ``field`` on this exchange, or None when it does not fit."""
    from schemac.catalog.resolve import resolve
    from schemac.core.ir import CaseArm, CaseMap
    from schemac.core.sqlcase import render_case

    found = resolve(entry, path, unfold)
    if not found.ok:
        return None
    info = entry.paths[found.catalog_path or ""]
    if info.is_array or info.is_object:
        return None
    rule: dict[str, Any] = {"json": {"path": path, "type": field.type or column.type}}
    case = field.case
    if case is None and column.values is not None and not field.derived:
        case = _normalising_case(info.enum, column.values)
        if case is None:
            return None  # an open or unknown domain: nothing to normalise from
    if case:
        arms = tuple(CaseArm(when, then) for when, then in case.items())
        rule["transform"] = render_case(CaseMap(arms), dialect)
    elif field.transform is not None:
        rule["transform"] = field.transform
    return rule


def _normalising_case(
    domain: tuple[str, ...] | None, values: dict[str, tuple[str, ...]]
) -> dict[Any, Any] | None:
    """A `case` from an enum domain to the template's values ({} when nothing changes), or None
    when some value of the domain stands for none of them."""
    if not domain:
        return None
    lookup = {alias.lower(): out for out, aliases in values.items() for alias in aliases}
    case = {}
    for value in domain:
        out = lookup.get(value.lower())
        if out is None:
            return None
        case[value] = out
    return {} if all(key == out for key, out in case.items()) else case

"""One catalog file's text -> the catalog model, every error raised at its place in the file.

The format is the README's. Parsing walks the plain values of the YAML (as the schema reader
gives them: YAML 1.2 scalars, duplicate keys reported) and keeps, beside them, the located nodes
they came from, so that a :class:`CatalogError` carries the span of the key or value it is about.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from schemac import vocabulary
from schemac.catalog.model import (
    CODE_STATUSES,
    ELEMENT,
    ENTRY_STATUSES,
    ROOT,
    CatalogError,
    Entry,
    ExchangeInfo,
    PathInfo,
    Unavailable,
    index_children,
    last_segment,
    parent_path,
)
from schemac.catalog.wiretypes import WIRE_TYPES
from schemac.diagnostics import Span

if TYPE_CHECKING:
    from pathlib import Path

    from schemac.core.loader import Node

# A catalog path segment (vocabulary.CATALOG_SEGMENT_PATTERN): a column-path segment (no dot,
# no space, no brackets), optionally marked `[]` for "each element".
CATALOG_SEGMENT = re.compile(vocabulary.CATALOG_SEGMENT_PATTERN)

_FILE_KEYS = {"exchange", "name", "code", "code_source", "notes", "categories"}
_ENTRY_KEYS = {"status", "source", "channel", "notes", "paths"}
_SPEC_KEYS = {"type", "enum", "complete", "optional", "note"}


class Where:
    """A place in a catalog file: the file, the dotted label users read, the YAML nodes there."""

    __slots__ = ("key", "label", "node", "origin")

    def __init__(
        self, origin: str, label: str = "", key: Node | None = None, node: Node | None = None
    ) -> None:
        self.origin = origin  # the file; "" when the data comes from elsewhere (learn)
        self.label = label  # e.g. "categories.trade.paths.data.p"
        self.key = key  # the key that names this place, when there is one
        self.node = node  # the value at this place, when it came from a file

    def child(self, name: Any, label: str | None = None) -> Where:
        key, node = _lookup(self.node, name)
        text = str(name) if label is None else label
        return Where(self.origin, f"{self.label}.{text}" if self.label else text, key, node)

    def span(self) -> Span:
        """The key naming this place, else its value, else the file."""
        for node in (self.key, self.node):
            if node is not None:
                return node.span
        return Span.point(self.origin or "<catalog>")

    def error(
        self, text: str, *, field: Any = None, key: Any = None, value: bool = False
    ) -> CatalogError:
        """An error about this place, its value (``value``), or the value of ``field`` / the
        key ``key`` in it."""
        span = self.node.span if value and self.node is not None else self.span()
        if field is not None or key is not None:
            key_node, value_node = _lookup(self.node, key if key is not None else field)
            chosen = key_node if key is not None else (value_node or key_node)
            if chosen is not None:
                span = chosen.span
        message = f"{self.label}: {text}" if self.label else text
        return CatalogError(message, span, where=self.origin)


def _lookup(node: Node | None, name: Any) -> tuple[Node | None, Node | None]:
    from schemac.core.loader import Mapping, Scalar

    if isinstance(node, Mapping):
        for key, value in node.items:  # the first of duplicate keys, as plain() keeps it
            if isinstance(key, Scalar) and type(key.value) is type(name) and key.value == name:
                return key, value
    return None, None


def read_exchange_file(path: Path, expected_code: str | None = None) -> ExchangeInfo:
    """One catalog file; ``expected_code``, when given, is the code its name promises."""
    from schemac.fileio import DEFAULT_MAX_FILE_BYTES, ReadRefused, read_bytes

    try:  # a regular file of at most 1 MiB, as a schema file (a FIFO would block forever)
        text = read_bytes(path, DEFAULT_MAX_FILE_BYTES).decode("utf-8")
    except (ReadRefused, UnicodeDecodeError) as error:
        raise CatalogError(f"cannot read: {error}", Span.point(str(path))) from None
    return parse_exchange_text(text, str(path), expected_code)


def parse_exchange_text(text: str, origin: str, expected_code: str | None = None) -> ExchangeInfo:
    # The same reader as schema files: YAML 1.2 scalars (an enum value `No` stays a string) and
    # duplicate keys reported instead of the last one silently winning.
    from schemac.core.loader import load_text, plain

    root, problems = load_text(origin, text)
    if problems:
        first = problems[0]
        where = f"{origin}:{first.span.line}:{first.span.column}"
        raise CatalogError(first.message, first.span, where=where)
    return parse_exchange_data(plain(root), Where(origin, node=root), expected_code)


def parse_exchange_data(data: Any, where: Where, expected_code: str | None = None) -> ExchangeInfo:
    if not isinstance(data, dict):
        raise where.error("a catalog file is a mapping with `exchange` and `categories`")
    _no_unknown_keys(data, _FILE_KEYS, where)
    code = _required_text(data, "exchange", where)
    if problem := vocabulary.exchange_code_problem(code):
        raise where.error(f"exchange `{code}`: {problem}", field="exchange")
    code_status = data.get("code", "guessed")
    if code_status not in CODE_STATUSES:
        raise where.error(f"`code` must be one of {', '.join(CODE_STATUSES)}", field="code")
    categories = data.get("categories")
    if not isinstance(categories, dict) or not categories:
        message = "`categories` must map stream categories to entries"
        raise where.error(message, field="categories")
    info = ExchangeInfo(
        code=code,
        name=str(data.get("name") or code),
        code_status=code_status,
        code_source=str(data.get("code_source") or ""),
        notes=_optional_text(data, "notes", where),
        origins=[where.origin],
    )
    in_categories = where.child("categories")
    for category, raw_entry in categories.items():
        at = in_categories.child(category)
        if category not in vocabulary.CATEGORIES:
            raise at.error(f"unknown category; one of {', '.join(vocabulary.CATEGORIES)}")
        if isinstance(raw_entry, dict) and set(raw_entry) == {"unavailable"}:
            reason = str(raw_entry["unavailable"])
            info.unavailable[category] = Unavailable(code, category, reason, where.origin)
            continue
        info.entries[category] = parse_entry(code, category, raw_entry, at)
    if expected_code is not None and code != expected_code:
        message = f"the file is named for `{expected_code}` but says `exchange: {code}`"
        raise where.error(message, field="exchange")
    return info


def parse_entry(exchange: str, category: str, raw: Any, at: Where) -> Entry:
    if not isinstance(raw, dict):
        raise at.error("an entry is a mapping with status, source and paths")
    _no_unknown_keys(raw, _ENTRY_KEYS, at)
    status = raw.get("status")
    if status not in ENTRY_STATUSES:
        raise at.error(f"`status` must be one of {', '.join(ENTRY_STATUSES)}", field="status")
    source = _required_text(raw, "source", at)
    raw_paths = raw.get("paths")
    if not isinstance(raw_paths, dict) or not raw_paths:
        raise at.error("`paths` must map catalog paths to wire types", field="paths")
    paths = build_paths(raw_paths, at.child("paths"))
    return Entry(
        exchange=exchange,
        category=category,
        status=status,
        source=source,
        paths=paths,
        channel=_optional_text(raw, "channel", at),
        notes=_optional_text(raw, "notes", at),
        origin=at.origin,
        child_index=index_children(paths),
    )


def parse_spec(path: str, spec: Any, at: Where) -> PathInfo:
    """``sdec``, ``int?``, ``int|sdec`` or ``{type, enum, complete, optional, note}``."""
    enum: tuple[str, ...] | None = None
    note: str | None = None
    optional = complete = False
    if isinstance(spec, str):
        type_text = spec
    elif isinstance(spec, dict):
        if set(spec) - _SPEC_KEYS and "note" in spec:
            # {type: sdec, note: price, best first} splits the note at the comma
            raise at.error("unknown key in the spec; quote a note that has a comma")
        _no_unknown_keys(spec, _SPEC_KEYS, at)
        raw_type = spec.get("type")
        if isinstance(raw_type, list):
            raw_type = "|".join(str(t) for t in raw_type)
        if not isinstance(raw_type, str):
            message = f"`type` is required (one of {', '.join(WIRE_TYPES)})"
            raise at.error(message, field="type")
        type_text = raw_type
        optional = spec.get("optional", False)
        if not isinstance(optional, bool):
            raise at.error("`optional` must be true or false", field="optional")
        if "enum" in spec:
            values = spec["enum"]
            if not isinstance(values, list) or not values:
                raise at.error("`enum` must be a non-empty list of values", field="enum")
            enum = tuple(_enum_text(v) for v in values)
        complete = spec.get("complete", False)
        if not isinstance(complete, bool):
            raise at.error("`complete` must be true or false", field="complete")
        if complete and enum is None:
            message = "`complete: true` says the `enum` lists every value; give the `enum`"
            raise at.error(message, field="complete")
        if spec.get("note") is not None:
            note = str(spec["note"])
    else:
        raise at.error("a path maps to a wire type or to {type, enum, complete, optional, note}")
    type_text = type_text.strip()
    if type_text.endswith("?"):
        optional = True
        type_text = type_text[:-1]
    types = tuple(t.strip() for t in type_text.split("|"))
    for wire_type in types:
        if wire_type not in WIRE_TYPES:
            message = f"unknown wire type `{wire_type}`; one of {', '.join(WIRE_TYPES)}"
            if isinstance(spec, dict):
                raise at.error(message, field="type")
            raise at.error(message, value=True)
    return PathInfo(
        path=path, types=types, enum=enum, optional=optional, note=note, complete=complete
    )


def build_paths(raw_paths: dict[Any, Any], at: Where | str) -> dict[str, PathInfo]:
    """Parse every path spec, add the containers they imply, and check the tree is coherent.

    ``at`` is where the paths are (or, for paths that come from no file, a label such as
    ``learned okx trade`` that starts each message)."""
    where = Where("", at) if isinstance(at, str) else at
    declared: dict[str, PathInfo] = {}
    places: dict[str, Where] = {}
    for key, spec in raw_paths.items():
        if isinstance(key, bool) or not isinstance(key, (str, int)):
            raise where.error(f"path `{key}` must be written as text (quote it)", key=key)
        path = str(key)
        places[path] = where.child(key)
        problem = catalog_path_problem(path)
        if problem:
            raise places[path].error(problem)
        declared[path] = parse_spec(path, spec, places[path])
    # Containers a path implies need not be written: `data.b[].0` implies `data` (obj), `data.b`
    # (arr) and `data.b[]` (arr). Ancestors go before their children, in written order.
    paths: dict[str, PathInfo] = {}
    for path in declared:
        chain = [path]
        while chain[-1] != ROOT:
            chain.append(parent_path(chain[-1]))
        for ancestor, child in zip(reversed(chain[1:]), reversed(chain[:-1]), strict=True):
            if ancestor not in paths:
                paths[ancestor] = declared.get(ancestor) or PathInfo(
                    ancestor, ("arr",) if _child_needs_array(child) else ("obj",)
                )
                places.setdefault(ancestor, places[path])  # implied: shown where it is implied
        paths.setdefault(path, declared[path])
    return _mark_arrays(paths, where, places)


def _child_needs_array(child: str) -> bool:
    return child.endswith(ELEMENT) or last_segment(child).isdigit()


def _mark_arrays(
    paths: dict[str, PathInfo], where: Where, places: dict[str, Where]
) -> dict[str, PathInfo]:
    kinds: dict[str, set[str]] = {}
    for path in paths:
        if path == ROOT:
            continue
        parent = parent_path(path)
        kind = (
            "element"
            if path.endswith(ELEMENT)
            else ("position" if last_segment(path).isdigit() else "field")
        )
        kinds.setdefault(parent, set()).add(kind)
    result: dict[str, PathInfo] = {}
    for path, info in paths.items():
        child_kinds = kinds.get(path, set())
        shown = path or "(the message root)"
        place = places.get(path, where)
        at = Where(where.origin, f"{where.label}.{shown}", place.key, place.node)
        if "field" in child_kinds and not info.is_object:
            raise at.error("has fields below it, so its type must include obj")
        if child_kinds & {"element", "position"} and not info.is_array:
            raise at.error("has elements below it, so its type must be arr")
        if {"element", "position"} <= child_kinds:
            raise at.error(
                f"an array is either rows (`{shown}[]...`) or positional (`{shown}.0`), not both"
            )
        result[path] = info._replace(
            rows="element" in child_kinds, positional="position" in child_kinds
        )
    return result


def catalog_path_problem(path: str) -> str | None:
    if path == "":
        return "the empty path is the message itself; describe its fields instead"
    for segment in path.split("."):
        if not CATALOG_SEGMENT.fullmatch(segment):
            return (
                f"segment `{segment}` is not a name, a position (digits) or a name followed by []"
            )
    return None


def _enum_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _no_unknown_keys(mapping: dict[Any, Any], allowed: set[str], at: Where) -> None:
    unknown = sorted(str(k) for k in mapping if k not in allowed)
    if unknown:
        first = next(k for k in mapping if str(k) == unknown[0])
        message = f"unknown key `{unknown[0]}`; allowed: {', '.join(sorted(allowed))}"
        raise at.error(message, key=first)


def _required_text(mapping: dict[Any, Any], key: str, at: Where) -> str:
    value = mapping.get(key)
    if not isinstance(value, str) or not value.strip():
        raise at.error(f"`{key}` is required (text)", field=key)
    return value.strip()


def _optional_text(mapping: dict[Any, Any], key: str, at: Where) -> str | None:
    value = mapping.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise at.error(f"`{key}` must be text", field=key)
    return value.strip()

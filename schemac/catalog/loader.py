"""Reading catalog files: one YAML file per exchange, ``<code>.yaml`` (format: the README).

Files are read lazily, one exchange at a time, when a check or a command asks for it: `validate`
only pays for the exchanges its schemas name. A user's catalog folders come after the shipped
one; for each (exchange, category) the last folder that has an entry wins, whole.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from schemac.catalog.model import (
    CATEGORIES,
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

SHIPPED_DIR = Path(__file__).resolve().parent.parent / "data" / "catalog"
FILE_SUFFIX = ".yaml"

_CODE = re.compile(r"[a-z0-9][a-z0-9_]*\Z")
EXCHANGE_CODE = _CODE  # the exchange code grammar, for callers that check a code up front
_SEGMENT = re.compile(r"([^.\s\[\]]+)(\[\])?\Z")
_FILE_KEYS = {"exchange", "name", "code", "code_source", "notes", "categories"}
_ENTRY_KEYS = {"status", "source", "channel", "notes", "paths"}
_SPEC_KEYS = {"type", "enum", "optional", "note"}


class Catalog:
    """The shipped catalog overlaid with the user's folders; exchanges are read on first use.

    A malformed file raises CatalogError on every use of its exchange, not only the first."""

    def __init__(self, dirs: list[Path]) -> None:
        self.dirs = list(dirs)
        self._exchanges: dict[str, ExchangeInfo | None] = {}
        self._errors: dict[str, CatalogError] = {}

    def exchange(self, code: str) -> ExchangeInfo | None:
        """Everything known about one exchange code, or None when no folder has a file for it.
        Raises CatalogError when a file for it is malformed."""
        if code not in self._exchanges:
            try:
                self._exchanges[code] = self._read_exchange(code)
            except CatalogError as error:
                self._errors[code] = error
                self._exchanges[code] = None
        if code in self._errors:
            raise self._errors[code]
        return self._exchanges[code]

    def entry(self, exchange: str, category: str) -> Entry | None:
        info = self.exchange(exchange)
        return None if info is None else info.entries.get(category)

    def unavailable(self, exchange: str, category: str) -> Unavailable | None:
        info = self.exchange(exchange)
        return None if info is None else info.unavailable.get(category)

    def codes(self) -> list[str]:
        """Every exchange code that has a file in some folder (reads no file)."""
        found: set[str] = set()
        for folder in self.dirs:
            if folder.is_dir():
                for path in folder.glob("*" + FILE_SUFFIX):
                    code = path.name[: -len(FILE_SUFFIX)].split(".")[0]
                    if _CODE.match(code):
                        found.add(code)
        return sorted(found)

    def files_for(self, code: str) -> list[Path]:
        """``<code>.yaml`` then ``<code>.<anything>.yaml`` (one file per category, as `learn`
        writes them), folder by folder: later files win."""
        files: list[Path] = []
        for folder in self.dirs:
            whole = folder / f"{code}{FILE_SUFFIX}"
            if whole.is_file():
                files.append(whole)
            if folder.is_dir():
                files.extend(sorted(folder.glob(f"{code}.*{FILE_SUFFIX}")))
        return files

    def _read_exchange(self, code: str) -> ExchangeInfo | None:
        # A code is only ever a file name stem: a code that could not be one (`../x`, 4000
        # characters, glob characters) has no entry, and no file outside the folders is read.
        if not _CODE.fullmatch(code) or len(code) > 100:
            return None
        merged: ExchangeInfo | None = None
        for path in self.files_for(code):
            info = read_exchange_file(path)
            if info.code != code:
                raise CatalogError(
                    f"{path}: the file is named for `{code}` but says `exchange: {info.code}`"
                )
            merged = info if merged is None else overlay(merged, info)
        return merged


def load_catalog(extra_dirs: list[Path] | tuple[Path, ...] = ()) -> Catalog:
    """The shipped catalog plus the user's folders (later folders win). Reads nothing yet."""
    return Catalog([SHIPPED_DIR, *(Path(d) for d in extra_dirs)])


def overlay(base: ExchangeInfo, top: ExchangeInfo) -> ExchangeInfo:
    """``top`` (a user's file) over ``base``: its entries replace base's entries per category."""
    entries = {**base.entries, **top.entries}
    unavailable = {k: v for k, v in base.unavailable.items() if k not in top.entries}
    unavailable.update(top.unavailable)
    for category in top.unavailable:
        entries.pop(category, None)
    return ExchangeInfo(
        code=base.code,
        name=top.name or base.name,
        code_status=top.code_status if top.code_status else base.code_status,
        code_source=top.code_source or base.code_source,
        entries=entries,
        unavailable=unavailable,
        notes=top.notes or base.notes,
        origins=[*base.origins, *top.origins],
    )


def read_exchange_file(path: Path) -> ExchangeInfo:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CatalogError(f"{path}: cannot read: {error}") from None
    return parse_exchange_text(text, str(path))


def parse_exchange_text(text: str, origin: str) -> ExchangeInfo:
    # The same reader as schema files: YAML 1.2 scalars (an enum value `No` stays a string) and
    # duplicate keys reported instead of the last one silently winning.
    from schemac.core.loader import load_text, plain

    root, problems = load_text(origin, text)
    if problems:
        first = problems[0]
        where = f"{origin}:{first.span.line}:{first.span.column}"
        raise CatalogError(f"{where}: {first.message}")
    return parse_exchange_data(plain(root), origin)


def parse_exchange_data(data: Any, origin: str) -> ExchangeInfo:
    where = origin
    if not isinstance(data, dict):
        raise CatalogError(f"{where}: a catalog file is a mapping with `exchange` and `categories`")
    _no_unknown_keys(data, _FILE_KEYS, where)
    code = _required_text(data, "exchange", where)
    if not _CODE.match(code):
        raise CatalogError(f"{where}: exchange code `{code}` must be lower-case letters, digits, _")
    code_status = data.get("code", "guessed")
    if code_status not in CODE_STATUSES:
        raise CatalogError(f"{where}: `code` must be one of {', '.join(CODE_STATUSES)}")
    categories = data.get("categories")
    if not isinstance(categories, dict) or not categories:
        raise CatalogError(f"{where}: `categories` must map stream categories to entries")
    info = ExchangeInfo(
        code=code,
        name=str(data.get("name") or code),
        code_status=code_status,
        code_source=str(data.get("code_source") or ""),
        notes=_optional_text(data, "notes", where),
        origins=[origin],
    )
    for category, raw_entry in categories.items():
        at = f"{where}: categories.{category}"
        if category not in CATEGORIES:
            raise CatalogError(f"{at}: unknown category; one of {', '.join(CATEGORIES)}")
        if isinstance(raw_entry, dict) and set(raw_entry) == {"unavailable"}:
            info.unavailable[category] = Unavailable(
                code, category, str(raw_entry["unavailable"]), origin
            )
            continue
        info.entries[category] = parse_entry(code, category, raw_entry, origin, at)
    return info


def parse_entry(exchange: str, category: str, raw: Any, origin: str, at: str) -> Entry:
    if not isinstance(raw, dict):
        raise CatalogError(f"{at}: an entry is a mapping with status, source and paths")
    _no_unknown_keys(raw, _ENTRY_KEYS, at)
    status = raw.get("status")
    if status not in ENTRY_STATUSES:
        raise CatalogError(f"{at}: `status` must be one of {', '.join(ENTRY_STATUSES)}")
    source = _required_text(raw, "source", at)
    raw_paths = raw.get("paths")
    if not isinstance(raw_paths, dict) or not raw_paths:
        raise CatalogError(f"{at}: `paths` must map catalog paths to wire types")
    paths = build_paths(raw_paths, f"{at}.paths")
    return Entry(
        exchange=exchange,
        category=category,
        status=status,
        source=source,
        paths=paths,
        channel=_optional_text(raw, "channel", at),
        notes=_optional_text(raw, "notes", at),
        origin=origin,
        child_index=index_children(paths),
    )


def parse_spec(path: str, spec: Any, at: str) -> PathInfo:
    """``sdec``, ``int?``, ``int|sdec`` or ``{type, enum, optional, note}``."""
    enum: tuple[str, ...] | None = None
    note: str | None = None
    optional = False
    if isinstance(spec, str):
        type_text = spec
    elif isinstance(spec, dict):
        if set(spec) - _SPEC_KEYS and "note" in spec:
            # {type: sdec, note: price, best first} splits the note at the comma
            raise CatalogError(f"{at}: unknown key in the spec; quote a note that has a comma")
        _no_unknown_keys(spec, _SPEC_KEYS, at)
        raw_type = spec.get("type")
        if isinstance(raw_type, list):
            raw_type = "|".join(str(t) for t in raw_type)
        if not isinstance(raw_type, str):
            raise CatalogError(f"{at}: `type` is required (one of {', '.join(WIRE_TYPES)})")
        type_text = raw_type
        optional = spec.get("optional", False)
        if not isinstance(optional, bool):
            raise CatalogError(f"{at}: `optional` must be true or false")
        if "enum" in spec:
            values = spec["enum"]
            if not isinstance(values, list) or not values:
                raise CatalogError(f"{at}: `enum` must be a non-empty list of values")
            enum = tuple(_enum_text(v) for v in values)
        if spec.get("note") is not None:
            note = str(spec["note"])
    else:
        raise CatalogError(f"{at}: a path maps to a wire type or to {{type, enum, optional}}")
    type_text = type_text.strip()
    if type_text.endswith("?"):
        optional = True
        type_text = type_text[:-1]
    types = tuple(t.strip() for t in type_text.split("|"))
    for wire_type in types:
        if wire_type not in WIRE_TYPES:
            raise CatalogError(
                f"{at}: unknown wire type `{wire_type}`; one of {', '.join(WIRE_TYPES)}"
            )
    return PathInfo(path=path, types=types, enum=enum, optional=optional, note=note)


def build_paths(raw_paths: dict[Any, Any], at: str) -> dict[str, PathInfo]:
    """Parse every path spec, add the containers they imply, and check the tree is coherent."""
    declared: dict[str, PathInfo] = {}
    for key, spec in raw_paths.items():
        if isinstance(key, bool) or not isinstance(key, (str, int)):
            raise CatalogError(f"{at}: path `{key}` must be written as text (quote it)")
        path = str(key)
        problem = catalog_path_problem(path)
        if problem:
            raise CatalogError(f"{at}.{path}: {problem}")
        declared[path] = parse_spec(path, spec, f"{at}.{path}")
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
        paths.setdefault(path, declared[path])
    return _mark_arrays(paths, at)


def _child_needs_array(child: str) -> bool:
    return child.endswith(ELEMENT) or last_segment(child).isdigit()


def _mark_arrays(paths: dict[str, PathInfo], at: str) -> dict[str, PathInfo]:
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
        if "field" in child_kinds and not info.is_object:
            raise CatalogError(f"{at}.{shown}: has fields below it, so its type must include obj")
        if child_kinds & {"element", "position"} and not info.is_array:
            raise CatalogError(f"{at}.{shown}: has elements below it, so its type must be arr")
        if {"element", "position"} <= child_kinds:
            raise CatalogError(
                f"{at}.{shown}: an array is either rows (`{shown}[]...`) or positional "
                f"(`{shown}.0`), not both"
            )
        result[path] = replace(
            info, rows="element" in child_kinds, positional="position" in child_kinds
        )
    return result


def catalog_path_problem(path: str) -> str | None:
    if path == "":
        return "the empty path is the message itself; describe its fields instead"
    for segment in path.split("."):
        if not _SEGMENT.match(segment):
            return (
                f"segment `{segment}` is not a name, a position (digits) or a name followed by []"
            )
    return None


def _enum_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _no_unknown_keys(mapping: dict[Any, Any], allowed: set[str], at: str) -> None:
    unknown = sorted(str(k) for k in mapping if k not in allowed)
    if unknown:
        raise CatalogError(
            f"{at}: unknown key `{unknown[0]}`; allowed: {', '.join(sorted(allowed))}"
        )


def _required_text(mapping: dict[Any, Any], key: str, at: str) -> str:
    value = mapping.get(key)
    if not isinstance(value, str) or not value.strip():
        raise CatalogError(f"{at}: `{key}` is required (text)")
    return value.strip()


def _optional_text(mapping: dict[Any, Any], key: str, at: str) -> str | None:
    value = mapping.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise CatalogError(f"{at}: `{key}` must be text")
    return value.strip()

"""The catalog model: what one exchange sends for one stream category, path by path.

Catalog paths extend the column-path grammar of :mod:`schemac.core.paths` by one mark: a segment
ending in ``[]`` stands for "each element of this array". ``data[].p`` is field ``p`` of every
element of the array ``data``; ``data.b[].0`` is position 0 of every level in ``data.b``. A column
path never contains ``[]``: it reaches an element through an unfold (``data.p`` after unfolding
``data``) or through an index (``data.b.0.0``). :mod:`schemac.catalog.resolve` maps one onto the
other.
"""

from __future__ import annotations

from dataclasses import dataclass, field

CATEGORIES = ("trade", "orderbook", "book_update", "quote", "kline", "ticker", "liquidation")
ENTRY_STATUSES = ("confirmed", "inferred")
CODE_STATUSES = ("confirmed", "guessed")
ROOT = ""  # the catalog path of the message itself
ELEMENT = "[]"


class CatalogError(ValueError):
    """A catalog file that cannot be read or does not follow the format (see the README)."""


@dataclass(frozen=True, slots=True)
class PathInfo:
    path: str  # catalog notation, e.g. "data[].p"
    types: tuple[str, ...]  # wire types, see schemac.catalog.wiretypes
    enum: tuple[str, ...] | None = None  # documented value domain (strings), None: open
    optional: bool = False  # may be absent when its parent is present
    note: str | None = None
    rows: bool = False  # an array whose elements are rows (it has "[]" children)
    positional: bool = False  # an array addressed by position (it has digit children)

    @property
    def is_array(self) -> bool:
        return "arr" in self.types

    @property
    def is_object(self) -> bool:
        return "obj" in self.types


@dataclass(frozen=True, slots=True)
class Entry:
    """One exchange x category: every path the exchange sends, with its wire type."""

    exchange: str
    category: str
    status: str  # "confirmed" (the exchange's documentation) or "inferred" (library, capture)
    source: str
    paths: dict[str, PathInfo]  # catalog path -> info, ROOT included
    channel: str | None = None
    notes: str | None = None
    origin: str = ""  # the file it came from
    child_index: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)

    @property
    def confirmed(self) -> bool:
        return self.status == "confirmed"

    def children(self, path: str) -> tuple[str, ...]:
        return self.child_index.get(path, ())


def index_children(paths: dict[str, PathInfo]) -> dict[str, tuple[str, ...]]:
    """parent catalog path -> its children, in the order the paths were written."""
    index: dict[str, list[str]] = {}
    for path in paths:
        if path != ROOT:
            index.setdefault(parent_path(path), []).append(path)
    return {parent: tuple(children) for parent, children in index.items()}


@dataclass(frozen=True, slots=True)
class Unavailable:
    """A category the exchange has no public channel for (Binance spot liquidations)."""

    exchange: str
    category: str
    reason: str
    origin: str = ""


@dataclass(slots=True)
class ExchangeInfo:
    """One exchange's catalog: its code, whether Ticksupply documents that code, its entries."""

    code: str
    name: str
    code_status: str  # "confirmed": the code appears in Ticksupply's docs; "guessed"
    code_source: str
    entries: dict[str, Entry] = field(default_factory=dict)
    unavailable: dict[str, Unavailable] = field(default_factory=dict)
    notes: str | None = None
    origins: list[str] = field(default_factory=list)


def parent_path(path: str) -> str:
    """``a.b[].c`` -> ``a.b[]`` -> ``a.b`` -> ``a`` -> ROOT."""
    if path.endswith(ELEMENT):
        return path[: -len(ELEMENT)]
    head, _, _ = path.rpartition(".")
    return head


def last_segment(path: str) -> str:
    return path.rpartition(".")[2]


def child_path(parent: str, segment: str) -> str:
    if segment == ELEMENT:
        return parent + ELEMENT
    return segment if parent == ROOT else f"{parent}.{segment}"

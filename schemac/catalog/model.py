"""The catalog model: what one exchange sends for one stream category, path by path.

Catalog paths extend the column-path grammar of :mod:`schemac.core.paths` by one mark: a segment
ending in ``[]`` stands for "each element of this array". ``data[].p`` is field ``p`` of every
element of the array ``data``; ``data.b[].0`` is position 0 of every level in ``data.b``. A column
path never contains ``[]``: it reaches an element through an unfold (``data.p`` after unfolding
``data``) or through an index (``data.b.0.0``). :mod:`schemac.catalog.resolve` maps one onto the
other.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

from schemac.diagnostics import Span

ENTRY_STATUSES = ("confirmed", "inferred")
CODE_STATUSES = ("confirmed", "guessed")
ROOT = ""  # the catalog path of the message itself
ELEMENT = "[]"

SHIPPED_DIR = Path(__file__).resolve().parent.parent / "data" / "catalog"
FILE_SUFFIX = ".yaml"  # one file per exchange, `<code>.yaml` (or `<code>.<anything>.yaml`)


class CatalogError(ValueError):
    """A catalog file that cannot be read or does not follow the format (see the README).

    ``message`` says what is wrong and where inside the file (``categories.trade: ...``);
    ``span`` is where in which file. ``str(error)`` is ``<prefix>: <message>``, the prefix being
    the file (``where`` overrides it, e.g. ``file:line:col`` for a YAML syntax error), or just
    the message when the span names no file.
    """

    def __init__(self, message: str, span: Span, *, where: str | None = None) -> None:
        prefix = span.file if where is None else where
        super().__init__(f"{prefix}: {message}" if prefix else message)
        self.message = message
        self.span = span
        self.where = where

    def __reduce__(self) -> tuple[Any, ...]:  # copy and pickle: rebuild with the same parts
        return (_rebuild_catalog_error, (self.message, self.span, self.where))


def _rebuild_catalog_error(message: str, span: Span, where: str | None) -> CatalogError:
    return CatalogError(message, span, where=where)


# The model's records are NamedTuples, and ExchangeInfo a plain class: creating a dataclass costs
# about 1 ms at import and building a frozen one is three times slower than a tuple, on the
# `validate` path that reads an entry of a few hundred paths per exchange.


class PathInfo(NamedTuple):
    path: str  # catalog notation, e.g. "data[].p"
    types: tuple[str, ...]  # wire types, see schemac.catalog.wiretypes
    enum: tuple[str, ...] | None = None  # documented value domain (strings), None: open
    optional: bool = False  # may be absent when its parent is present
    note: str | None = None
    rows: bool = False  # an array whose elements are rows (it has "[]" children)
    positional: bool = False  # an array addressed by position (it has digit children)
    # `enum` lists every value the exchange's docs allow: a value outside it never comes (SC607
    # is then an error, not a warning).
    complete: bool = False

    @property
    def is_array(self) -> bool:
        return "arr" in self.types

    @property
    def is_object(self) -> bool:
        return "obj" in self.types


class Entry(NamedTuple):
    """One exchange x category: every path the exchange sends, with its wire type."""

    exchange: str
    category: str
    status: str  # "confirmed" (the exchange's documentation) or "inferred" (library, capture)
    source: str
    paths: dict[str, PathInfo]  # catalog path -> info, ROOT included
    channel: str | None = None
    notes: str | None = None
    origin: str = ""  # the file it came from
    child_index: dict[str, tuple[str, ...]] = {}  # noqa: RUF012  # shared, never mutated

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


class Unavailable(NamedTuple):
    """A category the exchange has no public channel for (Binance spot liquidations)."""

    exchange: str
    category: str
    reason: str
    origin: str = ""


class ExchangeInfo:
    """One exchange's catalog: its code, whether Ticksupply documents that code, its entries."""

    __slots__ = _EXCHANGE_FIELDS = (
        "code",
        "name",
        "code_status",
        "code_source",
        "entries",
        "unavailable",
        "notes",
        "origins",
    )

    def __init__(
        self,
        code: str,
        name: str,
        code_status: str,  # "confirmed": the code appears in Ticksupply's docs; "guessed"
        code_source: str,
        entries: dict[str, Entry] | None = None,
        unavailable: dict[str, Unavailable] | None = None,
        notes: str | None = None,
        origins: list[str] | None = None,
    ) -> None:
        self.code = code
        self.name = name
        self.code_status = code_status
        self.code_source = code_source
        self.entries: dict[str, Entry] = {} if entries is None else entries
        self.unavailable: dict[str, Unavailable] = {} if unavailable is None else unavailable
        self.notes = notes
        self.origins: list[str] = [] if origins is None else origins

    def _fields(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._EXCHANGE_FIELDS)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ExchangeInfo):
            return NotImplemented
        return self._fields() == other._fields()

    __hash__ = None  # type: ignore[assignment]  # mutable, as a dataclass would be

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._EXCHANGE_FIELDS)
        return f"ExchangeInfo({shown})"


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

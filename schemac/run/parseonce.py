"""Parse each JSON document once per row, whatever the number of columns that read it.

Reading one path per `JSONExtract` parses the message again for every column; at six columns
that is most of a run's time. Here the paths a branch reads from one document (the message, or
the unfolded element) are gathered and read by a single call per engine:

- ClickHouse: ``JSONExtract(doc, 'Tuple(data Tuple(p Nullable(Decimal(38, 8)), ...))')``, a
  named tuple shaped like the paths; each leaf is converted by the same code that converts a
  single-path `JSONExtract` to that type, so a value that cannot be read is NULL as before.
  One difference needs a guard: ClickHouse fills a named tuple from a JSON *array* by
  position, where reading a key of an array finds nothing. Every tuple therefore starts with
  a field named :data:`GUARD` (a key no exchange sends), typed ``Nullable(String)``: from an
  object it is missing, so NULL; from an array it takes the first element. A leaf is kept only
  when the guard of every tuple above it is NULL. (An array whose first element is JSON
  ``null`` passes the guard; docs/run.md states it.) A path the tuple cannot express (an array
  position, a key with a quote or backtick, the element itself, two types at one path, a
  path through another read's leaf) is read on its own, as before.
- DuckDB: ``json_extract_string(doc, ['$.a', '$.b'])`` reads a list of paths in one parse and
  gives the same text as the single-path call, so every path can share it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

GUARD = "__schemac_array__"
_TUPLE_NAME = re.compile(r"[^`'\\\x00-\x1f]+")


@dataclass(frozen=True)
class Read:
    """One column's read: ``path`` within the JSON text ``source``, as ``schemac_type``."""

    source: str
    path: tuple[str, ...]
    schemac_type: str


@dataclass
class TupleTree:
    """The named tuple type that reads a set of paths from one JSON document."""

    children: dict[str, TupleTree | str] = field(default_factory=dict)

    def add(self, path: tuple[str, ...], leaf_type: str) -> bool:
        """Add ``path`` read as ``leaf_type``; False when the tuple cannot express it."""
        if not path or not all(_expressible(segment) for segment in path):
            return False
        node = self
        for segment in path[:-1]:
            child = node.children.setdefault(segment, TupleTree())
            if not isinstance(child, TupleTree):
                return False  # the path runs through another read's leaf
            node = child
        existing = node.children.setdefault(path[-1], leaf_type)
        return existing == leaf_type

    def type_sql(self) -> str:
        fields = [f"{_quote(GUARD)} Nullable(String)"]
        for name, child in self.children.items():
            inner = child.type_sql() if isinstance(child, TupleTree) else child
            fields.append(f"{_quote(name)} {inner}")
        return f"Tuple({', '.join(fields)})"


def _expressible(segment: str) -> bool:
    return not segment.isdigit() and segment != GUARD and bool(_TUPLE_NAME.fullmatch(segment))


def _quote(name: str) -> str:
    return "`" + name + "`"

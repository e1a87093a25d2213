"""Canonical key order, by moving lines: each key of a block mapping moves with its value and
the comment lines above it, so that no comment changes the key it is written about.

The order is the format reference's (the key tuples of :mod:`schemac.core.parse`): known keys
in that order, unknown keys after them in the order written. Only mappings of a known role are
reordered (the schema, a column, an extractor, a derive field and a derive array); the order of
columns, exchanges and anything else the author lists is meaning, and is kept.

A mapping written in flow style (``{path: x, type: y}``) is reordered by the layout pass instead
(:mod:`schemac.fmt.layout`), which rewrites it whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from schemac.core.parse import (
    COLUMN_KEYS,
    DERIVE_ARRAY_KEYS,
    DERIVE_KEYS,
    EXTRACTOR_KEYS,
    SCHEMA_KEYS,
)
from schemac.core.tree import Mapping, Node, Scalar, Sequence


def canonical_order(keys: list[Any], order: tuple[str, ...]) -> list[int]:
    """Positions of ``keys`` in canonical order: known keys as ``order`` lists them, then the
    others as written (a stable sort, so duplicates and unknown keys keep their order)."""
    rank = {key: index for index, key in enumerate(order)}
    return sorted(range(len(keys)), key=lambda i: rank.get(keys[i], len(order)))


def ordered_mappings(root: Node) -> Iterator[tuple[Mapping, tuple[str, ...]]]:
    """Every mapping of ``root`` with a canonical key order, with that order."""
    if not isinstance(root, Mapping):
        return
    yield root, SCHEMA_KEYS
    derive = root.get("derive")
    if isinstance(derive, Mapping):
        for _, fields in derive.items:
            for field in fields.items if isinstance(fields, Sequence) else ():
                if isinstance(field, Mapping):
                    yield field, DERIVE_KEYS
                    arrays = field.get("arrays")
                    for array in arrays.items if isinstance(arrays, Sequence) else ():
                        if isinstance(array, Mapping):
                            yield array, DERIVE_ARRAY_KEYS
    columns = root.get("columns")
    for _, column in columns.items if isinstance(columns, Mapping) else ():
        if isinstance(column, Mapping):
            yield column, COLUMN_KEYS
            sources = column.get("from")
            for _, extractor in sources.items if isinstance(sources, Mapping) else ():
                if isinstance(extractor, Mapping):
                    yield extractor, EXTRACTOR_KEYS


class _Move(NamedTuple):
    column: int  # 0-based column of the keys
    bounds: list[tuple[int, int]]  # each item's lines (leading comments, key, value), 0-based
    order: list[int]

    @property
    def first(self) -> int:
        return self.bounds[0][0]

    @property
    def end(self) -> int:
        return self.bounds[-1][1]


def reorder_keys(text: str, root: Node) -> str:
    """``text`` with the keys of its block mappings in canonical order (``root``: its tree)."""
    lines = text.splitlines(keepends=True)
    moves = []
    seen: set[tuple[int, int]] = set()  # an alias is its anchor's mapping: moved once
    for mapping, order in ordered_mappings(root):
        where = (mapping.span.line, mapping.span.column)
        if where in seen:
            continue
        seen.add(where)
        keys = [k.value if isinstance(k, Scalar) else None for k, _ in mapping.items]
        wanted = canonical_order(keys, order)
        if wanted != list(range(len(keys))) and not _is_flow(lines, mapping):
            moves.append(_plan(lines, mapping, wanted))
    # Later mappings first: a move changes no line outside its own range, and a mapping inside
    # another lies within one of the outer one's items, which moves as a whole afterwards.
    for move in sorted(moves, key=lambda m: m.first, reverse=True):
        blocks = [lines[start:stop] for start, stop in move.bounds]
        lines[move.first : move.end] = _apply(move, blocks)
    return "".join(lines)


def _plan(lines: list[str], mapping: Mapping, order: list[int]) -> _Move:
    key_lines = [key.span.line - 1 for key, _ in mapping.items]
    ends = [_last_line(lines, value) + 1 for _, value in mapping.items]
    column = mapping.items[0][0].span.column - 1
    starts = [key_lines[0]]
    for index in range(1, len(key_lines)):
        starts.append(_leading_start(lines, ends[index - 1], key_lines[index], column))
    stops = [*starts[1:], ends[-1]]
    return _Move(column, list(zip(starts, stops, strict=True)), order)


def _apply(move: _Move, blocks: list[list[str]]) -> list[str]:
    """The items' lines in the new order. The first key may share its line with a sequence
    dash (``- field: x``): the dash goes to whichever key comes first."""
    key_column = move.column
    prefix = blocks[0][0][:key_column]
    out: list[str] = []
    for position, index in enumerate(move.order):
        block = list(blocks[index])
        key_at = _key_line_index(block)
        lead = prefix if position == 0 else " " * key_column
        block[key_at] = lead + block[key_at][key_column:]
        out.extend(block)
        if not out[-1].endswith("\n"):
            out[-1] += "\n"  # the last line of the file had none
    return out


def _key_line_index(block: list[str]) -> int:
    """The line of a block that holds its key: the first that is not a comment or blank."""
    for index, line in enumerate(block):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            return index
    return 0


def _leading_start(lines: list[str], after_previous: int, key_line: int, column: int) -> int:
    """Where the comment lines that lead a key start: the blank and comment lines above it, less
    those indented deeper than the key, which end the previous item's value."""
    start = after_previous
    for index in range(after_previous, key_line):
        stripped = lines[index].strip()
        indent = len(lines[index]) - len(lines[index].lstrip())
        if stripped.startswith("#") and indent > column:
            start = index + 1
    return start


def _last_line(lines: list[str], node: Node) -> int:
    """The 0-based line of a node's last character of content."""
    if isinstance(node, (Mapping, Sequence)) and not _is_flow(lines, node):
        children: list[Node] = []
        for item in node.items:
            children.extend(item if isinstance(item, tuple) else (item,))
        return max((_last_line(lines, child) for child in children), default=node.span.line - 1)
    span = node.span
    if span.end_line > span.line and span.end_column == 1:  # a block scalar ends at a line start
        return span.end_line - 2
    return span.end_line - 1


def _is_flow(lines: list[str], node: Mapping | Sequence) -> bool:
    line = lines[node.span.line - 1] if node.span.line - 1 < len(lines) else ""
    return line[node.span.column - 1 : node.span.column] in ("{", "[")

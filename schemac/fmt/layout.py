"""Canonical layout with ruamel.yaml's round trip: two-space indent, block or flow style by the
role of each node, comments and blank lines kept.

Block, always: the schema, ``unfold``, ``derive`` and its lists and fields, ``columns``, each
column and its ``from``. Flow when the line fits in :data:`WIDTH` columns and nothing inside it
carries a comment: ``exchanges``, an extractor, a ``case`` map, a derive field's ``arrays`` and
each of its items, an ``unfold`` value written as a mapping. That is how the README's examples
are written (``binance: {path: data.t, type: i64, transform: "toString({v})"}``), and it is
what `pull` writes.

ruamel keeps a comment line, and a blank line, as part of the comment token of the line above
it. When a node changes style, the lines that follow it move with it: from after its last item
(block) to after its own line (flow), and back.

ruamel.yaml is imported here only; only `schemac fmt` and `schemac new` import this module.
"""

from __future__ import annotations

import functools
import io
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from schemac.core.parse import (
    COLUMN_KEYS,
    DERIVE_ARRAY_KEYS,
    DERIVE_KEYS,
    EXTRACTOR_KEYS,
    SCHEMA_KEYS,
    UNFOLD_KEYS,
)
from schemac.fmt import tokens

WIDTH = 100  # the longest line a flow-style node may make (ruff's and the README's width)
INDENT = 2

Key = Any  # a mapping key or a sequence index


def new_yaml() -> YAML:
    """A round-trip YAML with the canonical indentation; long scalars are never folded."""
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 1 << 16
    yaml.indent(mapping=INDENT, sequence=2 * INDENT, offset=INDENT)
    return yaml


def lay_out(text: str) -> str:
    """``text`` (YAML whose block mappings are already in canonical key order) in the
    canonical layout."""
    yaml = new_yaml()
    yaml.explicit_start = _has_document_start(text)
    root = yaml.load(text)
    if isinstance(root, CommentedMap):
        _schema(root)
        tokens.move_tails(root)
    out = io.StringIO()
    yaml.dump(root, out)
    return out.getvalue()


def _has_document_start(text: str) -> bool:
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#") and not stripped.startswith("%"):
            return stripped == "---" or stripped.startswith("--- ")
    return False


# ---- roles ------------------------------------------------------------------------------


def _schema(root: CommentedMap) -> None:
    _block(root, SCHEMA_KEYS)
    if isinstance(root.get("exchanges"), CommentedSeq):
        _flow_if_fits(root, "exchanges", 0, ())
    unfold = root.get("unfold")
    if isinstance(unfold, CommentedMap):
        _block_at(root, "unfold", 0)
        for code, rule in unfold.items():
            if isinstance(rule, CommentedMap):
                _flow_if_fits(unfold, code, INDENT, UNFOLD_KEYS)
    if isinstance(root.get("derive"), CommentedMap):
        _derive(root)
    columns = root.get("columns")
    if isinstance(columns, CommentedMap):
        _block_at(root, "columns", 0)
        for name, column in columns.items():
            if isinstance(column, CommentedMap):
                _column(columns, name, INDENT)


def _derive(root: CommentedMap) -> None:
    derive = root["derive"]
    _block_at(root, "derive", 0)
    for code, fields in derive.items():
        if not isinstance(fields, CommentedSeq):
            continue
        _block_at(derive, code, INDENT)
        for index, field in enumerate(fields):
            if isinstance(field, CommentedMap):
                _block_at(fields, index, 2 * INDENT, DERIVE_KEYS)
                arrays = field.get("arrays")
                if isinstance(arrays, CommentedSeq):
                    for item in arrays:  # ordered here too: the list may stay in flow style
                        if isinstance(item, CommentedMap):
                            _reorder(item, DERIVE_ARRAY_KEYS)
                    _flow_if_fits(field, "arrays", 3 * INDENT, (), _derive_arrays)


def _derive_arrays(arrays: CommentedSeq, column: int) -> None:
    """A block list of derive arrays (dash at ``column``): each item flow if it fits."""
    for index, item in enumerate(arrays):
        if isinstance(item, CommentedMap):
            _flow_if_fits(arrays, index, column, DERIVE_ARRAY_KEYS)


def _column(columns: CommentedMap, name: Any, key_column: int) -> None:
    column = columns[name]
    _block_at(columns, name, key_column, COLUMN_KEYS)
    sources = column.get("from")
    if isinstance(sources, CommentedMap):
        _block_at(column, "from", key_column + INDENT)
        for code, extractor in sources.items():
            if isinstance(extractor, CommentedMap):
                _flow_if_fits(sources, code, key_column + 2 * INDENT, EXTRACTOR_KEYS, _extractor)


def _extractor(extractor: CommentedMap, key_column: int) -> None:
    if isinstance(extractor.get("case"), CommentedMap):
        _flow_if_fits(extractor, "case", key_column, ())


# ---- styles -----------------------------------------------------------------------------


def _block(node: CommentedMap | CommentedSeq, order: tuple[str, ...] = ()) -> None:
    if order and isinstance(node, CommentedMap):
        _reorder(node, order)
    if node:  # an empty one stays `{}` or `[]`: block style has no way to write it
        node.fa.set_block_style()


def _block_at(
    parent: CommentedMap | CommentedSeq, key: Key, column: int, order: tuple[str, ...] = ()
) -> None:
    """``parent[key]`` in block style (its key, or its dash, at ``column``)."""
    node = parent[key]
    was_flow = node.fa.flow_style()
    _block(node, order)
    if was_flow and node:
        _comment_after_key(parent, key, column)


def _reorder(node: CommentedMap, order: tuple[str, ...]) -> None:
    """Known keys in ``order``, then the others as written. Block mappings arrive in order
    (moved as lines, with their comments); this orders flow mappings, which have none."""
    rank = {key: index for index, key in enumerate(order)}
    wanted = sorted(node.keys(), key=lambda key: rank.get(key, len(order)))
    if list(node.keys()) != wanted:
        for key in wanted:
            node.move_to_end(key)


def _flow_if_fits(
    parent: CommentedMap | CommentedSeq,
    key: Key,
    column: int,
    order: tuple[str, ...],
    inside: Any = None,
) -> None:
    """Write ``parent[key]`` in flow style when it has no comment inside and its line (the key,
    or a sequence dash, at ``column``) fits in WIDTH; else in block style, and then ``inside``
    decides its children's styles (their keys at ``column + INDENT``)."""
    node = parent[key]
    if isinstance(node, CommentedMap) and order:
        _reorder(node, order)
    was_flow = node.fa.flow_style()
    if not node or (
        not tokens.has_comments(node, tokens.eol_token(parent, key)) and _fits(parent, key, column)
    ):
        node.fa.set_flow_style()
        return
    _block(node)
    if was_flow:
        _comment_after_key(parent, key, column)
    if inside is not None:
        inside(node, column + INDENT)


def _fits(parent: CommentedMap | CommentedSeq, key: Key, column: int) -> bool:
    """Whether ``parent[key]``, in flow style, makes a line of at most WIDTH columns (its
    comments aside). Leaves it, and everything inside it, in flow style; a comment after it
    goes two spaces after its end."""
    node = parent[key]
    _set_flow(node)
    end = column + _line_width(parent, key)
    if end > WIDTH:
        return False
    tokens.comment_at(tokens.eol_token(parent, key), end + 2, at_least=True)
    tokens.comment_at((node.ca.comment or [None])[0], end + 2, at_least=True)
    return True


def _line_width(parent: CommentedMap | CommentedSeq, key: Key) -> int:
    """The width of ``parent[key]``'s line from its key (or dash) on, all in flow style."""
    if isinstance(parent, CommentedSeq):
        return len("- ") + len(_flow_text(_bare(parent[key])))
    shown = CommentedMap()
    shown[key] = _bare(parent[key])
    shown.fa.set_flow_style()
    return len(_flow_text(shown)) - len("{}")


def _comment_after_key(parent: CommentedMap | CommentedSeq, key: Key, column: int) -> None:
    """A comment that followed a flow node now follows its key alone: two spaces after it,
    not where the end of the flow line was."""
    token = tokens.eol_token(parent, key)
    if token is None or isinstance(token, list) or not token.value.startswith("#"):
        return
    node = parent[key]
    if isinstance(parent, CommentedSeq) and isinstance(node, CommentedMap):
        # `- {a: 1, b: 2}  # c` becomes `- a: 1  # c` / `  b: 2`: the dash's line is the first
        # key's, and a comment alone after a dash would read as a null item
        first = next(iter(node))
        if not isinstance(node[first], (CommentedMap, CommentedSeq)) and not tokens.eol_token(
            node, first
        ):
            tail = tokens.split_tail(parent, key)  # the lines after the item stay after it
            parent.ca.items[key][0] = None
            tokens.append_tail(parent, key, tail)
            if node.ca.comment:
                node.ca.comment[0] = None
            node.ca.items.setdefault(first, [None, None, None, None])[2] = token
            tokens.comment_at(token, column + 2 + _line_width(node, first) + 2)
            return
    shown = "-" if isinstance(parent, CommentedSeq) else f"{key}:"
    if isinstance(key, str) and type(key) is not str:
        shown += "''"  # a quoted key (ruamel keeps the quotes as a str subclass)
    tokens.comment_at(token, column + len(shown) + 2)
    tokens.comment_at((node.ca.comment or [None])[0], column + len(shown) + 2)


def _set_flow(node: Any) -> None:
    if isinstance(node, (CommentedMap, CommentedSeq)):
        node.fa.set_flow_style()
        for child in node.values() if isinstance(node, CommentedMap) else node:
            _set_flow(child)


def _bare(node: Any) -> Any:
    """A flow-style copy of ``node`` without its comments, to measure."""
    if isinstance(node, CommentedMap):
        copy: CommentedMap | CommentedSeq = CommentedMap(
            (key, _bare(value)) for key, value in node.items()
        )
    elif isinstance(node, CommentedSeq):
        copy = CommentedSeq(_bare(value) for value in node)
    else:
        return node
    copy.fa.set_flow_style()
    return copy


@functools.cache
def _measuring_yaml() -> YAML:
    return new_yaml()


def _flow_text(node: Any) -> str:
    out = io.StringIO()
    _measuring_yaml().dump(node, out)
    text = out.getvalue().rstrip("\n")
    return text if "\n" not in text else "\n" * (WIDTH + 1)  # a multi-line scalar never fits

"""The located tree: what the loader builds, every node knowing the span of its source text.

Scalars are typed the YAML 1.2 way (:func:`resolve_plain`): only ``true``/``false`` are booleans;
``on``, ``Yes`` and ``No`` are strings. A mapping keeps its items in written order, duplicates
included (the loader reports them), so that every later stage can point at what was written.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from schemac.diagnostics import Span

_INT = re.compile(r"[-+]?[0-9]+")
_OCT = re.compile(r"0o[0-7]+")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_INF = re.compile(r"[-+]?\.(inf|Inf|INF)")
_NAN = re.compile(r"\.(nan|NaN|NAN)")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_WORD_STARTS = frozenset("nNtTfF")  # null, true, false: the only plain words with a type


@dataclass(slots=True, eq=False)
class Node:
    span: Span
    size: int = field(default=1, kw_only=True)  # nodes in this subtree, for the alias budget

    @property
    def kind(self) -> str:
        return "value"


@dataclass(slots=True, eq=False)
class Scalar(Node):
    value: str | int | float | bool | None
    style: str | None = None  # None plain, "'" or '"' quoted, "|" or ">" block

    @property
    def kind(self) -> str:
        return describe_value(self.value)


@dataclass(slots=True, eq=False)
class Sequence(Node):
    items: list[Node]

    @property
    def kind(self) -> str:
        return "list"


@dataclass(slots=True, eq=False)
class Mapping(Node):
    items: list[tuple[Scalar | Node, Node]]

    @property
    def kind(self) -> str:
        return "mapping"

    def get(self, key: str) -> Node | None:
        for key_node, value in self.items:
            if isinstance(key_node, Scalar) and key_node.value == key:
                return value
        return None

    def key_node(self, key: str) -> Node | None:
        for key_node, _ in self.items:
            if isinstance(key_node, Scalar) and key_node.value == key:
                return key_node
        return None


def describe_value(value: object) -> str:
    """The kind of a scalar value, as a user reads it in a message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    return "string"


def resolve_plain(text: str) -> str | int | float | bool | None:
    """Type a plain (unquoted, untagged) scalar by the YAML 1.2 core schema."""
    first = text[:1]
    if first.isalpha() and first not in _WORD_STARTS:  # most scalars: names and paths
        return text
    if text in _NULLS:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _INT.fullmatch(text):
        try:
            return int(text)
        except ValueError:  # more digits than Python converts (4300): not a number of a schema
            return text
    if _OCT.fullmatch(text):
        return int(text[2:], 8)
    if _HEX.fullmatch(text):
        return int(text[2:], 16)
    if _FLOAT.fullmatch(text):
        return float(text)
    if _INF.fullmatch(text):
        return -math.inf if text.startswith("-") else math.inf
    if _NAN.fullmatch(text):
        return math.nan
    return text


def plain(node: Node | None) -> Any:
    """The plain Python value of a located tree (mappings become dicts; first key wins)."""
    if node is None:
        return None
    if isinstance(node, Scalar):
        return node.value
    if isinstance(node, Sequence):
        return [plain(item) for item in node.items]
    assert isinstance(node, Mapping)
    result: dict[Any, Any] = {}
    for key, value in node.items:
        key_value = key.value if isinstance(key, Scalar) else repr(plain(key))
        result.setdefault(key_value, plain(value))
    return result

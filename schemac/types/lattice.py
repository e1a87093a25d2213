"""The type lattice: schemac's five types, what widens to what, and what never mixes.

Types are the strings the authoring format uses (``decimal(8)``, ``f64``, ``i64``, ``string``,
``bool``). They fall in three kinds that never mix in one CSV column: numbers, strings and
booleans. Within the numbers, a join exists but costs precision, which a CSV reader sees:

    i64  <  decimal(N)  <  decimal(M) (N < M)  <  f64

A transform can also write a fourth kind, ``timestamp(P)`` (ClickHouse's ``DateTime64(P)``, P
fractional digits of a second, e.g. ``toDateTime64({v} / 1000, 3)``). It is an output type only:
no extractor declares it. Timestamps join with timestamps only, to the finer precision.

This module is pure and tiny on purpose: it is imported on every `validate`.
"""

from __future__ import annotations

import re
from enum import Enum

from schemac.core.ir import CaseScalar
from schemac.vocabulary import DECIMAL_PATTERN

STRING, BOOL, I64, F64 = "string", "bool", "i64", "f64"
NUMERIC, TEXT, BOOLEAN, TIMESTAMP = "numeric", "string", "bool", "timestamp"  # the kinds
_TIMESTAMP_PATTERN = re.compile(r"timestamp\(([0-9])\)")  # DateTime64's precision is 0..9

# A meta column's output type, by `format` (None: the API's default, ns); its keys are
# vocabulary.META_FORMATS (tests/test_vocabulary.py).
META_TYPES: dict[str | None, str] = {
    None: I64,
    "ns": I64,
    "us": I64,
    "ms": I64,
    "s": I64,
    "iso8601": STRING,
}


class Relation(str, Enum):
    """How two types of one column relate."""

    SAME = "same"
    WIDENS = "widens"  # both numeric, different precision: one join exists, readers see a change
    INCOMPATIBLE = "incompatible"


def decimal(scale: int) -> str:
    return f"decimal({scale})"


def decimal_scale(type_name: str) -> int | None:
    match = DECIMAL_PATTERN.fullmatch(type_name)
    return int(match.group(1)) if match else None


def timestamp(precision: int) -> str:
    return f"timestamp({precision})"


def timestamp_precision(type_name: str) -> int | None:
    match = _TIMESTAMP_PATTERN.fullmatch(type_name)
    return int(match.group(1)) if match else None


def kind_of(type_name: str) -> str | None:
    """``numeric``, ``string``, ``bool`` or ``timestamp``; None for text that is not a type."""
    if type_name in (I64, F64) or decimal_scale(type_name) is not None:
        return NUMERIC
    if type_name == STRING:
        return TEXT
    if type_name == BOOL:
        return BOOLEAN
    if timestamp_precision(type_name) is not None:
        return TIMESTAMP
    return None


def _numeric_rank(type_name: str) -> tuple[int, int]:
    scale = decimal_scale(type_name)
    if scale is not None:
        return (1, scale)
    precision = timestamp_precision(type_name)
    if precision is not None:
        return (3, precision)
    return (0, 0) if type_name == I64 else (2, 0)


def relation(first: str, second: str) -> Relation:
    if first == second:
        return Relation.SAME
    first_kind, second_kind = kind_of(first), kind_of(second)
    if first_kind == second_kind and first_kind in (NUMERIC, TIMESTAMP):
        return Relation.WIDENS
    return Relation.INCOMPATIBLE


def join(first: str, second: str) -> str | None:
    """The narrowest type both widen to, or None when they are of different kinds."""
    verdict = relation(first, second)
    if verdict is Relation.SAME:
        return first
    if verdict is Relation.INCOMPATIBLE:
        return None
    return max(first, second, key=_numeric_rank)


def join_all(types: list[str]) -> str | None:
    """The join of every type in ``types``; None when empty or when two kinds mix."""
    if not types:
        return None
    result: str | None = types[0]
    for type_name in types[1:]:
        result = join(result, type_name) if result is not None else None
    return result


def scalar_type(value: CaseScalar) -> str:
    """The type of a `case` key, value or `else` as written in YAML."""
    if isinstance(value, bool):  # before int: bool is an int in Python
        return BOOL
    if isinstance(value, int):
        return I64
    if isinstance(value, float):
        return F64
    return STRING


def scalar_fits(value: CaseScalar, type_name: str) -> bool:
    """Whether ``value`` can equal a value of ``type_name`` (a `case` key against the input)."""
    kind = kind_of(type_name)
    value_kind = kind_of(scalar_type(value))
    if kind != value_kind:
        return False
    if type_name == I64 and isinstance(value, float):
        return value.is_integer()  # an integer column never equals 1.5
    return True


def describe(value: CaseScalar) -> str:
    """A value as the user wrote it, for messages: strings quoted, booleans lower case."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"'{value}'"
    return str(value)

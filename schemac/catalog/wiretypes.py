"""Wire types: what a JSON value is on the wire, and what each extraction type can make of it.

The codes follow docs/catalog.md:

    sdec    string holding a decimal        "67012.50"
    sint    string holding an integer       "1767225600123"
    int     JSON integer (|n| <= 2^53)      1767225600123
    bigint  JSON integer that may exceed 2^53 (lossy as a double)
    num     JSON number, may have a fraction or an exponent
    bool    JSON boolean
    str     any other string (identifier, enum, ISO time)
    arr     array          obj   object          null   JSON null
"""

from __future__ import annotations

import re
from enum import Enum

WIRE_TYPES = ("sdec", "sint", "int", "bigint", "num", "bool", "str", "arr", "obj", "null")
CONTAINER_TYPES = frozenset({"arr", "obj"})
MAX_SAFE_INTEGER = 2**53

_INT_TEXT = re.compile(r"-?\d+\Z")
_DECIMAL_TEXT = re.compile(r"-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\Z")

# value kind -> the declared wire types it conforms to (besides itself). A catalog entry that says
# sdec accepts "3" (an integer string); one that says num accepts 3; str accepts any string.
_CONFORMS_TO: dict[str, frozenset[str]] = {
    "sint": frozenset({"sint", "sdec", "str"}),
    "sdec": frozenset({"sdec", "str"}),
    "str": frozenset({"str"}),
    "empty": frozenset({"sdec", "sint", "str"}),  # Bybit and Gate send "" for an absent decimal
    "int": frozenset({"int", "num", "bigint"}),
    "bigint": frozenset({"bigint", "num"}),
    "num": frozenset({"num"}),
    "bool": frozenset({"bool"}),
    "arr": frozenset({"arr"}),
    "obj": frozenset({"obj"}),
    "null": frozenset({"null"}),
}


def value_kind(value: object) -> str:
    """The wire type of one decoded JSON value; ``"empty"`` for the empty string."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "bigint" if abs(value) > MAX_SAFE_INTEGER else "int"
    if isinstance(value, float):
        return "num"
    if isinstance(value, str):
        if value == "":
            return "empty"
        if _INT_TEXT.match(value):
            return "sint"
        if _DECIMAL_TEXT.match(value):
            return "sdec"
        return "str"
    if isinstance(value, list):
        return "arr"
    if isinstance(value, dict):
        return "obj"
    raise TypeError(f"not a JSON value: {type(value).__name__}")


def conforms(kind: str, declared: tuple[str, ...] | frozenset[str]) -> bool:
    """True when a value of ``kind`` is allowed by a path declared with the types ``declared``."""
    return bool(_CONFORMS_TO[kind] & set(declared))


def widen(kinds: set[str]) -> tuple[str, ...]:
    """The narrowest declared type set that every observed kind conforms to (for `learn`)."""
    result = set(kinds)
    if "empty" in result:
        result.discard("empty")
        if not result & {"sint", "sdec", "str"}:
            result.add("str")
    if "str" in result:
        result -= {"sint", "sdec"}
    elif "sdec" in result:
        result.discard("sint")
    if "num" in result:
        result -= {"int", "bigint"}
    elif "bigint" in result:
        result.discard("int")
    return tuple(t for t in WIRE_TYPES if t in result)


class Fit(str, Enum):
    """How well a wire value fits an extraction type."""

    OK = "ok"
    LOSSY = "lossy"  # the API can read it, but a value may change (warning)
    WRONG = "wrong"  # the column ends up empty or wrong (error)


def base_extraction_type(declared: str) -> str:
    """``decimal(18)`` -> ``decimal``; other extraction types unchanged."""
    text = declared.strip().lower()
    return "decimal" if text.startswith("decimal") else text


def fit(wire: str, extraction_type: str) -> tuple[Fit, str]:
    """How a value of wire type ``wire`` fits ``extraction_type`` (decimal(N), f64, i64, string,
    bool), with the reason in words when it does not fit."""
    target = base_extraction_type(extraction_type)
    if wire == "null":
        return Fit.OK, ""
    if wire in CONTAINER_TYPES:
        what = "an array" if wire == "arr" else "an object"
        return Fit.WRONG, f"the value is {what}, not a scalar"
    if target == "string":
        return Fit.OK, ""
    if target == "bool":
        if wire == "bool":
            return Fit.OK, ""
        if wire in ("int", "sint"):
            return Fit.LOSSY, "the value is an integer used as a flag, not a JSON boolean"
        return Fit.WRONG, f"the value is {_describe(wire)}, not a boolean"
    if wire == "bool":
        return Fit.WRONG, "the value is a JSON boolean"
    if wire == "str":
        return Fit.WRONG, "the value is text, not a number"
    if target == "decimal":
        return Fit.OK, ""
    if target == "i64":
        if wire == "sdec":
            return Fit.LOSSY, "the value is a decimal held in a string: i64 drops the fraction"
        if wire == "num":
            return Fit.LOSSY, "the value is a JSON number that may have a fraction"
        return Fit.OK, ""
    if target == "f64":
        if wire == "bigint":
            return Fit.LOSSY, "the value is an integer that may exceed 2^53: f64 rounds it"
        return Fit.OK, ""
    return Fit.OK, ""  # an extraction type the core does not know: the core reports it


def _describe(wire: str) -> str:
    return {
        "sdec": "a decimal held in a string",
        "sint": "an integer held in a string",
        "int": "a JSON integer",
        "bigint": "a JSON integer",
        "num": "a JSON number",
        "str": "text",
    }.get(wire, wire)


def describe(wire: str) -> str:
    """Words for a wire type, for messages."""
    return _describe(wire)

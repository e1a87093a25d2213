"""What the type checker knows of ClickHouse functions: the allow-list's `result` of each.

The functions a transform may call are one list, schemac/data/transform_functions.toml
(:mod:`schemac.sql.allowlist`), read by the transform screen and here. sqlglot types the
functions it has a class for (``round``, ``upper``, ``length``...); ClickHouse's own, most of all
the conversions transforms use most (``toFloat64``, ``toString``, ``toDecimal64``), sqlglot
leaves untyped, and their family's ``result`` says what they return: a schemac type, a decimal
whose scale is the second argument, or the join of multiIf's branches. A function without a
``result`` that sqlglot does not type makes the transform's type unknown (SC504).
"""

from __future__ import annotations

from schemac.sql.allowlist import allowed_functions

# The family `result` values that are not a schemac type.
DECIMAL_RESULT = "decimal"  # toDecimal64({v}, 8): the scale is the second argument
BRANCHES_RESULT = "branches"  # multiIf(c1, r1, ..., else): the join of the results

# Every function a transform may call, as ClickHouse spells it.
KNOWN_CLICKHOUSE_FUNCTIONS = frozenset(entry.name for entry in allowed_functions().values())


def result_of(name: str) -> str | None:
    """The allow-list's `result` for the function ``name`` (any case); None when it has none."""
    entry = allowed_functions().get(name.lower())
    return entry.result if entry is not None else None


def is_listed(name: str) -> bool:
    """Whether ``name`` (any case) is on the allow-list."""
    return name.lower() in allowed_functions()


# ClickHouse's typing beyond a family's `result`, found by running transforms on chDB
# (tests/run/test_types_against_engine.py); lower-case names, as `result_of` compares them.
# toDateTime64(x, P): a timestamp of precision P (the second argument).
TIMESTAMP_CONVERSIONS = frozenset({"todatetime64", "todatetime64ornull", "todatetime64orzero"})
# The first argument's type: roundBankers of a decimal is that decimal.
KEEP_TYPE = frozenset({"roundbankers", "assumenotnull", "tonullable", "tolowcardinality"})
# Predicates are ClickHouse's UInt8 0/1: an i64.
PREDICATES = frozenset({"empty", "notempty", "isnull", "isnotnull", "isfinite", "isnan"})

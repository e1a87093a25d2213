"""Transforms translated from ClickHouse (the vendor's engine) to DuckDB, through sqlglot.

A transform is portable when sqlglot translates every part of it. A function sqlglot does not
know is written back as it is (``toString``), and DuckDB would fail on it or mean something else:
such a transform is reported, with the function's name, rather than run and found out later.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from sqlglot import exp

from schemac.sql.transforms import BOUND_NAME, bind

PORTABLE_MARKER = "__schemac_v__"  # `{v}` while a transform is translated to another dialect

# ClickHouse conversions sqlglot leaves untranslated, as DuckDB expressions over their arguments
# (`_a0_`, `_a1_`) with their number of arguments: what each means in ClickHouse, said in DuckDB.
# The engine-agreement test runs every bundled schema on both engines and holds the rows equal.
_CONVERSIONS: dict[str, tuple[int, str]] = {
    "toString": (1, "CAST(_a0_ AS VARCHAR)"),
    "toFloat64": (1, "CAST(_a0_ AS DOUBLE)"),
    "toFloat32": (1, "CAST(_a0_ AS FLOAT)"),
    "toInt64": (1, "CAST(_a0_ AS BIGINT)"),
    "toInt32": (1, "CAST(_a0_ AS INTEGER)"),
    "toFloat64OrNull": (1, "TRY_CAST(_a0_ AS DOUBLE)"),
    "toInt64OrNull": (1, "TRY_CAST(_a0_ AS BIGINT)"),
    "toFloat64OrZero": (1, "COALESCE(TRY_CAST(_a0_ AS DOUBLE), 0)"),
    "toInt64OrZero": (1, "COALESCE(TRY_CAST(_a0_ AS BIGINT), 0)"),
    # Only the millisecond form, the one a `toUnixTimestamp64Milli` of it reads exactly.
    "parseDateTime64BestEffort": (2, "CAST(_a0_ AS TIMESTAMPTZ)"),
    "toUnixTimestamp64Milli": (1, "epoch_ms(_a0_)"),
}


class Translation(NamedTuple):
    sql: str  # the translation, `{v}` written as PORTABLE_MARKER ("" when it could not parse)
    problem: str | None  # why it is not portable; None when it is


@functools.lru_cache(maxsize=1024)
def to_duckdb(text: str, source_dialect: str = "clickhouse") -> Translation:
    """``text`` in DuckDB SQL, and why it is not portable when it is not."""
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ErrorLevel, SqlglotError

    try:
        tree = sqlglot.parse_one(bind(text), read=source_dialect)
    except SqlglotError as error:
        return Translation("", f"sqlglot cannot parse it: {error}")
    for column in tree.find_all(exp.Column):
        if column.name == BOUND_NAME:
            column.replace(exp.column(PORTABLE_MARKER))
    # Deepest first, so that an argument is translated before the call around it is rebuilt.
    for node in reversed(list(tree.find_all(exp.Anonymous, bfs=False))):
        replacement = _conversion(node)
        if replacement is not node:
            tree = replacement if node is tree else tree
            node.replace(replacement)
    unknown = sorted({node.name for node in tree.find_all(exp.Anonymous)})
    try:
        sql = tree.sql(dialect="duckdb", unsupported_level=ErrorLevel.RAISE)
    except SqlglotError as error:
        return Translation(
            tree.sql(dialect="duckdb"), f"sqlglot cannot write it for DuckDB: {error}"
        )
    if unknown:
        names = ", ".join(f"`{name}`" for name in unknown)
        return Translation(sql, f"sqlglot has no DuckDB translation of {names}")
    return Translation(sql, None)


def _conversion(node: exp.Expr) -> exp.Expr:
    """A ClickHouse conversion of :data:`_CONVERSIONS` as its DuckDB expression."""
    import sqlglot
    from sqlglot import exp

    if not isinstance(node, exp.Anonymous):
        return node
    arity, template = _CONVERSIONS.get(node.name, (-1, ""))
    arguments = list(node.expressions)
    if arity != len(arguments):
        return node
    replacement = sqlglot.parse_one(template, read="duckdb")
    for column in list(replacement.find_all(exp.Column)):
        if column.name.startswith("_a") and column.name.endswith("_"):
            column.replace(arguments[int(column.name[2:-1])].copy())
    return replacement

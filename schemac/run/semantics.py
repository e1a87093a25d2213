"""What a schema means when it runs, decided once: types, meta formats, the raw relation.

Every choice the vendor's docs leave open and `schemac sql` has to make lives here, as data,
and docs/run.md ("The semantics, decided once") lists the same choices with their reasons:

- a data column is read as the declared type, made Nullable: a missing path, or a value that
  cannot be read as that type, is NULL (the vendor's Parquet output "preserves ClickHouse types
  (Decimal, DateTime64(9), Nullable, ...)", so its columns can hold NULL);
- ``decimal(N)`` is ``Decimal(38, N)``: 38 digits hold any price or size an exchange sends,
  and N is the API's "number of decimal places";
- meta formats ``ns``/``us``/``ms``/``s`` are Int64 (integer division of the nanoseconds);
  ``iso8601`` is a UTC string, ``2024-01-15T10:00:00Z`` as the vendor's example shows, with a
  9-digit fraction when the nanoseconds are not a whole second;
- a message that is not JSON yields no row; a message of an exchange the schema does not map
  yields no row.
"""

from __future__ import annotations

from typing import NamedTuple

from schemac.types.inspect import NULLABLE_MARK
from schemac.types.lattice import BOOL, F64, I64, STRING, decimal_scale

# The raw-messages relation every rendering reads: the vendor's `raw` export columns, plus the
# exchange each message came from.
RAW_COLUMNS: tuple[tuple[str, str], ...] = (
    ("collection_timestamp_ns", "Int64"),
    ("exchange", "String"),
    ("message", "String"),
)
DEFAULT_TABLE = "raw_messages"
DECIMAL_PRECISION = 38
DIALECTS = ("clickhouse", "duckdb")


class EngineType(NamedTuple):
    clickhouse: str
    duckdb: str


_SCALAR_TYPES: dict[str, EngineType] = {
    I64: EngineType("Int64", "BIGINT"),
    F64: EngineType("Float64", "DOUBLE"),
    STRING: EngineType("String", "VARCHAR"),
    BOOL: EngineType("Bool", "BOOLEAN"),
}


def engine_type(schemac_type: str) -> EngineType:
    """The engine types a schemac type is read as (before Nullable)."""
    scale = decimal_scale(schemac_type)
    if scale is not None:
        return EngineType(
            f"Decimal({DECIMAL_PRECISION}, {scale})", f"DECIMAL({DECIMAL_PRECISION}, {scale})"
        )
    return _SCALAR_TYPES[schemac_type]


def schemac_type_of(clickhouse_type: str) -> str:
    """A ClickHouse result type (``toTypeName``) back as schemac's type name, for comparison.

    ``Nullable(X)`` is X's name with inspect's mark, ``string?`` (see
    :func:`schemac.types.inspect.shown_type`); ``LowCardinality(...)`` is unwrapped; integer and
    float widths map to i64 and f64, ``DateTime64(P)`` to ``timestamp(P)``; a type schemac has no
    name for is returned as ClickHouse writes it.
    """
    name = clickhouse_type
    nullable = False
    while name.startswith(("Nullable(", "LowCardinality(")):
        nullable = nullable or name.startswith("Nullable(")
        name = name[name.index("(") + 1 : -1]
    return _plain_type_of(name) + (NULLABLE_MARK if nullable else "")


def _plain_type_of(name: str) -> str:
    if name.startswith("Decimal("):
        return f"decimal({name[:-1].split(',')[1].strip()})"
    if name.startswith("DateTime64("):
        return f"timestamp({name[len('DateTime64(') :].split(',')[0].rstrip(')').strip()})"
    if name.startswith(("Int", "UInt")):
        return I64
    if name.startswith("Float"):
        return F64
    if name in ("String", "FixedString") or name.startswith(("FixedString(", "Enum")):
        return STRING
    if name == "Bool":
        return BOOL
    return name


# Meta formats: the expression over the raw nanoseconds column `ts`, per dialect.
_ISO_CLICKHOUSE = (
    "concat(formatDateTime(toDateTime(intDiv({ts}, 1000000000), 'UTC'), '%Y-%m-%dT%H:%i:%S'), "
    "if({ts} % 1000000000 = 0, '', concat('.', leftPad(toString({ts} % 1000000000), 9, '0'))), "
    "'Z')"
)
_ISO_DUCKDB = (
    "strftime(make_timestamp(({ts} // 1000000000) * 1000000), '%Y-%m-%dT%H:%M:%S') || "
    "CASE WHEN {ts} % 1000000000 = 0 THEN '' "
    "ELSE '.' || lpad(CAST({ts} % 1000000000 AS VARCHAR), 9, '0') END || 'Z'"
)
META_EXPRESSIONS: dict[str | None, EngineType] = {
    None: EngineType("{ts}", "{ts}"),
    "ns": EngineType("{ts}", "{ts}"),
    "us": EngineType("intDiv({ts}, 1000)", "({ts} // 1000)"),
    "ms": EngineType("intDiv({ts}, 1000000)", "({ts} // 1000000)"),
    "s": EngineType("intDiv({ts}, 1000000000)", "({ts} // 1000000000)"),
    "iso8601": EngineType(_ISO_CLICKHOUSE, _ISO_DUCKDB),
}

"""Functions of the ClickHouse dialect that sqlglot parses but does not know (``Anonymous``).

sqlglot knows a function when it has a class for it (``round``, ``upper``, ``length``...), and then
its type annotation types it. ClickHouse has many more, and the type conversions that transforms
use most (``toFloat64``, ``toString``, ``toDecimal64``) are among those sqlglot leaves untyped.
This module says which names exist (so that a misspelled one is a warning with the nearest real
name) and what the conversions return (so that ``toFloat64({v}) * 100`` is an f64, not unknown).
The list is the common part of ClickHouse's regular functions, not all of them: a real function
missing here is reported as unknown, and adding its name here is the fix.
"""

from __future__ import annotations

from schemac.types.lattice import BOOL, F64, I64, STRING

_CONVERSION_SUFFIXES = ("", "OrZero", "OrNull", "OrDefault")

# Conversions whose result type is fixed: name -> schemac type.
_FIXED_RESULTS: dict[str, str] = {}
for _suffix in _CONVERSION_SUFFIXES:
    for _bits in (8, 16, 32, 64):
        _FIXED_RESULTS[f"toInt{_bits}{_suffix}"] = I64
        _FIXED_RESULTS[f"toUInt{_bits}{_suffix}"] = I64
    for _bits in (32, 64):
        _FIXED_RESULTS[f"toFloat{_bits}{_suffix}"] = F64
    _FIXED_RESULTS[f"toBool{_suffix}"] = BOOL
_FIXED_RESULTS.update(
    {
        "toString": STRING,
        "toFixedString": STRING,
        "toStringCutToZero": STRING,
        "reinterpretAsString": STRING,
        "toTypeName": STRING,
        "formatDateTime": STRING,
        "formatReadableQuantity": STRING,
        "formatReadableSize": STRING,
        "leftPad": STRING,
        "rightPad": STRING,
        "lowerUTF8": STRING,
        "upperUTF8": STRING,
        "trimBoth": STRING,
        "trimLeft": STRING,
        "trimRight": STRING,
        "replaceAll": STRING,
        "replaceOne": STRING,
        "replaceRegexpAll": STRING,
        "replaceRegexpOne": STRING,
        "substringUTF8": STRING,
        "lengthUTF8": I64,
        "positionCaseInsensitive": I64,
        "toUnixTimestamp": I64,
        "toUnixTimestamp64Milli": I64,
        "toUnixTimestamp64Micro": I64,
        "toUnixTimestamp64Nano": I64,
        "toYear": I64,
        "toMonth": I64,
        "toDayOfMonth": I64,
        "toHour": I64,
        "toMinute": I64,
        "toSecond": I64,
        "intDiv": I64,
        "intDivOrZero": I64,
        # Predicates are ClickHouse's UInt8 0/1.
        "empty": I64,
        "notEmpty": I64,
        "isNull": I64,
        "isNotNull": I64,
        "isFinite": I64,
        "isNaN": I64,
    }
)

# Conversions to a decimal: the scale is their second argument, e.g. toDecimal64({v}, 8).
DECIMAL_CONVERSIONS = frozenset(
    f"toDecimal{bits}{suffix}" for bits in (32, 64, 128, 256) for suffix in _CONVERSION_SUFFIXES
)

# Functions whose result has their first argument's type (a decimal stays a decimal).
KEEP_TYPE = frozenset({"roundBankers", "assumeNotNull", "toNullable", "toLowCardinality"})

# Conversions to a timestamp: the precision is their second argument, toDateTime64({v}, 3).
TIMESTAMP_CONVERSIONS = frozenset({"toDateTime64", "toDateTime64OrNull", "toDateTime64OrZero"})

# Functions whose arguments alternate condition, result, ..., and end with the default result.
MULTI_IF = frozenset({"multiIf"})

# Functions that exist but whose result type schemac does not model: it depends on the arguments,
# is a date or an array, or is ClickHouse's UInt8 0/1 for a predicate (not a CSV true/false).
_UNTYPED = (
    "toDate toDate32 toDateTime toDateOrNull toDateTimeOrNull "
    "parseDateTimeBestEffort parseDateTimeBestEffortOrNull parseDateTime64BestEffort "
    "fromUnixTimestamp fromUnixTimestamp64Milli fromUnixTimestamp64Nano "
    "fromUnixTimestamp64Micro toStartOfMinute toStartOfHour toStartOfDay toStartOfInterval "
    "startsWith endsWith match "
    "toDecimalString ifNull nullIf coalesce "
    "reinterpretAsUInt64 reinterpretAsInt64 reinterpretAsFloat64 accurateCast "
    "accurateCastOrNull splitByChar splitByString arrayElement arrayJoin arrayMap "
    "arrayFilter has indexOf JSONExtract JSONExtractString JSONExtractFloat JSONExtractInt "
    "JSONExtractBool JSONExtractRaw visitParamExtractString greatest least transform "
    "plus minus multiply divide modulo negate abs sign sqrt exp log log10 pow floor ceil "
    "trunc truncate round bitAnd bitOr bitXor bitShiftLeft bitShiftRight hex unhex "
    "base64Encode base64Decode lower upper concat substring position replace trim "
    "reverse repeat format char toTimeZone now today"
)

FIXED_RESULTS: dict[str, str] = dict(_FIXED_RESULTS)

KNOWN_CLICKHOUSE_FUNCTIONS = frozenset(
    [
        *FIXED_RESULTS,
        *DECIMAL_CONVERSIONS,
        *KEEP_TYPE,
        *TIMESTAMP_CONVERSIONS,
        *MULTI_IF,
        *_UNTYPED.split(),
        "if",
    ]
)

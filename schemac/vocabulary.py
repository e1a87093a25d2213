"""What the API accepts, as the vendor documents it: categories, meta values, formats, types.

Every fact the docs leave open (the decimal scale range, which exchange codes exist) is a
default here that the configuration can change, so that one edit follows the vendor.
"""

from __future__ import annotations

import re

CATEGORIES = ("trade", "orderbook", "book_update", "quote", "kline", "ticker", "liquidation")
META_VALUES = ("collection_timestamp_ns",)
META_FORMATS = ("ns", "us", "ms", "s", "iso8601")
SIMPLE_TYPES = ("f64", "i64", "string", "bool")
DERIVE_OPS = ("tagged_concat",)

# The exchange codes the vendor's docs confirm. The configuration's `exchanges` extends it.
CONFIRMED_EXCHANGES = ("binance", "bybit_linear", "bybit_spot", "coinbase")

DEFAULT_MAX_COLUMNS = 100
# The docs show decimal(18) and say N is the number of decimal places; the range is undocumented.
# 18 is the largest scale of a 64-bit decimal in ClickHouse, the engine the docs hint at.
DEFAULT_DECIMAL_MAX_SCALE = 18
DEFAULT_DIALECT = "clickhouse"

# ASCII digits, no leading zeros, at most two digits: the form the wire JSON Schema accepts.
DECIMAL_PATTERN = re.compile(r"decimal\((0|[1-9][0-9]?)\)")
# The largest decimal scale any configuration may allow: ClickHouse's Decimal128 holds 38 digits.
DECIMAL_SCALE_LIMIT = 38
GLOB_CHARS = frozenset("*?[")

# Exit codes, the same in every command.
EXIT_OK = 0  # clean (warnings allowed)
EXIT_FINDINGS = 1  # findings (errors; warnings too with --strict), or a command that failed
EXIT_USAGE = 2  # usage or configuration error
EXIT_PLAN_CHANGES = 2  # `plan --detailed-exitcode`: there are changes
EXIT_REMOTE_MOVED = 3  # the remote moved since the plan


def type_problem(text: str, decimal_max_scale: int = DEFAULT_DECIMAL_MAX_SCALE) -> str | None:
    """Why ``text`` is not an extraction type, or None when it is one."""
    if text in SIMPLE_TYPES:
        return None
    match = DECIMAL_PATTERN.fullmatch(text)
    if match:
        scale = int(match.group(1))
        if scale > decimal_max_scale:
            return f"decimal scale {scale} is above the maximum {decimal_max_scale}"
        return None
    compact = text.replace(" ", "").lower()
    if compact in SIMPLE_TYPES or DECIMAL_PATTERN.fullmatch(compact):
        return f"write the type as `{compact}` (lower case, no spaces)"
    leading_zeros = re.fullmatch(r"decimal\(0+([0-9]+)\)", compact)
    if leading_zeros and leading_zeros.group(1).isascii():
        return f"write the scale without leading zeros: `decimal({int(leading_zeros.group(1))})`"
    if compact in ("decimal", "numeric"):
        return "decimal needs its number of decimal places: `decimal(18)`"
    if re.fullmatch(r"decimal\(\d+,\d+\)", compact):
        return "decimal takes one argument, the number of decimal places: `decimal(18)`"
    return "not a type"


TYPE_NAMES_HINT = "decimal(N), f64, i64, string or bool"


def is_glob(key: str) -> bool:
    return any(ch in GLOB_CHARS for ch in key)

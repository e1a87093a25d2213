"""What the API accepts, as the vendor documents it: categories, meta values, formats, types,
the path grammar, exchange codes; and schemac's own defaults and exit codes.

Each fact is written here once. The bundled JSON Schemas (schemac/data/*.schema.json), the
exchange catalog and the sandbox (a stand-in of the vendor's API, which keeps its own copy on
purpose) are held equal to these values by tests/test_vocabulary.py.

Every fact the docs leave open (the decimal scale range, which exchange codes exist) is a
default here that the configuration can change, so that one edit follows the vendor.

Patterns named ``*_PATTERN`` are regular-expression sources written so that Python's ``re`` and
ECMA-262 (JSON Schema) read them alike. Anchored ones (``^...$``) must be used with
``re.fullmatch`` in Python: its ``$`` also matches before a final newline.

Import-cheap on purpose (only ``re``): every command, and the sandbox, reads it.
"""

from __future__ import annotations

import re

# -- schemas ----------------------------------------------------------------------------------

CATEGORIES = ("trade", "orderbook", "book_update", "quote", "kline", "ticker", "liquidation")
META_VALUES = ("collection_timestamp_ns",)
META_FORMATS = ("ns", "us", "ms", "s", "iso8601")
DERIVE_OPS = ("tagged_concat",)
DEFAULT_MAX_COLUMNS = 100
YAML_SUFFIXES = (".yaml", ".yml")  # authoring files
SCHEMA_SUFFIXES = (*YAML_SUFFIXES, ".json")  # what a folder search reads (wire JSON too)
# Golden-row tests beside a schema (`trades.test.yaml`): `schemac test` reads them, a folder
# search for schemas skips them.
TEST_SUFFIXES = (".test.yaml", ".test.yml")

# -- types ------------------------------------------------------------------------------------

SIMPLE_TYPES = ("f64", "i64", "string", "bool")
TYPE_NAMES_HINT = "decimal(N), f64, i64, string or bool"

# The docs show decimal(18) and say N is the number of decimal places; the range is undocumented.
# 18 is the largest scale of a 64-bit decimal in ClickHouse, the engine the docs hint at.
DEFAULT_DECIMAL_MAX_SCALE = 18
# The largest decimal scale any configuration may allow: ClickHouse's Decimal128 holds 38 digits.
DECIMAL_SCALE_LIMIT = 38


def _digit_class(low: int, high: int) -> str:
    if low == high:
        return str(low)
    if high == low + 1:
        return f"[{low}{high}]"
    return f"[{low}-{high}]"


def _scale_alternatives(limit: int) -> str:
    """A regex alternation matching the scales 0..``limit`` (below 100), no leading zeros."""
    if limit < 10:
        return _digit_class(0, limit)
    tens, units = divmod(limit, 10)
    parts = ["[0-9]"]
    if tens > 1:
        parts.append(f"{_digit_class(1, tens - 1)}[0-9]")
    parts.append(f"{tens}{_digit_class(0, units)}")
    return "|".join(parts)


# How a scale is written: ASCII digits, no leading zeros, no more digits than the limit has.
# Parsing accepts any such scale and then compares it with the configured maximum, so that
# `decimal(50)` is told "above the maximum", not "not a type".
_DECIMAL_SCALE_DIGITS = rf"(0|[1-9][0-9]{{0,{len(str(DECIMAL_SCALE_LIMIT)) - 1}}})"
DECIMAL_PATTERN = re.compile(rf"decimal\({_DECIMAL_SCALE_DIGITS}\)")
# Every type the API takes, decimal scales 0..DECIMAL_SCALE_LIMIT: the JSON Schemas' `type`.
TYPE_PATTERN = (
    rf"^(decimal\(({_scale_alternatives(DECIMAL_SCALE_LIMIT)})\)|{'|'.join(SIMPLE_TYPES)})$"
)


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


# -- paths ------------------------------------------------------------------------------------
# The vendor documents plain dot paths from the message root (`data.p`); schemac's grammar is
# core/paths.py's docstring. A segment of digits is an array position.

# The API's grammar: non-empty segments without whitespace. What the wire JSON Schema and the
# sandbox accept.
WIRE_PATH_PATTERN = r"^[^.\s]+(\.[^.\s]+)*$"
# One segment of schemac's grammar: no dot, whitespace or bracket (`b[0]` is written `b.0`).
PATH_SEGMENT_PATTERN = r"[^.\s\[\]]+"
# schemac's grammar, a subset of the API's: what `validate` accepts and `compile` writes. The
# first segment does not start with `$`, so that a JSONPath such as `$.data.p` is refused.
PATH_PATTERN = rf"^[^.\s$\[\]][^.\s\[\]]*(\.{PATH_SEGMENT_PATTERN})*$"
# One segment of an exchange catalog path: a name or position, `[]` after an array of rows.
CATALOG_SEGMENT_PATTERN = rf"^({PATH_SEGMENT_PATTERN})(\[\])?$"

# -- exchanges --------------------------------------------------------------------------------

# The exchange codes the vendor's docs confirm. The configuration's `exchanges` extends it.
CONFIRMED_EXCHANGES = ("binance", "bybit_linear", "bybit_spot", "coinbase")
# An exchange code as the API lists them (GET /v1/exchanges): binance, bybit_linear.
EXCHANGE_CODE_PATTERN = r"^[a-z0-9][a-z0-9_]*$"
# A key of `from`, `unfold` or `derive` with one of these is a glob over the schema's exchanges.
_GLOB_CHARS_TEXT = "*?["
GLOB_CHARS = frozenset(_GLOB_CHARS_TEXT)
# An entry of a schema's `exchanges` list: a code, never a glob.
NOT_GLOB_PATTERN = "^[^" + _GLOB_CHARS_TEXT.replace("[", "\\[") + "]+$"


def is_glob(key: str) -> bool:
    return any(ch in GLOB_CHARS for ch in key)


# An exchange code also names a catalog file (`<code>.yaml`), so it stays a short file-name stem.
MAX_EXCHANGE_CODE_LENGTH = 100
_EXCHANGE_CODE = re.compile(EXCHANGE_CODE_PATTERN)


def exchange_code_problem(code: str) -> str | None:
    """Why ``code`` cannot be an exchange code, or None when it can."""
    if not _EXCHANGE_CODE.fullmatch(code):
        return "an exchange code is lower-case letters, digits and _, not starting with _"
    if len(code) > MAX_EXCHANGE_CODE_LENGTH:
        return f"an exchange code is at most {MAX_EXCHANGE_CODE_LENGTH} characters"
    return None


# -- exports and sync specs ------------------------------------------------------------------

# An export's `format` and the `format_options` each takes (key -> allowed values). The docs
# name `csv` and `parquet` and cut off the parquet options; `compression` is the sandbox's
# decided set (schemac/sandbox/exportmodels.py keeps its own copy), csv takes none.
EXPORT_FORMATS = ("csv", "parquet")
EXPORT_FORMAT_OPTIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "csv": {},
    "parquet": {"compression": ("zstd", "snappy", "gzip", "none")},
}
# Sync specs are `syncs/*.yaml` beside `schemas/`; a folder search for schemas skips any folder
# of this name (its files are sync specs, read as such).
SYNC_FOLDER = "syncs"

# -- SQL --------------------------------------------------------------------------------------

# The SQL dialect of `transform` expressions when the configuration names none.
DEFAULT_DIALECT = "clickhouse"
# A transform's name for the extracted value, as in `round({v}, 2)`; a transform must use it.
TRANSFORM_PLACEHOLDER = "{v}"
TRANSFORM_PLACEHOLDER_PATTERN = re.escape(TRANSFORM_PLACEHOLDER)

# -- exit codes, the same in every command ----------------------------------------------------

EXIT_OK = 0  # clean (warnings allowed)
EXIT_FINDINGS = 1  # findings (errors; warnings too with --strict), or a command that failed
EXIT_USAGE = 2  # usage or configuration error
EXIT_PLAN_CHANGES = 2  # `plan --detailed-exitcode`: there are changes
EXIT_REMOTE_MOVED = 3  # the remote moved since the plan
EXIT_INTERRUPTED = 130  # stopped by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it)

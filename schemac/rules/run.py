"""Rules of running a schema on another engine (SC8xx): what DuckDB cannot run as ClickHouse."""

from __future__ import annotations

from schemac.diagnostics import Severity
from schemac.rules import Rule
from schemac.rules.examples import TRADES as _TRADES

NOT_PORTABLE = Rule(
    "SC801",
    "transform-not-portable",
    Severity.WARNING,
    "A transform cannot be translated to DuckDB faithfully.",
    "Transforms are ClickHouse SQL, the vendor's engine. `schemac sql --dialect duckdb` and "
    "`--engine duckdb` translate each one with sqlglot; a function sqlglot does not know "
    "(`toUnixTimestamp64Nano`, say) would be written back as it is, and DuckDB would fail on "
    "it or compute something else. Checked only by the commands that target DuckDB; run such "
    "a schema on ClickHouse (the default engine), or use a function both engines share.",
    bad=_TRADES.replace(
        "from: data.p}",
        "from: {binance: {path: data.p, transform: 'toUnixTimestamp64Nano(toDateTime64({v}))'}}}",
    ),
    good=_TRADES.replace(
        "from: data.p}", "from: {binance: {path: data.p, transform: 'toFloat64({v}) * 100'}}}"
    ),
)

"""Rules of the exchange catalog (SC601..SC699): paths, arrays, types and enums as sent."""

from __future__ import annotations

from schemac.diagnostics import Severity
from schemac.rules import Rule

_HEAD = "category: trade\n"

UNKNOWN_PATH = Rule(
    code="SC601",
    name="unknown-path",
    severity=Severity.ERROR,
    summary="the exchange does not send this path for this category",
    explain=(
        "The catalog entry for this exchange and category is confirmed from the exchange's own "
        "documentation, and it has no such path. The API accepts any path, so the export would "
        "hold an empty column. Paths are case-sensitive (Binance sends `p` and `P` with different "
        "meanings). The hint lists the nearest paths the exchange does send; "
        "`schemac catalog show EXCHANGE CATEGORY` lists them all."
    ),
    bad=(
        "name: binance_trades\n" + _HEAD + "exchanges: [binance]\ncolumns:\n"
        "  price:\n    type: decimal(18)\n    from: data.P\n"
    ),
    good=(
        "name: binance_trades\n" + _HEAD + "exchanges: [binance]\ncolumns:\n"
        "  price:\n    type: decimal(18)\n    from: data.p\n"
    ),
)

UNKNOWN_PATH_INFERRED = Rule(
    code="SC602",
    name="unknown-path-inferred",
    severity=Severity.WARNING,
    summary="the path is not in the exchange's catalog entry, which is inferred, not confirmed",
    explain=(
        "Same as SC601, but the catalog entry was inferred from libraries or captured messages, "
        "not read from the exchange's documentation, so the path may exist after all. Check a raw "
        "export (`schema: raw`); if the exchange does send it, add it to your own catalog folder "
        "(`catalog_dirs` in the configuration) or learn the entry from samples with "
        "`schemac catalog learn`."
    ),
    bad=(
        "name: coinbase_trades\n" + _HEAD + "exchanges: [coinbase]\ncolumns:\n"
        "  seq:\n    type: i64\n    from: sequence\n"
    ),
    good=(
        "name: coinbase_trades\n" + _HEAD + "exchanges: [coinbase]\ncolumns:\n"
        "  seq:\n    type: i64\n    from: sequence_num\n"
    ),
)

ARRAY_WITHOUT_UNFOLD = Rule(
    code="SC603",
    name="array-without-unfold",
    severity=Severity.ERROR,
    summary="the path goes through an array that is not unfolded",
    explain=(
        "A field name after an array does not address anything: the array has elements, not "
        "fields. Either unfold the array (`unfold: {EXCHANGE: data}`), after which `data.p` reads "
        "`p` of each element, one row per element, or pick one element by position (`data.0.p`). "
        "An exchange has one unfold, and an unfold path addresses the outer arrays it passes "
        "through by position (Coinbase trades: `unfold: {coinbase: events.0.trades}`, then "
        "`events.0.trades.price`); the hint is checked against the catalog and says which. An "
        "element that is itself an array (a book level `[price, size]`) has positions, not "
        "fields: `data.b.0` is the price."
    ),
    bad=(
        "name: bybit_trades\n" + _HEAD + "exchanges: [bybit_linear]\ncolumns:\n"
        "  price:\n    type: decimal(18)\n    from: data.p\n"
    ),
    good=(
        "name: bybit_trades\n" + _HEAD + "exchanges: [bybit_linear]\nunfold:\n"
        "  bybit_linear: data\ncolumns:\n  price:\n    type: decimal(18)\n    from: data.p\n"
    ),
)

UNFOLD_NOT_ARRAY = Rule(
    code="SC604",
    name="unfold-not-array",
    severity=Severity.ERROR,
    summary="an unfold or derive path that is not an array",
    explain=(
        "`unfold` turns each element of an array into a row, and `derive` (tagged_concat) merges "
        "arrays. A path to an object or a scalar has no elements: the API cannot unfold it. "
        "Binance sends one event per message, so its trade schemas need no unfold at all."
    ),
    bad=(
        "name: binance_trades\n" + _HEAD + "exchanges: [binance]\nunfold:\n  binance: data\n"
        "columns:\n  price:\n    type: decimal(18)\n    from: data.p\n"
    ),
    good=(
        "name: binance_trades\n" + _HEAD + "exchanges: [binance]\ncolumns:\n"
        "  price:\n    type: decimal(18)\n    from: data.p\n"
    ),
)

TYPE_MISMATCH = Rule(
    code="SC605",
    name="wire-type-mismatch",
    severity=Severity.ERROR,
    summary="the declared type cannot be made from the value the exchange sends",
    explain=(
        "The catalog knows the JSON type on the wire: a boolean, an object or an array cannot "
        "become a decimal, and text such as `Buy` is not a number. Declare the type that fits "
        "(`bool` for `data.m` on Binance, then `case:` to map it), or point the path at a field "
        "inside the object."
    ),
    bad=(
        "name: binance_trades\n" + _HEAD + "exchanges: [binance]\ncolumns:\n"
        "  maker:\n    type: decimal(18)\n    from: data.m\n"
    ),
    good=(
        "name: binance_trades\n" + _HEAD + "exchanges: [binance]\ncolumns:\n"
        "  maker:\n    type: bool\n    from: data.m\n"
    ),
)

LOSSY_TYPE = Rule(
    code="SC606",
    name="lossy-wire-type",
    severity=Severity.WARNING,
    summary="the declared type can change the value the exchange sends",
    explain=(
        "A decimal held in a string read as `i64` loses its fraction; an integer that may exceed "
        "2^53 read as `f64` is rounded; a JSON number read as `i64` loses its fraction. Use "
        "`decimal(N)` for prices and quantities, `i64` or `string` for large ids."
    ),
    bad=(
        "name: binance_trades\n" + _HEAD + "exchanges: [binance]\ncolumns:\n"
        "  price:\n    type: i64\n    from: data.p\n"
    ),
    good=(
        "name: binance_trades\n" + _HEAD + "exchanges: [binance]\ncolumns:\n"
        "  price:\n    type: decimal(18)\n    from: data.p\n"
    ),
)

CASE_OUTSIDE_DOMAIN = Rule(
    code="SC607",
    name="case-outside-domain",
    severity=Severity.WARNING,
    summary="a `case` key the exchange never sends: that branch can never match",
    explain=(
        "The catalog knows the values of this field (Bybit sends `Buy` and `Sell`, never "
        "`buy`), and CASE comparisons are exact. A key outside the domain is dead, and the rows "
        "it was meant for fall through to `else` or NULL: a column that is entirely `else` or "
        "empty. An error when the catalog marks the domain complete (`complete: true`: the "
        "exchange's docs list every value, as for Bybit's `S`; a boolean has two values); a "
        "warning when the values are only those seen (a library or captured messages), since "
        "the exchange may send others. Use the values the hint lists."
    ),
    bad=(
        "name: bybit_trades\n" + _HEAD + "exchanges: [bybit_linear]\nunfold:\n"
        "  bybit_linear: data\ncolumns:\n  side:\n    type: string\n    from:\n"
        "      bybit_linear: {path: data.S, case: {buy: buy, sell: sell}}\n"
    ),
    good=(
        "name: bybit_trades\n" + _HEAD + "exchanges: [bybit_linear]\nunfold:\n"
        "  bybit_linear: data\ncolumns:\n  side:\n    type: string\n    from:\n"
        "      bybit_linear: {path: data.S, case: {Buy: buy, Sell: sell}}\n"
    ),
)

OPTIONAL_PATH = Rule(
    code="SC608",
    name="optional-path",
    severity=Severity.INFO,
    summary="the path is absent from some messages and nothing handles its absence",
    explain=(
        "Some messages do not carry this path (Bybit ticker deltas hold only the fields that "
        "changed; some fields were added or removed over time). Those rows get an empty value. "
        "If that is not what you want, give `case:` an `else:` or write a transform that handles "
        "NULL, e.g. `coalesce({v}, 0)`."
    ),
    bad=(
        "name: bybit_marks\ncategory: ticker\nexchanges: [bybit_linear]\ncolumns:\n"
        "  mark:\n    type: decimal(18)\n    from: data.markPrice\n"
    ),
    good=(
        "name: bybit_marks\ncategory: ticker\nexchanges: [bybit_linear]\ncolumns:\n"
        "  symbol:\n    type: string\n    from: data.symbol\n"
    ),
)

NO_CATALOG_ENTRY = Rule(
    code="SC609",
    name="no-catalog-entry",
    severity=Severity.INFO,
    summary="no catalog entry for this exchange and category: its paths are not checked",
    explain=(
        "schemac checks paths and types against what the exchange sends only where its catalog "
        "has an entry. Add one in a catalog folder of your repository (`catalog_dirs` in the "
        "configuration; format in the README), or infer it from raw messages: "
        "`schemac catalog learn EXCHANGE CATEGORY samples.jsonl`. `schemac catalog list` shows "
        "what is known."
    ),
    bad=(
        "name: venue_trades\n" + _HEAD + "exchanges: [examplex]\ncolumns:\n"
        "  price:\n    type: decimal(18)\n    from: price\n"
    ),
    good=(
        "name: venue_trades\n" + _HEAD + "exchanges: [binance]\ncolumns:\n"
        "  price:\n    type: decimal(18)\n    from: data.p\n"
    ),
)

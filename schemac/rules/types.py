"""Rules of the type system (SC501..SC599): transforms, `case` mappings, one type per column."""

from __future__ import annotations

from schemac.diagnostics import Severity
from schemac.rules import Rule

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

_HEAD = "name: my_trades\ncategory: trade\nexchanges: [binance]\ncolumns:\n"


def _side(extractor: str) -> str:
    """A schema whose `side` column reads binance's `data.m` (a JSON bool) with ``extractor``."""
    return _HEAD + f"  side:\n    type: string\n    from:\n      binance: {{{extractor}}}\n"


def _transform(sql: str, path: str = "data.m", type_: str = "bool") -> str:
    return _side(f'path: {path}, type: {type_}, transform: "{sql}"')


_TWO = (
    "name: my_trades\ncategory: trade\nexchanges: [binance, bybit_spot]\n"
    "unfold:\n  bybit_spot: data\ncolumns:\n  price:\n    from:\n"
)

# -- SC50x: inside a transform ----------------------------------------------------------------

CASE_BRANCH_TYPE_MISMATCH = Rule(
    "SC501",
    "case-branch-type-mismatch",
    E,
    "The branches of a CASE (or if(), multiIf()) in a transform return different kinds of value.",
    "A CASE is one column of output: if one branch returns a string and another a number "
    "(`THEN 'sell' ... ELSE 0`), the engine either rejects the transform or converts one to the "
    "other, and CSV readers downstream get a column of mixed content. Make every branch return "
    "the same kind: all strings (quoted), all numbers or all booleans. The finding points at the "
    "first branch whose kind differs from the first branch's.",
    bad=_transform("CASE WHEN {v} THEN 'sell' ELSE 0 END"),
    good=_transform("CASE WHEN {v} THEN 'sell' ELSE 'buy' END"),
)
COMPARISON_TYPE_MISMATCH = Rule(
    "SC502",
    "comparison-type-mismatch",
    E,
    "A transform compares a value with a literal of another kind (`{v} = 'Buy'` on a bool).",
    "A value is compared with a literal of its own kind: a bool with true or false (or used as "
    "the condition itself), a string with a quoted string, a number with a number. A comparison "
    "across kinds is never true (or fails), so its branch silently never runs. This covers `=`, "
    "`<>`, `<`, `>`, `IN (...)` and the WHENs of `CASE {v} WHEN ...`.",
    bad=_transform("CASE WHEN {v} = 'Buy' THEN 'buy' ELSE 'sell' END"),
    good=_transform("CASE WHEN {v} THEN 'sell' ELSE 'buy' END"),
)
CASE_WITHOUT_ELSE = Rule(
    "SC503",
    "case-without-else",
    INFO,
    "A CASE in a transform has no ELSE: values that match no WHEN become NULL.",
    "Without ELSE, a value no WHEN matches (a new enum value from the exchange, a typo in a WHEN) "
    "becomes NULL, an empty CSV field. That may be intended; an explicit `ELSE NULL` or "
    "`ELSE 'unknown'` says so.",
    bad=_transform("CASE WHEN {v} THEN 'sell' END"),
    good=_transform("CASE WHEN {v} THEN 'sell' ELSE 'buy' END"),
)
UNTYPED_TRANSFORM = Rule(
    "SC504",
    "untyped-transform",
    INFO,
    "schemac cannot infer the output type of a transform, so its column is not type-checked.",
    "A transform's type is inferred by sqlglot's type annotation, `{v}` being the declared type. "
    "Some functions it cannot type (dates, arrays, JSON functions, functions whose result depends "
    "on their arguments); then the output type is unknown, and schemac says so rather than "
    "guess. Convert the result to the type you mean (`toString(...)`, `toFloat64(...)`, "
    "`toDecimal64(..., 8)`) to have the column checked.",
    bad=_transform("toDate({v})", "data.T", "i64"),
    good=_transform("toString(toDate({v}))", "data.T", "i64"),
)
UNKNOWN_FUNCTION = Rule(
    "SC505",
    "unknown-function",
    W,
    "A transform calls a function the configuration allows but schemac does not know.",
    "A transform may call the functions of schemac's allow-list (SC205) and those the "
    "configuration adds with `allow_functions` under `[transforms]`. schemac knows what the "
    "listed ones return; an added one it does not know is most often a typo in the "
    "configuration, or a function of a newer ClickHouse: the transform's type is then unknown, "
    "and the hint names the nearest listed function. A function allowed nowhere gets only "
    "SC205. Its examples need a configuration, so tests/sql holds them.",
)

# -- SC50x: `case` mappings ---------------------------------------------------------------------

CASE_KEY_TYPE_MISMATCH = Rule(
    "SC506",
    "case-key-type-mismatch",
    E,
    "A `case` key cannot equal the value read (a string key for a bool, a number for a string).",
    "The keys of `case` are compared with the value read as the extractor's `type`: a bool has "
    "the keys true and false, a string has string keys, a number has number keys (whole numbers "
    "for i64). A key of another kind never matches. In YAML, quote a key to make it a string "
    "(`'1': one`); `true`/`false` unquoted are booleans.",
    bad=_side("path: data.m, type: bool, case: {Buy: buy, Sell: sell}"),
    good=_side("path: data.m, type: bool, case: {true: sell, false: buy}"),
)
CASE_VALUE_TYPE_MISMATCH = Rule(
    "SC507",
    "case-value-type-mismatch",
    E,
    "The values of a `case` mapping are of different kinds.",
    "A `case` mapping produces the column's value, so its values share one type: all strings, "
    "all numbers or all booleans (integers and decimals together are numbers). Quote a value "
    "to make it a string.",
    bad=_side("path: data.m, type: bool, case: {true: sell, false: 0}"),
    good=_side("path: data.m, type: bool, case: {true: sell, false: buy}"),
)
CASE_ELSE_TYPE_MISMATCH = Rule(
    "SC508",
    "case-else-type-mismatch",
    E,
    "The `else` of a `case` mapping is of another kind than its values.",
    "`else` is the value of every input no key matches, so it is a value of the same column as "
    "the mapping's values and must be of their kind.",
    bad=_side("path: data.m, type: bool, case: {true: sell}, else: 0"),
    good=_side("path: data.m, type: bool, case: {true: sell}, else: buy"),
)
INCOMPLETE_BOOL_CASE = Rule(
    "SC509",
    "incomplete-bool-case",
    W,
    "A `case` over a bool maps only one of true and false, and has no `else`.",
    "The other value becomes NULL, an empty CSV field, on every row where it occurs: for a "
    "side or a flag, that is half the rows. Map both values, or give an `else`.",
    bad=_side("path: data.m, type: bool, case: {true: sell}"),
    good=_side("path: data.m, type: bool, case: {true: sell, false: buy}"),
)

# -- SC51x: one output type per column ----------------------------------------------------------

COLUMN_TYPE_CONFLICT = Rule(
    "SC510",
    "column-type-conflict",
    E,
    "A column's output is a string on one exchange and a number or bool on another.",
    "A column is one CSV column whatever exchange a row comes from. If one exchange writes "
    "numbers and another strings (or booleans), a reader that parses the column breaks on the "
    "rows of one of them. The output type of an exchange is its `case` values' type, its "
    "transform's inferred type, or its declared type. The finding names both exchanges and is "
    "reported at both.",
    bad=_TWO + "      binance: {path: data.p, type: decimal(8)}\n"
    "      bybit_spot: {path: data.p, type: string}\n",
    good=_TWO + "      binance: {path: data.p, type: decimal(8)}\n"
    "      bybit_spot: {path: data.p, type: decimal(8)}\n",
)
COLUMN_PRECISION_MISMATCH = Rule(
    "SC511",
    "column-precision-mismatch",
    W,
    "A numeric column has a different precision on different exchanges.",
    "decimal(8) on one exchange and decimal(18) on another, or a decimal against f64 or i64, are "
    "all numbers, but CSV readers see a different number of decimal places (or a float's "
    "rounding) depending on the row's exchange; a strict reader infers one type from the first "
    "rows and fails later. Use one type on every exchange.",
    bad=_TWO + "      binance: {path: data.p, type: decimal(8)}\n"
    "      bybit_spot: {path: data.p, type: decimal(18)}\n",
    good=_TWO + "      binance: {path: data.p, type: decimal(8)}\n"
    "      bybit_spot: {path: data.p, type: decimal(8)}\n",
)

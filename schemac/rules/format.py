"""Rules of the authoring and wire formats (SC1xx): keys, kinds, types, columns, `case`."""

from __future__ import annotations

from schemac.diagnostics import Severity
from schemac.rules import Rule
from schemac.rules.examples import TRADES as _TRADES

E, W = Severity.ERROR, Severity.WARNING

# -- SC1xx: the format ----------------------------------------------------------------------

UNKNOWN_KEY = Rule(
    "SC101",
    "unknown-key",
    E,
    "A key that the format does not have.",
    "Every key in a schema file has a meaning; an unknown key is usually a typo of a real one "
    "(`tpye` for `type`) whose intent would otherwise be silently lost. The hint names the "
    "closest valid key. `description` is allowed at the schema and column level for notes.",
    bad=_TRADES.replace("type: decimal(18)", "tpye: decimal(18)"),
    good=_TRADES,
)
MISSING_KEY = Rule(
    "SC102",
    "missing-key",
    E,
    "A required key is missing.",
    "A schema needs `name`, `category` and `columns`; an extractor needs `path`; a wire column "
    "needs `output_column`; an unfold rule needs `path`.",
    bad=_TRADES.replace("name: my_trades\n", ""),
    good=_TRADES,
)
WRONG_KIND = Rule(
    "SC103",
    "wrong-kind",
    E,
    "A value of the wrong kind (a list where a mapping is expected, a number for a name, ...).",
    "Each key takes one kind of value: `name` a string, `columns` a mapping of column name to "
    "column, `exchanges` a list of exchange codes, `from` a path or a mapping of exchange to "
    "path or extractor. Quote a value to make it a string (`name: '2024'`).",
    bad=_TRADES.replace("exchanges: [binance]", "exchanges: binance"),
    good=_TRADES,
)
UNKNOWN_CATEGORY = Rule(
    "SC104",
    "unknown-category",
    E,
    "The stream category is not one the API knows.",
    "The API's `stream_category` is one of trade, orderbook, book_update, quote, kline, ticker, "
    "liquidation. A schema can only be used with datastreams of its own category.",
    bad=_TRADES.replace("category: trade", "category: trades"),
    good=_TRADES,
)
MALFORMED_TYPE = Rule(
    "SC105",
    "malformed-type",
    E,
    "A type that is not decimal(N), f64, i64, string or bool.",
    "The API documents exactly five extraction types: `decimal(N)` with N the number of decimal "
    "places (0..18 by default, configurable as `decimal_max_scale`), `f64`, `i64`, `string` and "
    "`bool`. Types are lower case and written without spaces.",
    bad=_TRADES.replace("decimal(18)", "decimal"),
    good=_TRADES,
)
UNKNOWN_META_VALUE = Rule(
    "SC106",
    "unknown-meta-value",
    E,
    "A meta column asks for a value the API does not provide.",
    "The only documented meta value is `collection_timestamp_ns`, the time Ticksupply received "
    "the message. Other values (an exchange timestamp, a symbol) come from the message: use "
    "`from` with a path instead.",
    bad=_TRADES.replace("meta: collection_timestamp_ns", "meta: exchange_timestamp"),
    good=_TRADES,
)
UNKNOWN_META_FORMAT = Rule(
    "SC107",
    "unknown-meta-format",
    E,
    "A meta column's format is not ns, us, ms, s or iso8601.",
    "`format` sets how the collection timestamp is written: `ns` (the default), `us`, `ms`, `s` "
    "(integers since the epoch) or `iso8601` (a string).",
    bad=_TRADES.replace("format: ms", "format: millis"),
    good=_TRADES,
)
META_DATA_CONFLICT = Rule(
    "SC108",
    "meta-data-conflict",
    E,
    "A column has both or neither of a meta value and a data rule.",
    "Each column takes its value either from system metadata (`meta`) or from the message "
    "(`from` in YAML, `data` in the wire format): exactly one of the two.",
    bad=_TRADES.replace("{type: decimal(18), from: data.p}", "{type: decimal(18)}"),
    good=_TRADES,
)
NO_COLUMNS = Rule(
    "SC109",
    "no-columns",
    E,
    "The schema has no columns.",
    "The API rejects a schema without at least one column.",
    bad="name: my_trades\ncategory: trade\nexchanges: [binance]\ncolumns: {}\n",
    good=_TRADES,
)
TOO_MANY_COLUMNS = Rule(
    "SC110",
    "too-many-columns",
    E,
    "The schema has more columns than the API accepts.",
    "The API caps a schema at 100 columns by default (support can raise it per account; set "
    "`max_columns` in the configuration to match). Above the cap the API answers 400.",
    bad="name: wide\ncategory: trade\nexchanges: [binance]\ncolumns:\n"
    + "".join(f"  c{i}: {{type: string, from: data.s}}\n" for i in range(101)),
    good=_TRADES,
)
DUPLICATE_COLUMN = Rule(
    "SC111",
    "duplicate-column",
    E,
    "Two columns have the same output name.",
    "Output column names are the CSV header; two equal names make the file ambiguous for every "
    "reader. (In YAML, a repeated column key is already a duplicate key, SC002; this rule "
    "catches wire JSON files.)",
    bad_format="json",
    bad='{"name": "t", "stream_category": "trade", "columns": [\n'
    ' {"output_column": "ts", "meta": {"value": "collection_timestamp_ns"}},\n'
    ' {"output_column": "ts", "meta": {"value": "collection_timestamp_ns", "format": "ms"}}\n'
    "]}\n",
    good='{"name": "t", "stream_category": "trade", "columns": [\n'
    ' {"output_column": "ts", "meta": {"value": "collection_timestamp_ns"}},\n'
    ' {"output_column": "ts_ms", "meta": {"value": "collection_timestamp_ns", "format": "ms"}}\n'
    "]}\n",
)
MALFORMED_PATH = Rule(
    "SC112",
    "malformed-path",
    E,
    "A JSON path is empty or malformed.",
    "Paths are dot-separated segments from the message root (`data.p`); a segment of digits is "
    "an array position (`data.b.0.0`). Empty segments (`data..q`), leading or trailing dots, "
    "whitespace, `$` roots and brackets are not path syntax.",
    bad=_TRADES.replace("from: data.p", "from: data..p"),
    good=_TRADES,
)
CASE_WITH_TRANSFORM = Rule(
    "SC113",
    "case-with-transform",
    E,
    "An extractor has both `case` and `transform`.",
    "`case` is the declarative form of a CASE transform; it compiles to the extractor's "
    "transform, so an extractor can have one or the other. Fold the extra logic into the "
    "`transform` or drop it.",
    bad=_TRADES + "  side:\n    from:\n      binance:\n        path: data.m\n        type: bool\n"
    "        case: {true: sell, false: buy}\n        transform: upper({v})\n",
    good=_TRADES + "  side:\n    from:\n      binance:\n        path: data.m\n        type: bool\n"
    "        case: {true: sell, false: buy}\n",
)
ELSE_WITHOUT_CASE = Rule(
    "SC114",
    "else-without-case",
    E,
    "`else` is given without `case`.",
    "`else` is the value a `case` mapping gives to inputs none of its keys match. Without a "
    "`case` it has nothing to apply to.",
    bad=_TRADES.replace("from: data.p}", "from: {binance: {path: data.p, else: 0}}}"),
    good=_TRADES,
)
MISSING_TYPE = Rule(
    "SC115",
    "missing-type",
    E,
    "A data rule has no type.",
    "Every extractor needs a type: its own `type`, or the column's `type` that it inherits.",
    bad=_TRADES.replace("{type: decimal(18), from: data.p}", "{from: data.p}"),
    good=_TRADES,
)
EMPTY_CASE = Rule(
    "SC116",
    "empty-case",
    E,
    "A `case` mapping has no entries.",
    "A `case` mapping with no keys would compile to a CASE with no WHEN, which is not SQL.",
    bad=_TRADES + "  side:\n    from:\n      binance: {path: data.m, type: bool, case: {}}\n",
    good=_TRADES + "  side:\n    from:\n      binance:\n"
    "        {path: data.m, type: bool, case: {true: sell, false: buy}}\n",
)

PLACEHOLDER_IN_LITERAL = Rule(
    "SC117",
    "placeholder-in-case-literal",
    W,
    "A `case` key or value contains `{v}`.",
    "`case` compiles to a SQL transform in which `{v}` stands for the extracted value. The "
    "vendor does not document how `{v}` is substituted; if it is replaced as text, a literal "
    "that contains `{v}` changes too, and the branch no longer means what it says.",
    bad=_TRADES + "  side:\n    from:\n      binance:\n"
    "        {path: data.m, type: bool, case: {true: '{v}', false: buy}}\n",
    good=_TRADES + "  side:\n    from:\n      binance:\n"
    "        {path: data.m, type: bool, case: {true: sell, false: buy}}\n",
)

META_COLUMN_TYPE = Rule(
    "SC118",
    "meta-column-type",
    E,
    "A meta column has a `type`.",
    "A meta column's type is implied by its format: the collection timestamp is an integer "
    "(`ns`, `us`, `ms`, `s`) or a string (`iso8601`), and the API takes no type for it. A "
    "`type` beside `meta` is a leftover from a data column, or a sign that the column was meant "
    "to read the message (`from`). (Before this rule, the finding was SC101.)",
    bad=_TRADES.replace(
        "{meta: collection_timestamp_ns, format: ms}",
        "{meta: collection_timestamp_ns, format: ms, type: i64}",
    ),
    good=_TRADES,
)

UNPRINTABLE_NAME = Rule(
    "SC119",
    "unprintable-name",
    E,
    "A schema or column name holds a control character, a bidi control or a line separator.",
    "Names travel to file names, CSV headers, terminals and CI logs. A control character (NUL, "
    "ESC, a line break, a tab), a Unicode line or paragraph separator, a bidi control "
    "(U+202A..U+202E, U+2066..U+2069, which reorder what a reader sees) or a lone surrogate in "
    "a name is refused by the API when the schema is published, and can turn a log line into "
    "an escape sequence or a CI workflow command before that. schemac refuses it when it "
    "validates. Text output shows such characters escaped (`\\x1b`, `\\u202e`).",
    bad=_TRADES.replace("  price:", '  "price\\e[8m":'),
    good=_TRADES,
)

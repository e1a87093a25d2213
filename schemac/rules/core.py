"""Core rules: reading files, the authoring and wire formats, transforms, exchanges, projects.

Codes by area: SC0xx reading a file, SC1xx the format, SC2xx transforms, SC3xx exchanges and
derive, SC4xx the project (several files), SC9xx configuration. A code is never reused.
"""

from __future__ import annotations

from schemac.diagnostics import Severity
from schemac.rules import Rule

E, W = Severity.ERROR, Severity.WARNING

_TRADES = """\
name: my_trades
category: trade
exchanges: [binance]
columns:
  ts: {meta: collection_timestamp_ns, format: ms}
  price: {type: decimal(18), from: data.p}
"""

# -- SC0xx: reading a file ------------------------------------------------------------------

SYNTAX_ERROR = Rule(
    "SC001",
    "syntax-error",
    E,
    "The file is not valid YAML (or JSON, for .json files).",
    "schemac reads each file as YAML 1.2 (JSON files as JSON) and reports the parser's own "
    "message at the parser's position. A file with a syntax error is not checked further. "
    "A file must hold exactly one document: one schema per file.",
    bad="name: my_trades\ncategory: trade\ncolumns:\n  price: {type: decimal(18), from: data.p\n",
    good=_TRADES,
)
DUPLICATE_KEY = Rule(
    "SC002",
    "duplicate-key",
    E,
    "A mapping has the same key twice.",
    "YAML and JSON parsers usually keep the last of two equal keys and drop the first without a "
    "word, so a copied column silently replaces its original. schemac reports the second "
    "occurrence, with the line of the first. Rename or remove one of them.",
    bad=_TRADES + "  price: {type: f64, from: data.q}\n",
    good=_TRADES + "  quantity: {type: decimal(18), from: data.q}\n",
)
DOCUMENT_TOO_COMPLEX = Rule(
    "SC003",
    "document-too-complex",
    E,
    "The document nests too deeply or its aliases expand too far to be a schema.",
    "A schema is a few levels deep. schemac stops reading a document nested more than 64 levels "
    "or whose aliases expand past 200,000 nodes (the 'billion laughs' attack), instead of "
    "exhausting memory or the stack on a file that cannot be a schema.",
    bad="a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n"
        for p, c in zip("abcdef", "bcdefg", strict=False)
    ),
    good=_TRADES,
)
INVALID_ENCODING = Rule(
    "SC004",
    "invalid-encoding",
    E,
    "The file is not UTF-8 text.",
    "Schema files are UTF-8 (a byte-order mark is allowed). A binary file, or a file saved in "
    "another encoding, is reported at its first byte that is not UTF-8.",
)
EMPTY_FILE = Rule(
    "SC005",
    "empty-file",
    E,
    "The file holds no document.",
    "An empty file (or one with only comments) in a schema folder is almost always a mistake: "
    "a schema that was meant to be there is missing. Delete the file or write the schema.",
    bad="# my_trades: to do\n",
    good=_TRADES,
)
UNREADABLE_FILE = Rule(
    "SC006",
    "unreadable-file",
    E,
    "The file cannot be read.",
    "The path does not exist, is not a regular file, or cannot be opened (permissions).",
)

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

# -- SC2xx: transforms ----------------------------------------------------------------------

TRANSFORM_WITHOUT_PLACEHOLDER = Rule(
    "SC201",
    "transform-without-placeholder",
    E,
    "A transform does not use `{v}`.",
    "A transform is a SQL expression over the extracted value, which it names `{v}`. One that "
    "never mentions `{v}` yields the same value for every row: almost always a mistake.",
    bad=_TRADES.replace("from: data.p}", "from: {binance: {path: data.p, transform: 'abs(v)'}}}"),
    good=_TRADES.replace(
        "from: data.p}", "from: {binance: {path: data.p, transform: 'abs({v})'}}}"
    ),
)
TRANSFORM_SYNTAX = Rule(
    "SC202",
    "transform-syntax-error",
    E,
    "A transform does not parse as one SQL expression in the API's dialect.",
    "Transforms are parsed (sqlglot) in the configured dialect, ClickHouse by default, with "
    "`{v}` bound to a placeholder first. The position points into the transform text.",
    bad=_TRADES.replace(
        "from: data.p}", "from: {binance: {path: data.p, transform: 'round({v}, 2'}}}"
    ),
    good=_TRADES.replace(
        "from: data.p}", "from: {binance: {path: data.p, transform: 'round({v}, 2)'}}}"
    ),
)
TRANSFORM_UNSAFE = Rule(
    "SC203",
    "transform-unsafe",
    E,
    "A transform is more than an expression over `{v}`.",
    "A transform runs inside the export engine. schemac refuses anything that is not a plain "
    "expression over the value: a second statement, a subquery, a table function, or a function "
    "that reads files, URLs, other tables, dictionaries or the server (`url`, `file`, `s3`, "
    "`remote`, `mysql`, `executable`, `dictGet`, ...; the list is schemac/data/"
    "unsafe_functions.txt). A schema must never be a way into the engine's network or disk.",
    bad=_TRADES.replace(
        "from: data.p}",
        "from: {binance: {path: data.p, transform: \"concat({v}, (SELECT 'x'))\"}}}",
    ),
    good=_TRADES.replace(
        "from: data.p}", "from: {binance: {path: data.p, transform: \"concat({v}, 'x')\"}}}"
    ),
)
TRANSFORM_FREE_REFERENCE = Rule(
    "SC204",
    "transform-free-reference",
    W,
    "A transform names a column or identifier other than `{v}`.",
    "A transform sees only the extracted value `{v}`; other names (`price`, `data.q`) are not "
    "bound to anything the docs describe. Quote string literals with single quotes: "
    "`\"Buy\"` is an identifier in SQL, `'Buy'` is a string.",
    bad=_TRADES.replace(
        "from: data.p}", "from: {binance: {path: data.p, transform: '{v} * qty'}}}"
    ),
    good=_TRADES.replace("from: data.p}", "from: {binance: {path: data.p, transform: '{v} * 2'}}}"),
)

# -- SC3xx: exchanges, globs, unfold and derive ----------------------------------------------

UNKNOWN_EXCHANGE = Rule(
    "SC301",
    "unknown-exchange",
    W,
    "An exchange code that is not in the known list.",
    "The API names exchanges by code (`binance`, `bybit_linear`, ...). The known list starts "
    "with the codes the vendor's docs confirm (binance, bybit_linear, bybit_spot, coinbase); "
    "extend it with `exchanges` in the configuration. A warning, not an error, because the "
    "vendor's full list is not published.",
    bad=_TRADES.replace("[binance]", "[binanse]"),
    good=_TRADES,
)
GLOB_MATCHES_NOTHING = Rule(
    "SC302",
    "glob-matches-nothing",
    E,
    "A glob in `from`, `unfold` or `derive` matches none of the schema's exchanges.",
    "Globs (`bybit_*`) expand over the schema's `exchanges`. One that matches nothing is a typo "
    "or a leftover from a removed exchange, and its rule would silently apply nowhere.",
    bad=_TRADES.replace("from: data.p}", "from: {binance: data.p, bybit_*: data.v}}"),
    good=_TRADES,
)
EXCHANGE_NOT_DECLARED = Rule(
    "SC303",
    "exchange-not-declared",
    E,
    "A rule names an exchange that is not in the schema's `exchanges`.",
    "When a schema lists its `exchanges`, every exchange key in `from`, `unfold` and `derive` "
    "must be one of them: a rule for an undeclared exchange is a typo or a forgotten entry in "
    "the list. (Without `exchanges`, the schema's exchanges are the ones its rules name.)",
    bad=_TRADES.replace("from: data.p}", "from: {binance: data.p, coinbase: price}}"),
    good=_TRADES.replace("[binance]", "[binance, coinbase]").replace(
        "from: data.p}", "from: {binance: data.p, coinbase: price}}"
    ),
)
UNUSED_EXCHANGE_RULE = Rule(
    "SC304",
    "unused-exchange-rule",
    W,
    "An exchange has an unfold or derive rule but no column reads it.",
    "Unfold and derive rules only shape what columns read. An exchange with such a rule that "
    "no column maps produces rows of nothing but meta columns.",
    bad=_TRADES.replace("[binance]", "[binance, coinbase]")
    .replace("columns:", "unfold:\n  coinbase: events\ncolumns:")
    .replace("from: data.p}", "from: {binance: data.p}}"),
    good=_TRADES,
)
EXCHANGES_REQUIRED = Rule(
    "SC305",
    "exchanges-required",
    E,
    "A column reads one path for all exchanges, but the schema names no exchanges.",
    "`from: data.p` means 'this path on every exchange of the schema'. Without `exchanges`, "
    "and with no other rule naming one, there is no exchange to apply it to.",
    bad=_TRADES.replace("exchanges: [binance]\n", ""),
    good=_TRADES,
)
MALFORMED_DERIVE = Rule(
    "SC306",
    "malformed-derive",
    E,
    "A derive rule is malformed.",
    "A derive field is `{field, op: tagged_concat, arrays: [{path, tag}, ...], tag_field, "
    "value_field}`: `op` must be `tagged_concat`, `arrays` must name at least one array, "
    "`tag_field` and `value_field` must differ, tags should differ, and two fields of one "
    "exchange must not share a name.",
    bad="name: book\ncategory: book_update\nexchanges: [binance]\nderive:\n  binance:\n"
    "    - field: levels\n      op: tagged_concat\n      arrays: []\n"
    "      tag_field: side\n      value_field: side\nunfold:\n  binance: data.levels\n"
    "columns:\n  price: {type: decimal(18), from: data.levels.level.0}\n",
    good="name: book\ncategory: book_update\nexchanges: [binance]\nderive:\n  binance:\n"
    "    - field: levels\n      op: tagged_concat\n      arrays:\n"
    "        - {path: data.b, tag: bid}\n        - {path: data.a, tag: ask}\n"
    "      tag_field: side\n      value_field: level\nunfold:\n  binance: data.levels\n"
    "columns:\n  price: {type: decimal(18), from: data.levels.level.0}\n",
)
AMBIGUOUS_EXCHANGE_RULE = Rule(
    "SC307",
    "ambiguous-exchange-rule",
    E,
    "Two globs of one mapping match the same exchange.",
    "An exact exchange key wins over a glob, but two globs that both match an exchange leave "
    "it unclear which rule applies. Make the globs disjoint or add an exact key.",
    bad=_TRADES.replace("[binance]", "[binance, bybit_spot]").replace(
        "from: data.p}", "from: {binance: data.p, bybit_*: data.p, '*_spot': data.price}}"
    ),
    good=_TRADES.replace("[binance]", "[binance, bybit_spot]").replace(
        "from: data.p}", "from: {binance: data.p, bybit_*: data.p}}"
    ),
)
UNMAPPED_EXCHANGE = Rule(
    "SC308",
    "unmapped-exchange",
    W,
    "A data column has no rule for one of the schema's exchanges.",
    "What the API writes for an exchange a column does not map is not documented (an empty "
    "value, most likely). Map every exchange of the schema, or narrow the schema's `exchanges`.",
    bad=_TRADES.replace("[binance]", "[binance, coinbase]").replace(
        "from: data.p}", "from: {binance: data.p}}"
    ),
    good=_TRADES.replace("[binance]", "[binance, coinbase]").replace(
        "from: data.p}", "from: {binance: data.p, coinbase: price}}"
    ),
)

# -- SC4xx: the project ---------------------------------------------------------------------

DUPLICATE_SCHEMA = Rule(
    "SC401",
    "duplicate-schema",
    E,
    "Two files declare the same schema (name and category).",
    "Names are unique per (account, category) on the API, so two files with the same pair "
    "would overwrite each other when published. The finding is reported on the second file and "
    "names the first.",
)
FILENAME_MISMATCH = Rule(
    "SC402",
    "filename-mismatch",
    W,
    "A file's name differs from the name of the schema it holds.",
    "One schema per file, named after the schema (`my_trades.yaml` holds `name: my_trades`), "
    "keeps a repository navigable and lets `schemac compile NAME` find files. A file may also "
    "be named `NAME@CATEGORY.yaml` when one name is used in several categories.",
)

# -- SC9xx: configuration -------------------------------------------------------------------

CONFIG_ERROR = Rule(
    "SC901",
    "config-error",
    E,
    "The configuration file is invalid.",
    "`schemac.toml`, or `[tool.schemac]` in pyproject.toml, takes: `paths` (list of files or "
    "folders), `exchanges` (list of known exchange codes), `max_columns` (integer), "
    "`decimal_max_scale` (integer), `dialect` (sqlglot dialect of transforms), `catalog_dirs` "
    "(list of folders), `severity` (table of code or name -> error/warning/info/off) and "
    "`ignore` (list of codes or names). Anything else is an error, and exits with status 2.",
)

# -- Added by the front-end split (issue 12): a code for each meaning that reused another -----
# (SC118 belongs to the SC1xx format series, SC309 to the SC3xx exchanges series.)

META_COLUMN_TYPE = Rule(
    "SC118",
    "meta-column-type",
    Severity.ERROR,
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
DUPLICATE_EXCHANGE = Rule(
    "SC309",
    "duplicate-exchange",
    Severity.ERROR,
    "The schema's `exchanges` lists an exchange twice.",
    "`exchanges` is the schema's list of exchange codes, each once; a repeated code is usually "
    "a copy-paste slip, or a misspelling of another exchange that is then missing. Remove the "
    "second occurrence. (Before this rule, the finding was SC002.)",
    bad=_TRADES.replace("[binance]", "[binance, binance]"),
    good=_TRADES,
)

"""Rules of exchanges (SC3xx): known codes, globs, unfold and derive."""

from __future__ import annotations

from schemac.diagnostics import Severity
from schemac.rules import Rule
from schemac.rules.examples import TRADES as _TRADES

E, W = Severity.ERROR, Severity.WARNING

# -- SC3xx: exchanges, globs, unfold and derive ----------------------------------------------

UNKNOWN_EXCHANGE = Rule(
    "SC301",
    "unknown-exchange",
    W,
    "An exchange code that neither the exchange catalog nor the configuration knows.",
    "The API names exchanges by code (`binance`, `bybit_linear`, ...). The known codes are "
    "those the exchange catalog has a file for (the shipped catalog, whose files say which "
    "codes the vendor's docs confirm and which are guessed: `schemac catalog list`, column "
    "`code`; plus your `catalog_dirs`) and those listed in `exchanges` in the configuration. "
    "A warning, not an error, because the vendor's full list is not published.",
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

DUPLICATE_EXCHANGE = Rule(
    "SC309",
    "duplicate-exchange",
    E,
    "The schema's `exchanges` lists an exchange twice.",
    "`exchanges` is the schema's list of exchange codes, each once; a repeated code is usually "
    "a copy-paste slip, or a misspelling of another exchange that is then missing. Remove the "
    "second occurrence. (Before this rule, the finding was SC002.)",
    bad=_TRADES.replace("[binance]", "[binance, binance]"),
    good=_TRADES,
)

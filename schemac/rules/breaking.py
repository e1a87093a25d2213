"""Breaking-change rules (SC701..SC799): what `plan`, `publish` and `diff` call breaking.

A breaking rule compares two versions of one schema, not one file, so its examples are three
snippets: ``before`` is the schema as published, ``bad`` the new version that breaks readers of
the output, ``good`` a new version that makes the same progress compatibly. The checks that
emit these rules live in :mod:`schemac.checks.breaking` (scope "breaking").

A breaking rule is either on (severity ``error``, the default) or ``off`` (in ``severity`` or
``ignore``): a change under a rule that is off is still listed, as compatible.
"""

from __future__ import annotations

from schemac.diagnostics import Severity
from schemac.rules import Rule

E = Severity.ERROR

_HEAD = "name: trades\ncategory: trade\nexchanges: [binance]\ncolumns:\n"
_TS = "  ts:\n    meta: collection_timestamp_ns\n    format: ms\n"
_PRICE = "  price:\n    type: f64\n    from: data.p\n"
_QTY = "  qty:\n    type: f64\n    from: data.q\n"
_FEE = "  fee:\n    type: f64\n    from: data.n\n"
_BEFORE = _HEAD + _TS + _PRICE + _QTY
_APPENDED = _BEFORE + _FEE  # the compatible way to change a schema: a new column at the end

_READERS = (
    "CSV readers go by column position and Parquet readers by column name and type, and both "
    "were written against the published version: "
)
_INSTEAD = (
    "Add a new column at the end instead, and retire the old one in a new schema (a new name) "
    "once every reader has moved; or publish with --allow-breaking after the readers are updated."
)

COLUMN_REMOVED = Rule(
    "SC701",
    "column-removed",
    E,
    "A column of the published schema is gone.",
    _READERS + "a reader that expects the column fails, and a CSV reader reads every later "
    "column one place off. " + _INSTEAD,
    before=_BEFORE,
    bad=_HEAD + _TS + _PRICE,
    good=_APPENDED,
)

COLUMN_RENAMED = Rule(
    "SC702",
    "column-renamed",
    E,
    "A column has a new output name (a removed and an added column with the same content).",
    _READERS + "a Parquet reader that selects the old name finds no such column, and a CSV "
    "header no longer matches the reader's. " + _INSTEAD,
    before=_BEFORE,
    bad=_HEAD + _TS + _PRICE + "  quantity:\n    type: f64\n    from: data.q\n",
    good=_BEFORE + "  quantity:\n    type: f64\n    from: data.q\n",
)

COLUMN_MOVED = Rule(
    "SC703",
    "column-moved",
    E,
    "A column kept its name but moved to another position.",
    _READERS + "a CSV reader that goes by position reads the moved column's values under another "
    "column's name. Keep the published order and add new columns at the end; turn this rule off "
    '(`severity = { column-moved = "off" }`) when every reader goes by name.',
    before=_BEFORE,
    bad=_HEAD + _TS + _QTY + _PRICE,
    good=_APPENDED,
)

COLUMN_INSERTED = Rule(
    "SC704",
    "column-inserted",
    E,
    "A new column is inserted before existing columns.",
    _READERS + "every column after the new one shifts one place, so a CSV reader that goes by "
    "position reads each of them under its neighbour's name. Add the column at the end.",
    before=_BEFORE,
    bad=_HEAD + _TS + _PRICE + _FEE + _QTY,
    good=_APPENDED,
)

TYPE_CHANGED = Rule(
    "SC705",
    "type-changed",
    E,
    "An extractor's declared type changed, and with it the column's output type.",
    _READERS + "a Parquet column has one type per file, and a reader that parses `1.5` as a "
    "number fails on a string, or loses digits when a decimal becomes f64. (A type change that "
    "a transform hides, so that the output type stays the same, is listed as compatible.) "
    + _INSTEAD,
    before=_BEFORE,
    bad=_BEFORE.replace("  price:\n    type: f64", "  price:\n    type: string"),
    good=_BEFORE + "  price_text:\n    type: string\n    from: data.p\n",
)

_QTY_TRANSFORM = 'from: {{binance: {{path: data.q, transform: "{}"}}}}'
TRANSFORM_CHANGED = Rule(
    "SC706",
    "transform-changed",
    E,
    "A transform changed so that its output type changed (`toString({v})` -> `toInt64({v})`).",
    _READERS + "the column's values change kind although its declared type did not. The "
    "output type is the type of a `case` mapping's values, or what schemac infers for the SQL "
    "in the configured dialect; a transform whose output type cannot be inferred is never "
    "taken as breaking. " + _INSTEAD,
    before=_BEFORE,
    bad=_BEFORE.replace("from: data.q", _QTY_TRANSFORM.format("toString({v})")),
    good=_BEFORE.replace("from: data.q", _QTY_TRANSFORM.format("{v} * 2")),
)

SOURCE_CHANGED = Rule(
    "SC707",
    "source-changed",
    E,
    "A column switched between a meta value and data read from the exchange's message.",
    _READERS + "a meta column (the collection timestamp) and a data column hold different "
    "values, usually of different types, under the same name. " + _INSTEAD,
    before=_BEFORE,
    bad=_BEFORE.replace(_TS, "  ts:\n    type: i64\n    from: data.T\n"),
    good=_BEFORE + "  trade_ts:\n    type: i64\n    from: data.T\n",
)

META_FORMAT_CHANGED = Rule(
    "SC708",
    "meta-format-changed",
    E,
    "A meta column's format changed (ns, us, ms, s, iso8601).",
    _READERS + "the same timestamp is written in another unit (or as text), so a reader "
    "interprets every value a thousandfold off, or fails to parse it. " + _INSTEAD,
    before=_BEFORE,
    bad=_BEFORE.replace("format: ms", "format: us"),
    good=_BEFORE + "  ts_us:\n    meta: collection_timestamp_ns\n    format: us\n",
)

_TWO_EXCHANGES = "name: trades\ncategory: trade\nexchanges: [binance, coinbase]\ncolumns:\n" + _TS
_TWO_PRICES = (
    _TWO_EXCHANGES + "  price:\n    type: f64\n    from: {binance: data.p, coinbase: price}\n"
)
EXCHANGE_REMOVED = Rule(
    "SC709",
    "exchange-removed",
    E,
    "A column no longer has a rule for an exchange it read before.",
    "Rows of that exchange lose the column's value: readers that relied on it get empty values "
    "(or the export drops the rows). Keep the exchange's rule; give the column a new name if "
    "its meaning changes.",
    before=_TWO_PRICES,
    bad=_TWO_EXCHANGES + "  price:\n    type: f64\n    from: {binance: data.p}\n",
    good=_TWO_PRICES + _FEE.replace("from: data.n", "from: {binance: data.n, coinbase: fee}"),
)

UNFOLD_CHANGED = Rule(
    "SC710",
    "unfold-changed",
    E,
    "An unfold rule was added, removed or points at another array.",
    "Unfolding makes one row per array element: adding, removing or moving it changes how many "
    "rows a message becomes and what each row means, so readers that count or join rows get "
    "other results. Publish the new shape as a new schema (a new name).",
    before=_BEFORE,
    bad=_BEFORE.replace("columns:\n", "unfold:\n  binance: data\ncolumns:\n"),
    good=_APPENDED,
)

SCHEMA_REMOVED = Rule(
    "SC711",
    "schema-removed",
    E,
    "A schema (name, category) of the baseline is gone: its file was deleted or its name changed.",
    "`diff --against` matches schemas by name and category, as publish does. A schema that is "
    "gone locally stays on the remote (publish never deletes), and a new name is created beside "
    "it: readers of the old one silently stop getting changes. Keep the name, or delete the "
    "remote schema on purpose.",
    before=_BEFORE,
    bad=_BEFORE.replace("name: trades", "name: trades_v2"),
    good=_APPENDED,
)

BREAKING_RULES = (
    COLUMN_REMOVED,
    COLUMN_RENAMED,
    COLUMN_MOVED,
    COLUMN_INSERTED,
    TYPE_CHANGED,
    TRANSFORM_CHANGED,
    SOURCE_CHANGED,
    META_FORMAT_CHANGED,
    EXCHANGE_REMOVED,
    UNFOLD_CHANGED,
    SCHEMA_REMOVED,
)
BREAKING_CODES = frozenset(rule.code for rule in BREAKING_RULES)

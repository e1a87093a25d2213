"""Rules of transforms (SC2xx): `{v}`, syntax, what an expression may contain, its functions."""

from __future__ import annotations

from schemac.diagnostics import Severity
from schemac.rules import Rule
from schemac.rules.examples import TRADES as _TRADES

E, W = Severity.ERROR, Severity.WARNING


def _transform(sql: str, quote: str = "'") -> str:
    """The example schema with ``sql`` as binance's transform of `price`."""
    return _TRADES.replace(
        "from: data.p}", f"from: {{binance: {{path: data.p, transform: {quote}{sql}{quote}}}}}}}"
    )


# -- SC2xx: transforms ----------------------------------------------------------------------

TRANSFORM_WITHOUT_PLACEHOLDER = Rule(
    "SC201",
    "transform-without-placeholder",
    E,
    "A transform does not use `{v}` as a value.",
    "A transform is a SQL expression over the extracted value, which it names `{v}`. One that "
    "never uses `{v}` yields the same value for every row: almost always a mistake. `{v}` counts "
    "only where the parsed expression uses it as a value: inside a string literal "
    "(`concat('{v}', 'x')`) or a comment it is text.",
    bad=_transform("abs(v)"),
    good=_transform("abs({v})"),
)
TRANSFORM_SYNTAX = Rule(
    "SC202",
    "transform-syntax-error",
    E,
    "A transform does not parse as one SQL expression in the API's dialect.",
    "Transforms are parsed (sqlglot) in the configured dialect, ClickHouse by default, with "
    "`{v}` bound to a placeholder first. The position points into the transform text. Query "
    "clauses after the expression (`INTO OUTFILE`, `SETTINGS`, `FORMAT`) do not parse either.",
    bad=_transform("round({v}, 2"),
    good=_transform("round({v}, 2)"),
)
TRANSFORM_UNSAFE = Rule(
    "SC203",
    "transform-unsafe",
    E,
    "A transform is more than an expression over `{v}`.",
    "A transform runs inside the export engine, once per row. schemac accepts only an "
    "expression built from `{v}`, literals, operators (arithmetic, comparison, logic, "
    "`IN (...)` a literal list, `LIKE`, `BETWEEN`, `CASE`, `CAST`, `[]`) and calls of allowed "
    "functions (SC205). Everything else is refused: a second statement, a subquery, a table, "
    "an aggregate (`sum`) or window function (`OVER`), `arrayJoin` (one row into many), a "
    "lambda outside `arrayMap`/`arrayFilter`, an alias, `*`, a query parameter. A schema must "
    "never be a way into the engine's tables, network or disk.",
    bad=_transform("concat({v}, (SELECT 'x'))", '"'),
    good=_transform("concat({v}, 'x')", '"'),
)
TRANSFORM_FREE_REFERENCE = Rule(
    "SC204",
    "transform-free-reference",
    E,
    "A transform names a column, table or identifier other than `{v}`.",
    "A transform sees only the extracted value `{v}` (and the parameters of its own lambdas). "
    "Any other name is refused: a column (`price`, `data.q`), and above all a table or a set, "
    "which `{v} IN system.users` or `{v} GLOBAL IN secret_set` would read. Quote string "
    "literals with single quotes: `\"Buy\"` is an identifier in SQL, `'Buy'` is a string.",
    bad=_transform("{v} * qty"),
    good=_transform("{v} * 2"),
)
TRANSFORM_FUNCTION_NOT_ALLOWED = Rule(
    "SC205",
    "transform-function-not-allowed",
    E,
    "A transform calls a function that is not on schemac's allow-list of pure scalar functions.",
    "A transform may call only the pure scalar functions listed in "
    "schemac/data/transform_functions.toml (conversions, string, number, date, null and array "
    "functions; each family says why it is safe). Any other function is refused, because "
    "ClickHouse has functions that read files (`file`), URLs (`url`, `s3`), other servers "
    "(`remote`, `mysql`), dictionaries (`dictGet`), the server's state (`user`, "
    "`getSetting`), the clock or random numbers, and a list of what is dangerous is never "
    "complete. A misspelled name gets the nearest allowed one as a hint. A project can allow "
    "more functions with `allow_functions = [...]` under `[transforms]` in its configuration: "
    "the risk is then the project's, and every function added must be checked to be pure (no "
    "reads, no network, no clock) and bounded.",
    bad=_transform("dictGetString('secrets', 'value', {v})", '"'),
    good=_transform("toString({v})", '"'),
)
TRANSFORM_HIDDEN_TEXT = Rule(
    "SC206",
    "transform-hidden-text",
    E,
    "A transform holds a comment, or a control, format or bidi character.",
    "What a reviewer reads must be what the engine runs. A comment (`--`, `#`, `/* */`) can "
    "hide text, or a `{v}` that is not used; a bidi control (U+202E), a zero-width character "
    "or another control character can make the text display differently from what it is. "
    "Tabs and line breaks are fine. Explain a transform in a YAML comment beside it instead.",
    bad=_transform("round({v}, 2) /* two places */"),
    good=_transform("round({v}, 2)"),
)
TRANSFORM_TOO_LONG = Rule(
    "SC207",
    "transform-too-long",
    E,
    "A transform is longer than the API accepts (4,096 characters).",
    "The Ticksupply API refuses a transform over 4,096 characters when the schema is "
    "published. schemac refuses it at validate time. A long CASE is better written as a "
    "`case:` mapping, or the column split in two.",
    bad=_transform("{v} + " + "1 + " * 1100 + "1"),
    good=_transform("{v} + 1"),
)
TRANSFORM_UNBOUNDED_SIZE = Rule(
    "SC208",
    "transform-unbounded-size",
    E,
    "A transform calls a function that allocates a size not given as a small literal.",
    "`repeat`, `leftPad`, `rightPad` and `toFixedString` allocate as much as their size "
    "argument says, for every row: `repeat({v}, 1e12)` asks the engine for terabytes. That "
    "argument must be an integer literal within the limit the allow-list gives "
    "(schemac/data/transform_functions.toml, 4,096).",
    bad=_transform("leftPad({v}, 1000000000, '0')", '"'),
    good=_transform("leftPad({v}, 12, '0')", '"'),
)

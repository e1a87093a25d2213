"""Rules of transforms (SC2xx): `{v}`, syntax, safety, free references."""

from __future__ import annotations

from schemac.diagnostics import Severity
from schemac.rules import Rule
from schemac.rules.examples import TRADES as _TRADES

E, W = Severity.ERROR, Severity.WARNING

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

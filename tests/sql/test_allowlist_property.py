"""Property: every expression built from the allow-list passes the transform screen.

Expressions are generated from schemac/data/transform_functions.toml itself (each function with
an arity its family allows, a literal within the limit for a size argument, a lambda where the
function takes one), operators, literals, nesting and `{v}`: the list and the screen cannot
drift apart without this test failing.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemac.sql.allowlist import AllowedFunction, allowed_functions
from schemac.sql.transforms import screen_transform

FUNCTIONS = sorted(allowed_functions().values())
# Names whose arguments sqlglot parses with a grammar of their own: given such arguments here.
_TYPE_NAMES = ["String", "Int64", "Float64", "Decimal(18, 8)", "Nullable(String)", "DateTime64(3)"]

_strings = st.text(
    alphabet=st.characters(whitelist_categories=("Lu", "Ll", "Nd"), whitelist_characters=" ,.'%_"),
    max_size=8,
).map(lambda s: "'" + s.replace("'", "''") + "'")
_numbers = st.integers(-(10**12), 10**12).map(str) | st.floats(
    allow_nan=False, allow_infinity=False, width=32
).map(lambda f: repr(abs(f)))
LEAVES = st.sampled_from(["{v}", "{v}", "NULL", "true", "false"]) | _numbers | _strings

_BINARY = ["+", "-", "*", "/", "%", "=", "!=", "<>", "<", ">", "<=", ">=", "AND", "OR", "||"]


def _call(entry: AllowedFunction, inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    most = entry.most if entry.most >= 0 else entry.least + 3

    @st.composite
    def build(draw: st.DrawFn) -> str:
        count = draw(st.integers(entry.least, most))
        arguments = [draw(inner) for _ in range(count)]
        if entry.size_argument is not None and entry.size_argument <= count:
            limit = entry.size_limit
            arguments[entry.size_argument - 1] = str(draw(st.integers(0, limit)))
        if entry.takes_lambda and arguments:
            arguments[0] = f"x -> {draw(inner).replace('{v}', 'x', 1)} + {{v}}"
        if entry.name.lower() == "cast" and count == 2:
            arguments[1] = "'" + draw(st.sampled_from(_TYPE_NAMES)) + "'"
        return f"{entry.name}({', '.join(arguments)})"

    return build()


def _extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    calls = st.sampled_from(FUNCTIONS).flatmap(lambda entry: _call(entry, inner))
    binary = st.tuples(inner, st.sampled_from(_BINARY), inner).map(
        lambda t: f"({t[0]}) {t[1]} ({t[2]})"
    )
    return st.one_of(
        calls,
        calls,
        binary,
        inner.map(lambda e: f"({e})"),
        inner.map(lambda e: f"-({e})"),
        inner.map(lambda e: f"NOT ({e})"),
        inner.map(lambda e: f"({e}) IS NULL"),
        st.tuples(inner, inner, inner).map(
            lambda t: f"CASE WHEN {t[0]} THEN {t[1]} ELSE {t[2]} END"
        ),
        st.tuples(inner, LEAVES, LEAVES).map(lambda t: f"({t[0]}) IN ({t[1]}, {t[2]})"),
        st.tuples(inner, LEAVES, LEAVES).map(lambda t: f"({t[0]}) BETWEEN {t[1]} AND {t[2]}"),
        st.tuples(inner, inner).map(lambda t: f"[{t[0]}, {t[1]}][1]"),
        st.tuples(inner, st.sampled_from(_TYPE_NAMES)).map(lambda t: f"CAST({t[0]} AS {t[1]})"),
        inner.map(lambda e: f"({e})::String"),
        inner.map(lambda e: f"({e}) LIKE 'a%'"),
    )


EXPRESSIONS = st.recursive(LEAVES, _extend, max_leaves=12).map(
    lambda e: e if "{v}" in e else f"coalesce({e}, {{v}})"
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(EXPRESSIONS)
def test_expressions_from_the_allow_list_pass_the_screen(text: str) -> None:
    assert screen_transform(text, "clickhouse") == (), text


@given(st.sampled_from(FUNCTIONS))
@settings(max_examples=len(FUNCTIONS) * 2, deadline=None)
def test_every_listed_function_passes_at_each_arity_bound(entry: AllowedFunction) -> None:
    most = entry.most if entry.most >= 0 else entry.least + 2
    for count in sorted({entry.least, most}):
        arguments = ["{v}"] * count
        if entry.size_argument is not None and entry.size_argument <= count:
            arguments[entry.size_argument - 1] = str(entry.size_limit)
        if entry.takes_lambda:
            arguments[0] = "x -> x + {v}"
        if entry.name.lower() == "cast" and count == 2:
            arguments[1] = "'String'"
        text = f"{entry.name}({', '.join(arguments)})"
        assert screen_transform(text, "clickhouse") == (), text


_SQLISH = st.sampled_from(
    [
        "{v}",
        "(",
        ")",
        ",",
        "'",
        "`",
        '"',
        "--",
        "/*",
        "*/",
        "#",
        "->",
        "::",
        "[",
        "]",
        "SELECT",
        "IN",
        "GLOBAL",
        "OVER",
        "CASE",
        "WHEN",
        "END",
        "x",
        "sum",
        "dictGet",
        "arrayMap",
        "1",
        " ",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_SQLISH | st.text(max_size=3), max_size=14).map("".join))
def test_the_screen_never_raises_and_stays_inside_the_text(text: str) -> None:
    for finding in screen_transform(text, "clickhouse"):
        assert 0 <= finding.offset <= max(len(text), 1) and finding.length >= 1, (text, finding)
        assert finding.offset + finding.length <= max(len(text), 1), (text, finding)

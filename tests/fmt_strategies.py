"""Hypothesis strategies for `schemac fmt`: schemas as data, written as YAML in varied styles.

A schema is drawn as plain data (dicts and lists, as a YAML mapping holds them), then written
with random choices a person makes: key order, flow or block style, indent width, comments at
the end of lines and on lines of their own, blank lines between items, quoted or plain scalars,
transforms as literal block scalars.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from schemac.core.yamltext import scalar
from schemac.vocabulary import CATEGORIES

EXCHANGES = ["binance", "bybit_linear", "bybit_spot", "coinbase", "okx", "binance_usdm"]
KEYS = ["bybit_*", "binance*", "*", *EXCHANGES]
TYPES = ["decimal(8)", "decimal(18)", "f64", "i64", "string", "bool"]
PATHS = st.sampled_from(["data.p", "data.q", "data.S", "data.m", "data.b.0.0", "events.0.x", "ts"])
WORDS = st.sampled_from(["buy", "sell", "Buy", "BUY", "yes", "on", "1.5", "x y", "a'b", "é"])
CASE_KEYS = WORDS | st.booleans() | st.integers(-5, 99)
TRANSFORMS = st.sampled_from(["toString({v})", "round({v}, 2)", "{v} * 100", "lower({v})"])
COMMENTS = st.sampled_from(["# note", "#x", "# a: b, {c}", "# ' quote", "# долго"])


def _extractor() -> st.SearchStrategy[Any]:
    base = st.fixed_dictionaries(
        {"path": PATHS},
        optional={"type": st.sampled_from(TYPES), "description": WORDS},
    )
    with_transform = st.tuples(base, TRANSFORMS).map(lambda p: {**p[0], "transform": p[1]})
    with_case = st.tuples(
        base,
        st.dictionaries(CASE_KEYS, WORDS, min_size=1, max_size=4),
        st.none() | WORDS,
    ).map(lambda p: {**p[0], "case": p[1], **({} if p[2] is None else {"else": p[2]})})
    return PATHS | base | with_transform | with_case


def _column() -> st.SearchStrategy[dict[str, Any]]:
    meta = st.fixed_dictionaries(
        {"meta": st.just("collection_timestamp_ns")},
        optional={"format": st.sampled_from(["ns", "us", "ms", "s", "iso8601"])},
    )
    data = st.fixed_dictionaries(
        {"from": PATHS | st.dictionaries(st.sampled_from(KEYS), _extractor(), max_size=3)},
        optional={"type": st.sampled_from(TYPES), "description": WORDS},
    )
    return meta | data


def _derive() -> st.SearchStrategy[dict[str, Any]]:
    field = st.fixed_dictionaries(
        {
            "field": st.sampled_from(["levels", "book"]),
            "op": st.just("tagged_concat"),
            "arrays": st.lists(
                st.fixed_dictionaries({"path": PATHS, "tag": WORDS}), min_size=1, max_size=3
            ),
            "tag_field": st.just("side"),
            "value_field": st.just("level"),
        }
    )
    return st.dictionaries(st.sampled_from(KEYS), st.lists(field, min_size=1, max_size=2))


SCHEMAS = st.fixed_dictionaries(
    {
        "name": st.sampled_from(["trades", "book", "t1"]),
        "category": st.sampled_from(CATEGORIES),
        "columns": st.dictionaries(
            st.sampled_from(["ts", "price", "side", "qty", "id", "on", "a b"]),
            _column(),
            min_size=1,
            max_size=5,
        ),
    },
    optional={
        "description": WORDS,
        "exchanges": st.lists(st.sampled_from(EXCHANGES), min_size=1, max_size=6, unique=True),
        "unfold": st.dictionaries(
            st.sampled_from(KEYS), PATHS | st.fixed_dictionaries({"path": PATHS}), max_size=3
        ),
        "derive": _derive(),
    },
)


class _Writer:
    """Writes plain data as YAML, each choice drawn: the styles of a hand-written file."""

    def __init__(self, draw: st.DrawFn) -> None:
        self.draw = draw
        self.step = draw(st.sampled_from([2, 2, 4]))

    def text(self, data: dict[str, Any]) -> str:
        lines: list[str] = []
        if self.draw(st.booleans()):
            lines.append(self.draw(COMMENTS))
        self.block_mapping(data, 0, lines)
        return "\n".join(lines) + "\n"

    def order(self, mapping: dict[str, Any]) -> list[str]:
        keys = list(mapping)
        return self.draw(st.permutations(keys)) if self.draw(st.booleans()) else keys

    def flow(self, value: Any) -> str:
        if isinstance(value, dict):
            items = (f"{scalar(key)}: {self.flow(value[key])}" for key in self.order(value))
            return "{" + ", ".join(items) + "}"
        if isinstance(value, list):
            return "[" + ", ".join(self.flow(item) for item in value) + "]"
        return scalar(value)

    def eol(self) -> str:
        return "  " + self.draw(COMMENTS) if self.draw(st.integers(0, 5)) == 0 else ""

    def before(self, indent: int, lines: list[str]) -> None:
        choice = self.draw(st.integers(0, 9))
        if choice == 0:
            lines.append("")
        elif choice == 1:
            lines.append(" " * indent + self.draw(COMMENTS))

    def block_mapping(self, mapping: dict[str, Any], indent: int, lines: list[str]) -> None:
        for position, key in enumerate(self.order(mapping)):
            if position:
                self.before(indent, lines)
            self.entry(f"{' ' * indent}{scalar(key)}:", mapping[key], indent, lines)

    def entry(self, head: str, value: Any, indent: int, lines: list[str]) -> None:
        if isinstance(value, str) and "{v}" in value and self.draw(st.booleans()):
            lines.append(f"{head} |-{self.eol()}")  # a transform as a literal block scalar
            lines.append(" " * (indent + self.step) + value)
        elif isinstance(value, (dict, list)) and value and self.draw(st.integers(0, 2)):
            lines.append(head + self.eol())
            if isinstance(value, dict):
                self.block_mapping(value, indent + self.step, lines)
            else:
                self.block_sequence(value, indent + self.step, lines)
        else:
            lines.append(f"{head} {self.flow(value)}{self.eol()}")

    def block_sequence(self, items: list[Any], indent: int, lines: list[str]) -> None:
        for item in items:
            if isinstance(item, dict) and item and self.draw(st.booleans()):
                first, *rest = self.order(item)
                inner = indent + 2
                self.entry(f"{' ' * indent}- {scalar(first)}:", item[first], inner, lines)
                self.block_mapping({key: item[key] for key in rest}, inner, lines)
            else:
                lines.append(f"{' ' * indent}- {self.flow(item)}{self.eol()}")


@st.composite
def schema_texts(draw: st.DrawFn) -> str:
    """The YAML text of a schema, in a random hand-written style."""
    return _Writer(draw).text(draw(SCHEMAS))

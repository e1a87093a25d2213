"""The YAML generator: exact round trip (property test) and readable, deterministic output."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemac.config import Config
from schemac.core.ir import CaseArm, CaseMap
from schemac.core.sqlcase import render_case
from schemac.core.yamltext import NotRepresentable, scalar
from schemac.remote.local import compile_text
from schemac.render.yaml import wire_to_yaml

CONFIG = Config(exchanges=["binance", "bybit_linear", "bybit_spot", "coinbase", "okx"])
EXCHANGES = ["binance", "bybit_linear", "bybit_spot", "coinbase", "okx"]
TYPES = ["decimal(8)", "decimal(18)", "f64", "i64", "string", "bool"]
# Strings chosen to trip a YAML writer: other types, indicators, quotes, escapes, unicode.
NASTY = [
    "true", "False", "null", "~", "", "1", "1.5", "1e3", "0x1F", "0o7", ".inf", ".nan", "yes",
    "on", "a: b", "#x", "- a", "[a]", "{a}", "a,b", "'q'", '"dq"', "back\\slash", "tab\tx",
    "new\nline", "ü", "日本", "😀", " lead", "trail ", "*", "&a", "!t", "%p", "@a", "`b",
    "data.p", "a.0.1", "\x07bell", "\u2028", "\x85",
    # Plain in YAML 1.2, typed by YAML 1.1 readers (PyYAML): ints, binary, dates, sexagesimal.
    "1_000", "0b101", "2024-01-01", "1:20", "190:20:30", "-1_0", "0_7", "1_0.5",
    "2001-12-14t21:59:43.10-05:00", "Y", "n", "OFF", "<<", "=",
]  # fmt: skip
# Text built from the characters those YAML 1.1 forms are made of, so that generated strings
# hit them too, not only the examples above.
yaml11_texts = st.text(alphabet="0123456789_:-.+bxoeEtTZyYnN ", max_size=12)
texts = st.one_of(st.sampled_from(NASTY), st.text(max_size=12), yaml11_texts)
ne_texts = texts.filter(bool)  # where the format requires a non-empty string
names = st.one_of(
    st.sampled_from([t for t in NASTY if t]),
    st.from_regex(r"[a-z_][a-z0-9_]{0,10}", fullmatch=True),
)
case_scalars = st.one_of(
    texts,
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
)


@st.composite
def case_transforms(draw: st.DrawFn) -> str:
    arms = draw(st.lists(st.tuples(case_scalars, case_scalars), min_size=1, max_size=4))
    unique: dict[tuple[type, Any], CaseArm] = {}
    for when, then in arms:
        unique.setdefault((type(when), when), CaseArm(when, then))
    otherwise = draw(st.one_of(st.none(), case_scalars))
    case = CaseMap(tuple(unique.values()), has_else=otherwise is not None, otherwise=otherwise)
    return render_case(case, "clickhouse")


transforms = st.one_of(
    st.none(), st.sampled_from(["toString({v})", "CASE {v} WHEN 1 THEN 'a'"]), ne_texts,
    case_transforms(),
)  # fmt: skip


@st.composite
def extractors(draw: st.DrawFn, type_: str | None) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "json": {"path": draw(texts), "type": type_ or draw(st.sampled_from(TYPES))}
    }
    transform = draw(transforms)
    if transform is not None:
        rule["transform"] = transform
    return rule


@st.composite
def columns(draw: st.DrawFn, exchanges: list[str], name: str) -> dict[str, Any]:
    kind = draw(st.sampled_from(["meta", "same", "varied", "empty"]))
    if kind == "meta":
        meta: dict[str, Any] = {"value": "collection_timestamp_ns"}
        fmt = draw(st.one_of(st.none(), st.sampled_from(["ns", "us", "ms", "s", "iso8601"])))
        if fmt is not None:
            meta["format"] = fmt
        return {"output_column": name, "meta": meta}
    if kind == "empty":
        return {"output_column": name, "data": {}}
    if kind == "same":  # the collapsible shape: one path and type on every exchange
        rule = {"json": {"path": draw(texts), "type": draw(st.sampled_from(TYPES))}}
        return {
            "output_column": name,
            "data": {ex: json.loads(json.dumps(rule)) for ex in exchanges},
        }
    chosen = (
        draw(st.lists(st.sampled_from(exchanges), min_size=1, unique=True)) if exchanges else []
    )
    shared = draw(st.one_of(st.none(), st.sampled_from(TYPES)))
    return {"output_column": name, "data": {ex: draw(extractors(shared)) for ex in chosen}}


@st.composite
def wire_bodies(draw: st.DrawFn) -> dict[str, Any]:
    exchanges = draw(st.lists(st.sampled_from(EXCHANGES), unique=True, max_size=4))
    column_names = draw(st.lists(names, min_size=1, max_size=6, unique=True))
    body: dict[str, Any] = {
        "name": draw(names),
        "stream_category": draw(st.sampled_from(["trade", "orderbook", "kline"])),
        "columns": [draw(columns(exchanges, name)) for name in column_names],
    }
    if exchanges and draw(st.booleans()):
        chosen = draw(st.lists(st.sampled_from(exchanges), unique=True))
        body["unfold"] = {ex: {"path": draw(texts)} for ex in chosen}
    if exchanges and draw(st.booleans()):
        chosen = draw(st.lists(st.sampled_from(exchanges), unique=True))
        body["derive"] = {
            ex: [
                {
                    "field": draw(ne_texts),
                    "op": "tagged_concat",
                    "arrays": [
                        {"path": draw(texts), "tag": draw(texts)}
                        for _ in range(draw(st.integers(0, 2)))
                    ],
                    "tag_field": draw(ne_texts),
                    "value_field": draw(ne_texts),
                }
                for _ in range(draw(st.integers(0, 2)))
            ]
            for ex in chosen
        }
    return body


def compile_yaml(text: str) -> dict[str, Any]:
    body, problems = compile_text(text, "pulled.yaml", CONFIG)
    assert body is not None, (text, [p.message for p in problems])
    return body


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(wire_bodies())
def test_compile_of_decompile_is_identity(body: dict[str, Any]) -> None:
    wire_text = json.dumps(body)
    canonical, _ = compile_text(wire_text, "x.json", CONFIG)
    assert canonical == body  # the generated body is canonical wire
    text = wire_to_yaml(body)
    assert compile_yaml(text) == body
    assert wire_to_yaml(body) == text  # deterministic


@given(case_scalars)
def test_scalar_reads_back_as_itself(value: Any) -> None:
    body, _ = compile_text(
        f"name: n\ncategory: trade\nexchanges: [binance]\ncolumns:\n  c:\n    type: string\n"
        f"    from: {{binance: {{path: p, case: {{{scalar(value)}: x}}}}}}\n",
        "s.yaml",
        CONFIG,
    )
    assert body is not None
    # the key YAML reads back is the value written: the same `case`, rendered the same
    expected = render_case(CaseMap((CaseArm(value, "x"),), has_else=False), CONFIG.dialect)
    assert body["columns"][0]["data"]["binance"]["transform"] == expected


@settings(max_examples=500, deadline=None)  # a loaded CI machine is no failure
@given(st.one_of(st.sampled_from(NASTY), yaml11_texts, st.text(max_size=12)))
def test_strings_read_back_as_the_same_string_in_yaml_1_1(value: str) -> None:
    # PyYAML's safe_load resolves plain scalars the YAML 1.1 way: a string must stay a string.
    assert yaml.safe_load(f"k: {scalar(value)}\n") == {"k": value}


SIDE_CASE = "CASE {v} WHEN true THEN 'sell' WHEN false THEN 'buy' END"


def test_readable_output_collapses_and_decompiles_case() -> None:
    body = {
        "name": "my_trades",
        "stream_category": "trade",
        "columns": [
            {"output_column": "ts", "meta": {"value": "collection_timestamp_ns", "format": "ms"}},
            {"output_column": "price", "data": {
                "binance": {"json": {"path": "data.p", "type": "decimal(18)"}},
                "bybit_linear": {"json": {"path": "data.p", "type": "decimal(18)"}}}},
            {"output_column": "quantity", "data": {
                "binance": {"json": {"path": "data.q", "type": "decimal(18)"}},
                "bybit_linear": {"json": {"path": "data.v", "type": "decimal(18)"}}}},
            {"output_column": "side", "data": {
                "binance": {"json": {"path": "data.m", "type": "bool"},
                            "transform": SIDE_CASE},
                "bybit_linear": {"json": {"path": "data.S", "type": "string"},
                                 "transform": "lower({v})"}}},
        ],
        "unfold": {"bybit_linear": {"path": "data"}},
    }  # fmt: skip
    assert wire_to_yaml(body) == (
        "name: my_trades\n"
        "category: trade\n"
        "exchanges: [binance, bybit_linear]\n"
        "unfold:\n"
        "  bybit_linear: data\n"
        "columns:\n"
        "  ts:\n"
        "    meta: collection_timestamp_ns\n"
        "    format: ms\n"
        "  price:\n"
        "    type: decimal(18)\n"
        "    from: data.p\n"
        "  quantity:\n"
        "    type: decimal(18)\n"
        "    from:\n"
        "      binance: data.q\n"
        "      bybit_linear: data.v\n"
        "  side:\n"
        "    from:\n"
        "      binance: {path: data.m, type: bool, case: {true: sell, false: buy}}\n"
        '      bybit_linear: {path: data.S, type: string, transform: "lower({v})"}\n'
    )
    assert compile_yaml(wire_to_yaml(body)) == body


def test_duplicate_column_names_are_not_representable() -> None:
    column = {"output_column": "a", "meta": {"value": "collection_timestamp_ns"}}
    body = {"name": "n", "stream_category": "trade", "columns": [column, column]}
    with pytest.raises(NotRepresentable, match="two columns are named `a`"):
        wire_to_yaml(body)

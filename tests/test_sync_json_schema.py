"""The sync specs' JSON Schema (schemac/data/sync.schema.json, `schemac json-schema --sync`):
its facts are the code's, it takes what validate takes, and refuses what the shape forbids."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from helpers import REPO, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from schemac.core.syncfields import KEYS, MAX_PARALLEL, REQUIRED
from schemac.core.syncrefs import (
    FILTER_KEYS,
    INSTRUMENT_PATTERN,
    REF_PATTERN,
    STREAM_TYPE_PATTERN,
    parse_datastream_ref,
)
from schemac.core.times import (
    DURATION_PATTERN,
    TIME_PATTERN,
    TimeFormatError,
    parse_duration,
    parse_instant,
)
from schemac.rules import all_rules
from schemac.rules.sync import SYNC_EXAMPLE
from schemac.vocabulary import EXCHANGE_CODE_PATTERN, EXPORT_FORMAT_OPTIONS, EXPORT_FORMATS

SCHEMA: dict[str, Any] = json.loads((REPO / "schemac/data/sync.schema.json").read_text("utf-8"))

FACTS: dict[str, Any] = {
    "/properties/datastreams/items/oneOf/0/pattern": REF_PATTERN,
    "/properties/start/oneOf/0/pattern": TIME_PATTERN,
    "/properties/format/enum": list(EXPORT_FORMATS),
    "/if/properties/format/const": "parquet",
    "/then/properties/format_options/properties/compression/enum": list(
        EXPORT_FORMAT_OPTIONS["parquet"]["compression"]
    ),
    "/$defs/duration/pattern": DURATION_PATTERN,
    "/$defs/filter/properties/exchange/pattern": EXCHANGE_CODE_PATTERN,
    "/$defs/filter/properties/instrument/pattern": INSTRUMENT_PATTERN,
    "/$defs/filter/properties/stream_type/pattern": STREAM_TYPE_PATTERN,
}


def _at(pointer: str) -> Any:
    node: Any = SCHEMA
    for part in pointer.strip("/").split("/"):
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def _facts(node: Any, pointer: str = "") -> list[str]:
    found = []
    if isinstance(node, dict):
        for key, child in node.items():
            if key in ("enum", "const", "pattern"):
                found.append(f"{pointer}/{key}")
            else:
                found += _facts(child, f"{pointer}/{key}")
    elif isinstance(node, list):
        for index, child in enumerate(node):
            found += _facts(child, f"{pointer}/{index}")
    return found


@pytest.mark.parametrize("pointer", list(FACTS))
def test_the_schema_states_the_codes_facts(pointer: str) -> None:
    assert _at(pointer) == FACTS[pointer]


def test_every_fact_of_the_schema_is_checked_and_the_keys_are_the_parsers() -> None:
    assert set(_facts(SCHEMA)) == set(FACTS)
    assert list(SCHEMA["properties"]) == list(KEYS)
    assert SCHEMA["required"] == list(REQUIRED)
    assert list(_at("/$defs/filter/properties")) == list(FILTER_KEYS)
    assert _at("/properties/parallel/maximum") == MAX_PARALLEL


def _errors(document: Any) -> list[str]:
    return [e.message for e in jsonschema.Draft202012Validator(SCHEMA).iter_errors(document)]


def test_the_example_and_the_good_examples_are_valid() -> None:
    assert _errors(yaml.safe_load(SYNC_EXAMPLE)) == []
    for rule in all_rules().values():
        if rule.bad_format == "sync" and rule.good:
            assert _errors(yaml.safe_load(rule.good)) == [], rule.code


# Bad examples whose mistake is one of shape, which the JSON Schema sees too; the others need
# a calendar, the project or the catalog (SC426, SC432-SC438), or are about values it cannot
# tell apart (SC424 `3 days ago` is refused; so is each of these).
SHAPE_RULES = ["SC421", "SC422", "SC423", "SC424", "SC425", "SC427", "SC428", "SC429", "SC430"]


@pytest.mark.parametrize("code", SHAPE_RULES)
def test_bad_examples_of_shape_are_invalid(code: str) -> None:
    assert _errors(yaml.safe_load(all_rules()[code].bad)) != []


def test_the_command_prints_the_schema() -> None:
    result = run_cli("json-schema", "--sync")
    assert (result.code, json.loads(result.out)) == (0, SCHEMA)
    with pytest.raises(SystemExit) as usage:  # argparse: --wire and --sync exclude each other
        run_cli("json-schema", "--sync", "--wire")
    assert usage.value.code == 2


@settings(deadline=None)  # a loaded CI machine is slow, not wrong
@given(st.text(alphabet="0123456789smhdwago-:TZ.+now", max_size=40))
def test_every_accepted_time_matches_the_time_pattern(text: str) -> None:
    try:
        parse_instant(text, now_ns=10**19)
    except TimeFormatError:
        return
    assert re.fullmatch(TIME_PATTERN, text)


@pytest.mark.parametrize(
    "text",
    [
        "now",
        "3d-ago",
        "0",
        "2026-01-02",
        "2026-01-02T00:00Z",
        "2026-01-02T00:00:00.123456789+02:00",
    ],
)
def test_accepted_times_match(text: str) -> None:
    parse_instant(text, now_ns=10**19)
    assert re.fullmatch(TIME_PATTERN, text)


@pytest.mark.parametrize(
    "text", ["NOW", "1.5h-ago", "-5", "2026-01-02T00:00:00", "2026-01-02 00:00Z", "3d", " now"]
)
def test_refused_shapes_do_not_match(text: str) -> None:
    assert not re.fullmatch(TIME_PATTERN, text)


@settings(deadline=None)  # a loaded CI machine is slow, not wrong
@given(st.text(alphabet="0123456789smhdw-.H ", max_size=8))
def test_the_duration_pattern_is_the_duration_grammar(text: str) -> None:
    try:
        parse_duration(text)
    except TimeFormatError:
        assert not re.fullmatch(DURATION_PATTERN, text)
    else:
        assert re.fullmatch(DURATION_PATTERN, text)


@settings(deadline=None)  # a loaded CI machine is slow, not wrong
@given(st.text(alphabet="abinceBTCUSD019_:- /", max_size=30))
def test_the_ref_pattern_is_what_refs_parse(text: str) -> None:
    try:
        parse_datastream_ref(text)
    except ValueError:
        assert not re.fullmatch(REF_PATTERN, text)
    else:
        assert re.fullmatch(REF_PATTERN, text)


def test_the_docs_name_the_command(tmp_path: Path) -> None:
    page = (REPO / "docs" / "sync.md").read_text("utf-8")
    assert "schemac json-schema --sync" in page

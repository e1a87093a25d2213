"""Transform type inference with sqlglot: output types, findings and their offsets."""

from __future__ import annotations

import pytest

from schemac.rules import types as rules
from schemac.types.sqltypes import infer, schemac_type, sql_type
from schemac.types.transform import TransformTyping, _from_json, _to_json

# The findings inside a transform are made from the rules themselves: compared by code.
BRANCH_MISMATCH = rules.CASE_BRANCH_TYPE_MISMATCH.code
CASE_WITHOUT_ELSE = rules.CASE_WITHOUT_ELSE.code
COMPARISON_MISMATCH = rules.COMPARISON_TYPE_MISMATCH.code
UNKNOWN_FUNCTION = rules.UNKNOWN_FUNCTION.code
UNTYPED = rules.UNTYPED_TRANSFORM.code


@pytest.mark.parametrize(
    ("text", "input_type", "output"),
    [
        ("CASE WHEN {v} THEN 'sell' ELSE 'buy' END", "bool", "string"),
        ("toFloat64({v}) * 100", "f64", "f64"),
        ("toString({v})", "i64", "string"),
        ("{v} * 2", "decimal(8)", "decimal(8)"),
        ("{v} / 2", "i64", "f64"),  # ClickHouse's / is a float division
        ("toDecimal64({v}, 4)", "string", "decimal(4)"),
        ("toInt64OrZero({v})", "string", "i64"),
        ("upper({v})", "string", "string"),
        ("length({v})", "string", "i64"),
        ("{v} > 0", "f64", "i64"),  # ClickHouse's predicates are UInt8 0/1, not Bool
        ("multiIf({v} > 1, 'a', {v} > 0, 'b', 'c')", "i64", "string"),
        ("toUnixTimestamp64Milli(parseDateTime64BestEffort({v}, 3))", "string", "i64"),
        ("{v}", "decimal(18)", "decimal(18)"),
    ],
)
def test_output_types(text: str, input_type: str, output: str) -> None:
    typing = infer(text, "clickhouse", input_type)
    assert typing.output == output
    assert [f for f in typing.findings if f.code != CASE_WITHOUT_ELSE] == []


def _only(typing: TransformTyping, kind: str) -> tuple[int, int, str]:
    found = [f for f in typing.findings if f.code == kind]
    assert len(found) == 1, typing.findings
    return found[0].offset, found[0].length, found[0].message


def test_case_branches_of_different_kinds_point_at_the_odd_branch() -> None:
    text = "CASE WHEN {v} THEN 'sell' ELSE 0 END"
    typing = infer(text, "clickhouse", "bool")
    offset, length, message = _only(typing, BRANCH_MISMATCH)
    assert text[offset : offset + length] == "0"
    assert "'sell'" in message and "string" in message and "i64" in message
    assert typing.output is None  # no one type: the column is not unified against a guess


def test_if_branches_of_different_kinds() -> None:
    text = "if({v}, 1, 'x')"
    offset, length, _ = _only(infer(text, "clickhouse", "bool"), BRANCH_MISMATCH)
    assert text[offset : offset + length] == "'x'"


def test_numeric_branches_widen_without_a_finding() -> None:
    typing = infer("CASE WHEN {v} THEN 1 ELSE 2.5 END", "clickhouse", "bool")
    assert typing.output == "f64" and typing.findings == ()


def test_comparison_with_a_literal_of_another_kind() -> None:
    text = "CASE WHEN {v} = 'Buy' THEN 'buy' ELSE 'sell' END"
    offset, length, message = _only(infer(text, "clickhouse", "bool"), COMPARISON_MISMATCH)
    assert text[offset : offset + length] == "'Buy'"
    assert "`{v}` is bool" in message


def test_simple_case_and_in_compare_each_literal() -> None:
    simple = infer("CASE {v} WHEN 1 THEN 'a' ELSE 'b' END", "clickhouse", "string")
    assert [f.code for f in simple.findings] == [COMPARISON_MISMATCH]
    listed = infer("{v} IN ('a', 2)", "clickhouse", "string")
    assert [f.offset for f in listed.findings if f.code == COMPARISON_MISMATCH] == [13]
    assert infer("{v} IN ('a', 'b')", "clickhouse", "string").findings == ()


def test_case_without_else_is_reported_at_case() -> None:
    text = "upper(CASE WHEN {v} THEN 'sell' END)"
    offset, length, _ = _only(infer(text, "clickhouse", "bool"), CASE_WITHOUT_ELSE)
    assert text[offset : offset + length] == "CASE"


def test_unknown_function_suggests_the_nearest_name() -> None:
    # SC505 is for a function the configuration allows; one allowed nowhere is the screen's SC205
    assert infer("toFloat46({v}) * 100", "clickhouse", "f64") == TransformTyping(None)
    typing = infer("toFloat46({v}) * 100", "clickhouse", "f64", frozenset({"tofloat46"}))
    found = [f for f in typing.findings if f.code == UNKNOWN_FUNCTION]
    assert len(found) == 1 and found[0].hint == "did you mean `toFloat64`?"
    assert (found[0].offset, found[0].length) == (0, 9)
    assert typing.output is None
    assert UNTYPED not in {f.code for f in typing.findings}  # one finding for one cause


def test_untyped_function_makes_the_output_unknown() -> None:
    text = "toDate(fromUnixTimestamp64Milli({v}))"
    typing = infer(text, "clickhouse", "i64")
    offset, _, message = _only(typing, UNTYPED)
    assert typing.output is None and "fromUnixTimestamp64Milli" in message
    assert text[offset:].startswith("fromUnixTimestamp64Milli")


def test_an_untyped_inner_function_does_not_matter_when_the_result_is_typed() -> None:
    typing = infer("toString(toDate({v}))", "clickhouse", "i64")
    assert typing == TransformTyping("string")


def test_free_references_and_bad_sql_give_no_type_findings() -> None:
    assert infer("{v} * qty", "clickhouse", "f64") == TransformTyping(None)
    assert infer("round({v} 2)", "clickhouse", "f64") == TransformTyping(None)
    assert infer("SELECT 1", "clickhouse", "f64") == TransformTyping(None)
    assert infer("", "clickhouse", "f64") == TransformTyping(None)


def test_other_dialects_type_only_sqlglots_functions() -> None:
    assert infer("upper({v})", "duckdb", "string").output == "string"
    typing = infer("toString({v})", "duckdb", "i64")  # on the allow-list, typed for ClickHouse
    assert typing.output is None and [f.code for f in typing.findings] == [UNTYPED]


def test_type_mapping_round_trips() -> None:
    for type_name in ("i64", "f64", "string", "bool", "decimal(0)", "decimal(18)"):
        assert schemac_type(sql_type(type_name)) == type_name


def test_cached_form_round_trips_and_rejects_junk() -> None:
    typing = infer("CASE WHEN {v} THEN 'a' ELSE 0 END", "clickhouse", "bool")
    assert _from_json(_to_json(typing)) == typing
    for junk in (None, [], {"output": 3, "findings": []}, {"output": None, "findings": [1]}):
        assert _from_json(junk) is None
    unknown_code = ["SC999", 0, 1, "", None]
    assert _from_json({"output": "i64", "findings": [unknown_code]}) is None
    old_kind = {"kind": "branch-mismatch", "message": "", "offset": 0}  # cache format 2
    assert _from_json({"output": "i64", "findings": [old_kind]}) is None


@pytest.mark.parametrize(
    ("text", "input_type", "output", "nullable"),
    [
        # The disagreements with ClickHouse the engine test found (tests/run), one each.
        ("{v} * {v}", "decimal(8)", "decimal(16)", True),
        ("round({v}, 2)", "decimal(8)", "decimal(8)", True),
        ("{v} / 2", "decimal(8)", "decimal(8)", True),
        ("{v} * 2.5", "decimal(8)", "f64", True),
        ("toDateTime64({v} / 1000, 3)", "i64", "timestamp(3)", True),
        ("CASE WHEN {v} THEN 'a' END", "bool", "string", True),
        ("CASE WHEN {v} THEN 'a' ELSE 'b' END", "bool", "string", False),
        ("NOT {v}", "bool", "bool", True),
        ("startsWith({v}, 'B')", "string", "i64", True),
        ("ifNull({v}, 0)", "decimal(8)", "decimal(8)", False),
        ("if({v} > 1, sign({v}), 2.5)", "i64", "f64", True),
        ("roundBankers({v}, 2)", "decimal(2)", "decimal(2)", True),
    ],
)
def test_clickhouse_output_types(text: str, input_type: str, output: str, nullable: bool) -> None:
    typing = infer(text, "clickhouse", input_type)
    assert (typing.output, typing.nullable) == (output, nullable)


@pytest.mark.parametrize("text", ["if({v} > 1, {v}, 2.5)", "ifNull({v}, 0.5)"])
def test_a_decimal_and_a_float_have_no_common_type(text: str) -> None:
    typing = infer(text, "clickhouse", "decimal(8)")
    assert typing.output is None
    assert [f.code for f in typing.findings] == [BRANCH_MISMATCH]
    assert "no common type in ClickHouse" in typing.findings[0].message

"""Property: a `case` mapping compiles to SQL whose inferred type is the mapping's value type,
and decompiles back to the same mapping."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import typed_case_maps

from schemac.core.ir import CaseMap
from schemac.core.sqlcase import decompile_case, render_case
from schemac.types.outputs import case_output
from schemac.types.sqltypes import infer


@settings(max_examples=200, deadline=None)
@given(case=typed_case_maps(), dialect=st.sampled_from(["clickhouse", "duckdb"]))
def test_compiled_case_has_the_mappings_type_and_round_trips(
    case: tuple[str, str, CaseMap], dialect: str
) -> None:
    input_type, value_type, mapping = case
    assert case_output(mapping) == value_type
    sql = render_case(mapping, dialect)
    typing = infer(sql, dialect, input_type)
    assert typing.output == value_type, sql
    assert {f.code for f in typing.findings} <= {"SC503"}, typing.findings
    back = decompile_case(sql, dialect)
    assert back is not None
    assert [(a.when, a.then) for a in back.arms] == [(a.when, a.then) for a in mapping.arms]
    assert (back.has_else, back.otherwise) == (mapping.has_else, mapping.otherwise)

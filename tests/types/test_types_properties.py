"""Property: a `case` mapping compiles to SQL whose inferred type is the mapping's value type,
and decompiles back to the same mapping."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from schemac.core.ir import CaseArm, CaseMap
from schemac.core.sqlcase import decompile_case, render_case
from schemac.types.outputs import case_output
from schemac.types.sqltypes import infer

_strings = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12) | (
    st.sampled_from(
        ["'", "''", "\\", "\\'", "END", "WHEN", "SELECT 1; --", "é ü 日本", "{v}", "NULL"]
    )
)
_values = {
    "string": _strings,
    "bool": st.booleans(),
    "i64": st.integers(-(2**63), 2**63 - 1),
    "f64": st.floats(allow_nan=False, allow_infinity=False),
}
# The input types a `case` reads, with keys that fit each.
_keys = {
    "string": _strings,
    "bool": st.booleans(),
    "i64": st.integers(-(2**63), 2**63 - 1),
    "f64": st.floats(allow_nan=False, allow_infinity=False),
    "decimal(8)": st.floats(allow_nan=False, allow_infinity=False, width=32),
}


def _key_identity(key: object) -> tuple[type, object]:
    return (type(key), key)


@st.composite
def typed_case_maps(draw: st.DrawFn) -> tuple[str, str, CaseMap]:
    input_type = draw(st.sampled_from(sorted(_keys)))
    value_type = draw(st.sampled_from(sorted(_values)))
    # unique as YAML keys are: 0.0 and -0.0 are one key
    keys = draw(st.lists(_keys[input_type], min_size=1, max_size=4, unique_by=_key_identity))
    arms = tuple(CaseArm(key, draw(_values[value_type])) for key in keys)
    has_else = draw(st.booleans())
    otherwise = draw(_values[value_type]) if has_else else None
    return input_type, value_type, CaseMap(arms, has_else=has_else, otherwise=otherwise)


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

"""Hypothesis strategies shared by the property tests."""

from __future__ import annotations

from typing import Literal

from hypothesis import strategies as st

from schemac.core.ir import CaseArm, CaseMap, CaseScalar

_SURROGATES: tuple[Literal["Cs"]] = ("Cs",)  # not encodable as UTF-8

# Strings that stress SQL quoting and the `{v}` placeholder, beside arbitrary text.
STRINGS = st.text(alphabet=st.characters(blacklist_categories=_SURROGATES), max_size=12) | (
    st.sampled_from(
        ["'", "''", "\\", "\\'", "END", "WHEN", "SELECT 1; --", "é ü 日本", "{v}", "NULL"]
    )
)
# The types a `case` maps to, with values of each.
CASE_VALUES: dict[str, st.SearchStrategy[CaseScalar]] = {
    "string": STRINGS,
    "bool": st.booleans(),
    "i64": st.integers(-(2**63), 2**63 - 1),
    "f64": st.floats(allow_nan=False, allow_infinity=False),
}
# The input types a `case` reads, with keys that fit each.
CASE_KEYS: dict[str, st.SearchStrategy[CaseScalar]] = {
    **CASE_VALUES,
    "decimal(8)": st.floats(allow_nan=False, allow_infinity=False, width=32),
}


def _key_identity(key: object) -> tuple[type, object]:
    return (type(key), key)


@st.composite
def typed_case_maps(draw: st.DrawFn) -> tuple[str, str, CaseMap]:
    """(input type, value type, a `case` mapping from keys of the one to values of the other)."""
    input_type = draw(st.sampled_from(sorted(CASE_KEYS)))
    value_type = draw(st.sampled_from(sorted(CASE_VALUES)))
    # unique as YAML keys are: 0.0 and -0.0 are one key
    keys = draw(st.lists(CASE_KEYS[input_type], min_size=1, max_size=5, unique_by=_key_identity))
    arms = tuple(CaseArm(key, draw(CASE_VALUES[value_type])) for key in keys)
    has_else = draw(st.booleans())
    otherwise = draw(CASE_VALUES[value_type]) if has_else else None
    return input_type, value_type, CaseMap(arms, has_else=has_else, otherwise=otherwise)

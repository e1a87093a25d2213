"""The type lattice: kinds, joins, relations, and how `case` scalars fit types."""

from __future__ import annotations

import pytest

from schemac.types import lattice
from schemac.types.lattice import Relation

ALL = ["i64", "decimal(0)", "decimal(8)", "decimal(18)", "f64", "string", "bool"]


@pytest.mark.parametrize(
    ("first", "second", "joined"),
    [
        ("i64", "i64", "i64"),
        ("i64", "decimal(8)", "decimal(8)"),
        ("decimal(8)", "decimal(18)", "decimal(18)"),
        ("decimal(18)", "f64", "f64"),
        ("i64", "f64", "f64"),
        ("string", "string", "string"),
        ("bool", "bool", "bool"),
        ("string", "decimal(8)", None),
        ("bool", "i64", None),
        ("bool", "string", None),
    ],
)
def test_join(first: str, second: str, joined: str | None) -> None:
    assert lattice.join(first, second) == joined
    assert lattice.join(second, first) == joined


def test_join_is_associative_and_an_upper_bound() -> None:
    for a in ALL:
        for b in ALL:
            for c in ALL:
                ab = lattice.join(a, b)
                bc = lattice.join(b, c)
                left = lattice.join(ab, c) if ab is not None else None
                right = lattice.join(a, bc) if bc is not None else None
                assert left == right, (a, b, c)
            joined = lattice.join(a, b)
            if joined is not None:  # both widen to the join: joining again changes nothing
                assert lattice.join(a, joined) == joined == lattice.join(joined, b)


def test_relation() -> None:
    assert lattice.relation("decimal(8)", "decimal(8)") is Relation.SAME
    assert lattice.relation("decimal(8)", "decimal(18)") is Relation.WIDENS
    assert lattice.relation("decimal(8)", "f64") is Relation.WIDENS
    assert lattice.relation("string", "f64") is Relation.INCOMPATIBLE
    assert lattice.relation("bool", "string") is Relation.INCOMPATIBLE


def test_join_all() -> None:
    assert lattice.join_all([]) is None
    assert lattice.join_all(["i64", "decimal(4)", "decimal(2)"]) == "decimal(4)"
    assert lattice.join_all(["i64", "string", "i64"]) is None


def test_kinds_and_names() -> None:
    assert [lattice.kind_of(t) for t in ALL] == ["numeric"] * 5 + ["string", "bool"]
    assert lattice.kind_of("decimal") is None and lattice.kind_of("Decimal(8)") is None
    assert lattice.decimal_scale("decimal(12)") == 12 and lattice.decimal(3) == "decimal(3)"


def test_meta_types() -> None:
    assert {lattice.META_TYPES[f] for f in (None, "ns", "us", "ms", "s")} == {"i64"}
    assert lattice.META_TYPES["iso8601"] == "string"


@pytest.mark.parametrize(
    ("value", "type_name", "fits"),
    [
        (True, "bool", True),
        (1, "bool", False),  # bool is an int in Python; not in schemac
        ("true", "bool", False),
        (True, "i64", False),
        (1, "i64", True),
        (1.0, "i64", True),
        (1.5, "i64", False),  # an integer never equals 1.5
        (1.5, "decimal(8)", True),
        (2, "f64", True),
        ("1", "i64", False),
        ("Buy", "string", True),
        (1, "string", False),
    ],
)
def test_scalar_fits(value: object, type_name: str, fits: bool) -> None:
    assert lattice.scalar_fits(value, type_name) is fits  # type: ignore[arg-type]


def test_scalar_type_and_describe() -> None:
    assert [lattice.scalar_type(v) for v in (True, 3, 2.5, "x")] == ["bool", "i64", "f64", "string"]
    assert [lattice.describe(v) for v in (False, 3, "x")] == ["false", "3", "'x'"]

"""Suggestions: one closest name for a misspelt key, a few for a path among many."""

from __future__ import annotations

from schemac.diagnostics import did_you_mean, did_you_mean_all


def test_did_you_mean_prefers_the_closest_spelling_then_a_case_slip() -> None:
    assert did_you_mean("categroy", ["category", "columns"]) == "category"
    assert did_you_mean("AB", ["ab", "xy"]) == "ab"  # nothing passes the cutoff but case
    assert did_you_mean("zzz", ["category"]) is None


def test_did_you_mean_all_puts_a_case_slip_first_and_alone() -> None:
    paths = ["data.price", "data.prices", "data.qty"]
    assert did_you_mean_all("data.Price", paths, 3) == ["data.price"]
    assert did_you_mean_all("data.pric", paths, 3) == ["data.price", "data.prices"]
    assert did_you_mean_all("data.pric", paths, 1) == ["data.price"]
    assert did_you_mean_all("zzz", paths, 3) == []

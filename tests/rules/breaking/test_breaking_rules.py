"""Breaking-change rules: one case per rule, run through the library's diff, plus each rule's
own explain examples and its place in the registry.

A case is a folder ``CODE_what-it-shows`` (or ``compatible_...``) holding ``old.yaml`` and
``new.yaml``: the breaking codes of the diff from old to new must be exactly ``CODE``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers import run_cli

from schemac.checks import all_checks
from schemac.remote.baseline import Baseline, DiffRow, compare
from schemac.remote.local import LocalSchema, compile_text
from schemac.rules.breaking import BREAKING_RULES
from schemac.vocabulary import DEFAULT_DIALECT

CASES = Path(__file__).parent
RULE_CODES = [rule.code for rule in BREAKING_RULES]


def _body(text: str, file: str) -> dict[str, Any]:
    body, problems = compile_text(text, file)
    assert body is not None, problems
    return body


def _diff(old_text: str, new_text: str, off: tuple[str, ...] = ()) -> list[DiffRow]:
    """The rows of `diff --against` for a file that held ``old_text`` and now holds
    ``new_text`` (offline: the baseline given as data)."""
    from schemac.config import Config
    from schemac.core.loader import load_text
    from schemac.core.parse import parse_document

    old = _body(old_text, "old.yaml")
    root, _ = load_text("new.yaml", new_text, is_json=False)
    assert root is not None
    schema, _ = parse_document(root, "new.yaml", Config())
    assert schema is not None
    local = LocalSchema(schema, _body(new_text, "new.yaml"))
    baseline = Baseline({(old["name"], old["stream_category"]): ("s.yaml", old)})
    return compare([(local, "s.yaml")], baseline, DEFAULT_DIALECT, off)


def _breaking_codes(rows: list[DiffRow]) -> set[str]:
    return {c.rule.code for r in rows for c in r.changes if c.breaking and c.rule is not None}


def _cases() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if p.is_dir() and (p / "old.yaml").is_file())


@pytest.mark.parametrize("case", _cases(), ids=lambda p: p.name)
def test_breaking_case(case: Path) -> None:
    rows = _diff((case / "old.yaml").read_text(), (case / "new.yaml").read_text())
    expected = set() if case.name.startswith("compatible") else {case.name.split("_")[0]}
    assert _breaking_codes(rows) == expected, [c.detail for r in rows for c in r.changes]
    assert any(r.changes for r in rows)  # a compatible case still lists its changes


def test_every_breaking_rule_has_a_case() -> None:
    covered = {p.name.split("_")[0] for p in _cases()}
    assert set(RULE_CODES) <= covered


@pytest.mark.parametrize("rule", BREAKING_RULES, ids=lambda r: r.code)
def test_explain_examples(rule: object) -> None:
    from schemac.rules import Rule

    assert isinstance(rule, Rule) and rule.before and rule.bad and rule.good
    assert rule.code in _breaking_codes(_diff(rule.before, rule.bad)), f"{rule.code}: bad is fine"
    assert _breaking_codes(_diff(rule.before, rule.good)) == set(), f"{rule.code}: good breaks"


@pytest.mark.parametrize("rule", BREAKING_RULES, ids=lambda r: r.code)
def test_a_rule_turned_off_lists_the_change_as_compatible(rule: object) -> None:
    from schemac.rules import Rule

    assert isinstance(rule, Rule)
    rows = _diff(rule.before, rule.bad, off=(rule.code,))
    assert rule.code not in _breaking_codes(rows)
    listed = [c for r in rows for c in r.changes if c.rule is rule]
    assert listed and all(c.off and not c.breaking for c in listed)
    assert all(c.as_json()["code"] == rule.code for c in listed)


def test_every_breaking_rule_has_one_registered_check() -> None:
    checks = [c for c in all_checks() if c.scope == "breaking"]
    for rule in BREAKING_RULES:
        owners = [c for c in checks if rule in c.rules]
        assert len(owners) == 1, f"{rule.code}: {[c.name for c in owners]}"
        assert owners[0].module == "schemac.checks.breaking"


def test_rules_lists_and_explain_shows_the_breaking_rules() -> None:
    listing = run_cli("rules")
    assert listing.code == 0
    for rule in BREAKING_RULES:
        assert f"{rule.code}  {rule.name}" in listing.out
    page = run_cli("explain", "column-moved")
    assert page.code == 0
    assert page.out.startswith("SC703 column-moved (default severity: error)")
    assert "Before (yaml):" in page.out and "Bad (yaml):" in page.out
    assert 'severity = { SC703 = "off" }' in page.out

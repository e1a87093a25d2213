"""The sync spec rules (SC42x-SC43x): their explain examples run in a project, and the sync
checks, each run alone over every case, emit only the rules they declare.

The case files themselves (tests/rules/cases/SC4xx@LINE_sync-*/, a project folder each) are
run by tests/test_rules.py like every other case.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import schemac
from schemac.checks import all_checks
from schemac.config import Config
from schemac.diagnostics import Diagnostic
from schemac.project import Project, load_project
from schemac.rules import all_rules
from schemac.rules.examples import TRADES
from schemac.rules.sync import SYNC_EXAMPLE

CASES = Path(__file__).parent / "rules" / "cases"
SYNC_CODES = [code for code, rule in all_rules().items() if rule.bad_format == "sync"]


def _project(root: Path, spec: str) -> list[Diagnostic]:
    (root / "schemas").mkdir(parents=True)
    (root / "syncs").mkdir()
    (root / "schemas" / "my_trades.yaml").write_text(TRADES)
    (root / "syncs" / "example.yaml").write_text(spec)
    config = Config(root=root)
    return schemac.check(schemac.load_project(None, config, syncs=True))


def test_the_sync_rules_have_examples() -> None:
    assert len(SYNC_CODES) >= 15
    assert all(all_rules()[code].good for code in SYNC_CODES)


def test_the_example_spec_is_clean(tmp_path: Path) -> None:
    assert _project(tmp_path, SYNC_EXAMPLE) == []


@pytest.mark.parametrize("code", SYNC_CODES, ids=str)
def test_explain_examples(code: str, tmp_path: Path) -> None:
    rule = all_rules()[code]
    bad = _project(tmp_path / "bad", rule.bad)
    assert code in {d.code for d in bad}, f"{code}: bad example is clean: {bad}"
    good = [d for d in _project(tmp_path / "good", rule.good) if d.code == code]
    assert not good, f"{code}: good example still triggers: {good}"


def _sync_cases() -> list[tuple[str, Project]]:
    config = Config(root=CASES)
    return [
        (case.name, load_project([str(case)], config, syncs=True))
        for case in sorted(CASES.iterdir())
        if case.is_dir() and (case / "syncs").is_dir()
    ]


def test_each_sync_check_alone_emits_only_its_rules() -> None:
    checks = [c for c in all_checks() if c.scope == "sync"]
    assert len(checks) >= 4
    cases = _sync_cases()
    assert len(cases) >= 18
    strays = []
    for name, project in cases:
        for each in checks:
            found = each.function(project.sync_specs, project.sync_schemas, project.config)
            emitted = {d.code for d in found}
            strays += [f"{each.name} on {name}: {c}" for c in sorted(emitted - each.codes)]
    assert strays == []


def test_reading_sync_specs_emits_only_rules_of_stage_checks() -> None:
    declared = {rule.code for c in all_checks() if c.scope == "stage" for rule in c.rules}
    emitted = {d.code for _, project in _sync_cases() for d in project.diagnostics}
    assert "SC421" in emitted
    assert emitted - declared == set()


def test_a_sync_rule_turned_off_is_not_reported(tmp_path: Path) -> None:
    bad = all_rules()["SC434"].bad
    (tmp_path / "schemas").mkdir()
    (tmp_path / "syncs").mkdir()
    (tmp_path / "schemas" / "my_trades.yaml").write_text(TRADES)
    (tmp_path / "syncs" / "example.yaml").write_text(bad)
    for settings in ({"ignore": ["sync-unknown-schema"]}, {"severity": {"SC434": "off"}}):
        config = Config(root=tmp_path, **settings)  # type: ignore[arg-type]
        found = schemac.check(schemac.load_project(None, config, syncs=True))
        assert "SC434" not in {d.code for d in found}

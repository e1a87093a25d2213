"""The check registry: every rule has a check, a check emits only the rules it declares, and a
rule the configuration turns off is not run at all."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import schemac
import schemac.rules as registry
from schemac.catalog import load_catalog
from schemac.checks import CHECK_MODULES, all_checks, checks_for
from schemac.config import Config
from schemac.core.ir import Schema
from schemac.diagnostics import Diagnostic
from schemac.project import Project, check_project, load_project
from schemac.rules import Check, all_rules
from schemac.rules.format import TOO_MANY_COLUMNS
from schemac.rules.project import CONFIG_ERROR

CASES = Path(__file__).parent / "rules" / "cases"
SCOPES_RUN_BY_THE_PROJECT = ("project", "schema", "catalog")


def _stage_checks() -> list[Check]:
    return [c for c in all_checks() if c.scope == "stage"]


def _case_projects() -> Iterator[tuple[str, Project]]:
    config = Config(root=CASES)
    for case in sorted(CASES.iterdir()):
        if case.name[:2] == "SC":
            yield case.name, load_project([str(case)], config)


def test_every_rule_has_a_registered_check() -> None:
    covered = {rule.code for c in all_checks() for rule in c.rules}
    assert set(all_rules()) - covered == set()


def test_checks_declare_registered_rules_in_a_known_scope() -> None:
    rules = all_rules()
    for each in all_checks():
        assert each.scope in registry.SCOPES, each.name
        assert each.rules, each.name
        for rule in each.rules:
            assert rules.get(rule.code) is rule, f"{each.name}: {rule.code} is not registered"


def test_all_checks_imports_every_registering_module() -> None:
    modules = {c.module for c in all_checks()}
    assert {"schemac.checks.schema", "schemac.checks.catalog"} <= modules
    assert {m for m in modules if m.startswith("schemac.checks.")} <= set(CHECK_MODULES)


def test_checks_for_names_the_module_of_a_rule() -> None:
    assert [c.module for c in checks_for("SC601")] == ["schemac.checks.catalog"]
    assert [c.module for c in checks_for("SC401")] == ["schemac.checks.project"]
    assert checks_for("SC999") == []


def _run_alone(each: Check, project: Project, catalog: Any) -> list[Diagnostic]:
    if each.scope == "project":
        return list(each.function(project.schemas, project.config))
    found: list[Diagnostic] = []
    for schema in project.schemas:
        argument = catalog if each.scope == "catalog" else project.config
        found.extend(each.function(schema, argument))
    return found


def test_each_check_alone_emits_only_the_rules_it_declares() -> None:
    catalog = load_catalog([])
    checks = [c for c in all_checks() if c.scope in SCOPES_RUN_BY_THE_PROJECT]
    assert checks
    strays = []
    for name, project in _case_projects():
        for each in checks:
            emitted = {d.code for d in _run_alone(each, project, catalog)}
            strays += [f"{each.name} on {name}: {c}" for c in sorted(emitted - each.codes)]
    assert strays == []


def test_the_front_end_emits_only_rules_its_stage_checks_declare() -> None:
    declared = {rule.code for c in _stage_checks() for rule in c.rules}
    emitted = {d.code for _, project in _case_projects() for d in project.diagnostics}
    assert emitted - declared == set()


# -- a rule turned off is not run ----------------------------------------------------------------

TOO_WIDE = "name: wide\ncategory: trade\nexchanges: [binance]\ncolumns:\n" + "".join(
    f"  c{i}: {{type: string, from: data.s}}\n" for i in range(3)
)


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Replace the registered check of SC110 by a spy that records each call."""
    calls: list[str] = []
    [original] = checks_for(TOO_MANY_COLUMNS.code)

    @functools.wraps(original.function)
    def recording(schema: Schema, config: Config) -> Any:
        calls.append(schema.name)
        return original.function(schema, config)

    replaced = [
        Check(c.rules, recording, c.scope) if c is original else c for c in registry._CHECKS
    ]
    monkeypatch.setattr(registry, "_CHECKS", replaced)
    return calls


def _check_wide(tmp_path: Path, **settings: Any) -> list[Diagnostic]:
    (tmp_path / "wide.yaml").write_text(TOO_WIDE)
    config = Config(root=tmp_path, max_columns=2, **settings)
    return check_project(load_project([str(tmp_path / "wide.yaml")], config))


def test_a_rule_that_is_on_is_run(spy: list[str], tmp_path: Path) -> None:
    assert "SC110" in {d.code for d in _check_wide(tmp_path)}
    assert spy == ["wide"]


@pytest.mark.parametrize(
    "settings",
    [
        {"severity": {"SC110": "off"}},
        {"severity": {"too-many-columns": "off"}},
        {"ignore": ["sc110"]},
        {"ignore": ["too-many-columns"]},
    ],
    ids=["severity-code", "severity-name", "ignore-code", "ignore-name"],
)
def test_a_rule_turned_off_is_not_run(
    spy: list[str], tmp_path: Path, settings: dict[str, Any]
) -> None:
    assert "SC110" not in {d.code for d in _check_wide(tmp_path, **settings)}
    assert spy == []


def test_a_check_runs_while_one_of_its_rules_is_on(tmp_path: Path) -> None:
    """SC510 and SC511 are one check: turning one off keeps the other."""
    conflict = (
        "name: s\ncategory: trade\nexchanges: [binance, coinbase]\ncolumns:\n  p:\n    from:\n"
        "      binance: {path: data.p, type: string}\n"
        "      coinbase: {path: price, type: decimal(8)}\n"
    )
    (tmp_path / "s.yaml").write_text(conflict)
    config = Config(root=tmp_path, severity={"SC511": "off"})
    found = check_project(load_project([str(tmp_path / "s.yaml")], config))
    assert "SC510" in {d.code for d in found}


def test_findings_reported_once_are_not_repeated_and_order_is_kept() -> None:
    from schemac.project import _Findings

    a, b, c = (CONFIG_ERROR.at(schemac_span(line), "x") for line in (3, 2, 1))
    found = _Findings([a, b])
    found.add([b, c, a, c], once=True)  # a catalog error met again by each schema
    assert found.items == [a, b, c]
    found.add([a])  # other checks keep what they report, as before
    assert found.items == [a, b, c, a]


def test_many_findings_are_collected_in_linear_time() -> None:
    """2,000 files with 10 findings each took 100 s with a list scan; a set makes it instant."""
    import time

    from schemac.project import _Findings

    many = [CONFIG_ERROR.at(schemac_span(n), "x") for n in range(20_000)]
    start = time.perf_counter()
    found = _Findings(many)
    found.add(many, once=True)
    assert len(found.items) == 20_000
    assert time.perf_counter() - start < 2.0


def schemac_span(line: int) -> Any:
    from schemac.diagnostics import Span

    return Span.point("f.yaml", line)


def test_library_check_matches_the_registry_run(tmp_path: Path) -> None:
    (tmp_path / "wide.yaml").write_text(TOO_WIDE)
    config = Config(root=tmp_path, max_columns=2)
    project = schemac.load_project([str(tmp_path / "wide.yaml")], config)
    assert schemac.check(project) == check_project(project)


@pytest.mark.parametrize("key", ["SC110", "sc110", "too-many-columns", " Too-Many-Columns "])
def test_a_severity_override_names_the_rule_by_code_or_name(tmp_path: Path, key: str) -> None:
    found = _check_wide(tmp_path, severity={key: "info"})
    assert [d.severity.value for d in found if d.code == "SC110"] == ["info"]

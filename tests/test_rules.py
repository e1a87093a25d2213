"""Rule tests: one small snippet per diagnostic, with the code and line it must produce.

Each case is a file (or a folder of files) under tests/rules/cases named
``CODE@LINE_what-it-shows.ext``. A rule's own `explain` examples are tested too: its bad
snippet must produce the rule, its good snippet must not.

Rules that `validate` does not check are exempt from both: breaking-change rules (scope
"breaking": an old and a new wire body, not one file) are tested with old/new cases under
tests/rules/breaking/, portability rules (scope "portability", checked by the commands that
target DuckDB) with cases under tests/rules/portability/ (tests/run/test_sql.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import schemac
from schemac.checks import all_checks
from schemac.config import Config
from schemac.diagnostics import Diagnostic
from schemac.rules import all_rules

CASES = Path(__file__).parent / "rules" / "cases"
CASE_NAME = re.compile(r"(?P<code>SC\d{3})@(?P<line>\d+)_(?P<slug>[\w-]+)")


def breaking_rules() -> set[str]:
    """The codes of rules `validate` does not check: on a change between two versions, not on
    one file (breaking), or only for the commands that target DuckDB (portability)."""
    scopes = ("breaking", "portability")
    return {rule.code for c in all_checks() if c.scope in scopes for rule in c.rules}


def _validate(paths: list[str]) -> list[Diagnostic]:
    config = Config(root=CASES)
    return schemac.check(schemac.load_project(paths, config, syncs=True))


def _cases() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if CASE_NAME.match(p.name))


@pytest.mark.parametrize("case", _cases(), ids=lambda p: p.name)
def test_rule_case(case: Path) -> None:
    match = CASE_NAME.match(case.name)
    assert match is not None
    code, line = match["code"], int(match["line"])
    diagnostics = _validate([str(case)])
    hits = [(d.code, d.span.line) for d in diagnostics]
    assert (code, line) in hits, f"expected {code} at line {line}, got {hits}"


def test_every_rule_has_a_case_or_is_exempt() -> None:
    covered = {CASE_NAME.match(p.name)["code"] for p in _cases()}  # type: ignore[index]
    # Rules that no file in a repository can trigger portably get unit tests elsewhere:
    # SC006 (an unreadable file: test_loader), SC901 (configuration: test_config), SC505 (a
    # function the configuration allows: tests/sql/test_allowlist_config.py).
    exempt = {"SC006", "SC901", "SC505"} | breaking_rules()
    assert set(all_rules()) - covered - exempt == set()


# Sync spec examples (bad_format "sync") need a project around them: tests/test_sync_rules.py.
@pytest.mark.parametrize(
    "code",
    [
        c
        for c, r in all_rules().items()
        if r.bad and c not in breaking_rules() and r.bad_format != "sync"
    ],
    ids=str,
)
def test_explain_examples(code: str, tmp_path: Path) -> None:
    rule = all_rules()[code]
    suffix = ".json" if rule.bad_format == "json" else ".yaml"
    bad = tmp_path / "bad" / f"example{suffix}"
    bad.parent.mkdir()
    bad.write_text(rule.bad)
    assert code in {d.code for d in _validate([str(bad)])}, f"{code}: bad example is clean"
    if rule.good:
        good = tmp_path / "good" / f"example{suffix}"
        good.parent.mkdir()
        good.write_text(rule.good)
        found = [d for d in _validate([str(good)]) if d.code == code]
        assert not found, f"{code}: good example still triggers: {found}"


def test_rule_codes_and_names_are_unique_and_well_formed() -> None:
    rules = all_rules()
    names = [r.name for r in rules.values()]
    assert len(set(names)) == len(names)
    for code, rule in rules.items():
        assert re.fullmatch(r"SC\d{3}", code)
        assert re.fullmatch(r"[a-z]+(-[a-z0-9]+)*", rule.name)
        assert rule.summary and rule.explain


def test_a_finding_inside_a_scalar_is_the_rule_at_a_place_in_the_file() -> None:
    from schemac.diagnostics import Span
    from schemac.rules.transforms import TRANSFORM_FREE_REFERENCE as rule

    text = "{v} * qty"
    finding = rule.within(6, 3, "refers to `qty`", "a hint")
    written = Span("s.yaml", 8, 20, 8, 31)  # the scalar, with its quotes: "'{v} * qty'"
    located = finding.locate(written, "'", text, "column `p`: ")
    assert located == rule.at(Span("s.yaml", 8, 27, 8, 30), "column `p`: refers to `qty`", "a hint")
    plain = finding.locate(written._replace(end_column=29), None, text)
    assert (plain.span.column, plain.span.end_column) == (26, 29)


def test_span_keeps_its_fields_and_helpers() -> None:
    from schemac.diagnostics import Span

    span = Span.point("f.yaml", 3, 4)
    assert span == Span(file="f.yaml", line=3, column=4, end_line=3, end_column=4)
    assert span.sort_key() == ("f.yaml", 3, 4)
    assert Span.point("f.yaml") == Span("f.yaml", 1, 1, 1, 1)

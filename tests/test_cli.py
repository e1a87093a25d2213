"""End to end through the real console entry points, in subprocesses where it matters."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from helpers import DOCS, EXAMPLE_SCHEMAS, REPO, run_cli

from schemac.core import parse
from schemac.rules import all_rules


def schemac(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "schemac", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        # the session's private transform cache (tests/conftest.py), never the user's
        env={
            "NO_COLOR": "1",
            "PATH": "/usr/bin:/bin",
            "SCHEMAC_CACHE_DIR": os.environ["SCHEMAC_CACHE_DIR"],
        },
        timeout=60,
    )


def test_python_m_validates_the_bundled_examples() -> None:
    result = schemac("validate", "schemas/")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("All clean: ")


def test_validate_mixes_yaml_and_wire_files(tmp_path: Path) -> None:
    wire = run_cli("compile", str(REPO / "schemas" / "trades.yaml")).out
    (tmp_path / "trades.json").write_text(wire)
    result = schemac("validate", str(REPO / "schemas"), str(tmp_path / "trades.json"))
    # the same (name, category) in two files is caught across formats
    assert result.returncode == 1
    assert "error[SC401]" in result.stdout


# Modules a `validate` without transforms must not import: heavy ones, and those only other
# paths need (a version lookup, `compile -o`'s file writing, hints' fuzzy matching).
HEAVY = [
    "sqlglot",
    "ticksupply",
    "httpx",
    "requests",
    "pydantic",
    "jsonschema",
    "duckdb",
    "chdb",
    "pyarrow",
]
HEAVY += ["urllib3", "http.client", "schemac.sandbox", "sqlite3", "hypothesis"]
HEAVY += ["importlib.metadata", "email"]
ONLY_ON_OTHER_PATHS = ["tempfile", "shutil", "random", "difflib"]


def _imported_by_validate(tmp_path: Path, candidates: list[str]) -> str:
    (tmp_path / "s.yaml").write_text(
        "name: s\ncategory: trade\nexchanges: [binance]\ncolumns:\n"
        "  ts: {meta: collection_timestamp_ns}\n  p: {type: decimal(8), from: data.p}\n"
        "  side:\n    from:\n      binance:\n"
        "        {path: data.m, type: bool, case: {true: sell, false: buy}}\n"
    )
    code = (
        "import sys\nfrom schemac.cli import main\n"
        f"rc = main(['validate', {str(tmp_path)!r}])\n"
        f"print(sorted(m for m in {candidates!r} if m in sys.modules), rc)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=60
    )
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr


def test_validate_imports_nothing_heavy(tmp_path: Path) -> None:
    """validate without transforms imports no sqlglot, HTTP client, pydantic, jsonschema, and
    looks up no version (importlib.metadata drags in email)."""
    assert _imported_by_validate(tmp_path, HEAVY) == "[] 0"


def test_validate_imports_nothing_only_other_paths_need(tmp_path: Path) -> None:
    assert _imported_by_validate(tmp_path, ONLY_ON_OTHER_PATHS) == "[] 0"


def test_sqlglot_is_imported_only_for_transforms_not_in_the_cache(tmp_path: Path) -> None:
    schemas = tmp_path / "schemas"
    schemas.mkdir()
    (schemas / "s.yaml").write_text(
        "name: s\ncategory: trade\nexchanges: [binance]\ncolumns:\n"
        "  p:\n    from:\n      binance: {path: data.p, type: f64, transform: 'round({v}, 2)'}\n"
        "  q:\n    from:\n      binance: {path: data.q, type: f64, transform: 'round({v} 2)'}\n"
    )
    code = (
        "import sys\nfrom schemac.cli import main\n"
        f"rc = main(['validate', {str(schemas)!r}])\nprint('sqlglot' in sys.modules, rc)\n"
    )
    env = {"SCHEMAC_CACHE_DIR": str(tmp_path / "cache"), "NO_COLOR": "1"}

    def run() -> list[str]:
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env
        )
        return result.stdout.strip().splitlines()

    first = run()
    assert first[-1] == "True 1" and any("SC202" in line for line in first)
    second = run()  # the same transforms: findings from the cache, sqlglot never imported
    assert second == [*first[:-1], "False 1"]
    env["SCHEMAC_NO_CACHE"] = "1"
    assert run()[-1] == "True 1"


def test_rules_lists_every_rule() -> None:
    result = run_cli("rules")
    assert result.code == 0
    lines = result.out.splitlines()
    assert len(lines) == len(all_rules())
    assert lines[0].split()[:3] == ["SC001", "syntax-error", "error"]
    rows = json.loads(run_cli("rules", "--format", "json").out)
    assert {row["code"] for row in rows} == set(all_rules())


def test_explain_by_code_and_name() -> None:
    by_code = run_cli("explain", "SC101")
    assert by_code.code == 0
    assert by_code.out.startswith("SC101 unknown-key (default severity: error)")
    assert "Bad (yaml):" in by_code.out and "Good (yaml):" in by_code.out
    assert run_cli("explain", "unknown-key").out == by_code.out
    assert run_cli("explain", "sc101").out == by_code.out
    missing = run_cli("explain", "unknwn-key")
    assert missing.code == 2 and "did you mean unknown-key" in missing.err
    assert run_cli("explain", "SC999").code == 2


def test_explain_names_the_module_that_checks_the_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    from schemac import checks, rules

    for code in ("SC101", "SC201", "SC401", "SC701"):
        lines = run_cli("explain", code).out.splitlines()
        checked_by = [line for line in lines if line.startswith("checked by: ")]
        expected = sorted({c.module for c in checks.checks_for(code)})
        assert expected and checked_by == [f"checked by: {', '.join(expected)}"]
        assert lines[-1] == checked_by[0]
    assert "schemac.core.parse" in run_cli("explain", "SC101").out
    monkeypatch.setattr(rules, "_CHECKS", [])
    assert "checked by:" not in run_cli("explain", "SC101").out  # nothing registered, no line


def test_every_rule_has_an_explain_page() -> None:
    for code in all_rules():
        result = run_cli("explain", code)
        assert result.code == 0 and code in result.out


def test_json_schema_of_the_authoring_format_accepts_the_examples() -> None:
    document = json.loads(run_cli("json-schema").out)
    jsonschema.Draft202012Validator.check_schema(document)
    for path in EXAMPLE_SCHEMAS:
        jsonschema.validate(yaml.safe_load(path.read_text()), document)


def test_json_schema_of_the_authoring_format_rejects_mistakes() -> None:
    document = json.loads(run_cli("json-schema").out)
    validator = jsonschema.Draft202012Validator(document)
    good = yaml.safe_load((REPO / "schemas" / "trades.yaml").read_text())
    for broken in (
        {**good, "categroy": "trade"},
        {**good, "category": "trades"},
        {**good, "columns": {"p": {"type": "decimal", "from": "data.p"}}},
        {**good, "columns": {"p": {"meta": "collection_timestamp_ns", "from": "data.p"}}},
        {**good, "columns": {"p": {"from": {"binance": {"path": "data..p"}}}}},
    ):
        assert list(validator.iter_errors(broken)), broken


def test_json_schema_keys_match_the_parser() -> None:
    """The editor schema and the parser must agree on every key of the format."""
    document = json.loads(run_cli("json-schema").out)
    defs = document["$defs"]
    assert set(document["properties"]) == set(parse.SCHEMA_KEYS)
    assert set(defs["column"]["properties"]) == set(parse.COLUMN_KEYS)
    assert set(defs["extractor"]["properties"]) == set(parse.EXTRACTOR_KEYS)
    assert set(defs["deriveField"]["properties"]) == set(parse.DERIVE_KEYS)
    assert set(defs["deriveField"]["properties"]["arrays"]["items"]["properties"]) == set(
        parse.DERIVE_ARRAY_KEYS
    )
    wire = json.loads(run_cli("json-schema", "--wire").out)
    assert set(wire["properties"]) == set(parse.WIRE_SCHEMA_KEYS)
    assert set(wire["$defs"]["column"]["properties"]) == set(parse.WIRE_COLUMN_KEYS)
    assert set(wire["$defs"]["extractor"]["properties"]) == set(parse.WIRE_EXTRACTOR_KEYS)


def test_no_arguments_prints_usage() -> None:
    result = schemac()
    assert result.returncode == 2
    assert "usage: schemac" in result.stderr


def test_version() -> None:
    result = schemac("--version")
    assert result.returncode == 0 and result.stdout.startswith("schemac ")


def test_docs_rule_table_matches_schemac_rules() -> None:
    from schemac.render.rules import rules_markdown

    page = (DOCS / "diagnostics.md").read_text()
    assert rules_markdown() in page, (
        "docs/diagnostics.md's rule table is stale: schemac rules --format markdown"
    )


def test_docs_format_example_is_a_clean_schema(tmp_path: Path) -> None:
    section = (DOCS / "format.md").read_text()
    block = section[section.index("```yaml\n") + 8 :]
    (tmp_path / "my_trades.yaml").write_text(block[: block.index("```")])
    (tmp_path / "schemac.toml").write_text("")
    result = run_cli("validate", str(tmp_path / "my_trades.yaml"))
    assert result.code == 0 and result.out.startswith("All clean"), result.out


def test_readme_quick_start_mistake_prints_what_the_readme_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    readme = (REPO / "README.md").read_text()
    block = readme[readme.index("Then try a mistake:") :]
    block = block[block.index("```\n") + 4 :]
    block = block[: block.index("```")]
    printf, command, *expected = block.splitlines()
    text = printf.split("'")[1].encode().decode("unicode_escape")
    (tmp_path / "t.yaml").write_text(text)
    (tmp_path / "schemac.toml").write_text("")
    monkeypatch.setenv("NO_COLOR", "1")
    assert command == "$ schemac validate t.yaml"
    result = run_cli("validate", "t.yaml", cwd=tmp_path)
    assert result.out.splitlines() == expected


def test_decimal_max_scale_is_capped(project: Path) -> None:
    (project / "schemac.toml").write_text("decimal_max_scale = 100\n")
    result = run_cli("validate")
    assert result.code == 2 and "at most 38" in result.err


def test_pyproject_whose_tool_is_not_a_table(project: Path) -> None:
    (project / "pyproject.toml").write_text("tool = 1\n")
    result = run_cli("validate", "--config", "pyproject.toml")
    assert result.code == 2 and "SC901" in result.err and "Traceback" not in result.err


def test_the_same_folder_twice_is_read_once() -> None:
    result = run_cli("validate", str(REPO / "schemas"), "schemas", cwd=REPO)
    assert result.code == 0, result.out
    assert "5 files" in result.out


def test_an_empty_folder_is_clean_but_says_so(project: Path) -> None:
    (project / "schemas").mkdir()
    result = run_cli("validate")
    assert result.code == 0
    assert "no schema files found in" in result.err


def test_transform_cache_location(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text(
        "name: s\ncategory: trade\nexchanges: [binance]\ncolumns:\n"
        "  p:\n    from:\n      binance: {path: data.p, type: f64, transform: 'abs({v})'}\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "SCHEMAC_CACHE_DIR"}
    env["XDG_CACHE_HOME"] = str(tmp_path / "xdg")
    command = [sys.executable, "-m", "schemac", "validate", str(tmp_path / "s.yaml")]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "xdg" / "schemac" / "transforms.json").is_file()
    env["SCHEMAC_NO_CACHE"] = "1"
    env["XDG_CACHE_HOME"] = str(tmp_path / "other")
    subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, check=True)
    assert not (tmp_path / "other").exists()


def test_every_config_option_is_the_same_option() -> None:
    import argparse

    from schemac.cli import build_parser

    def subparser(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser:
        (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        found: argparse.ArgumentParser = sub.choices[name]
        return found

    helps = set()
    for command in ("validate", "compile", "status", "plan", "publish", "pull", "import", "diff"):
        parser = subparser(build_parser([command]), command)
        (option,) = [a for a in parser._actions if "--config" in a.option_strings]
        helps.add((option.metavar, option.help))
    catalog = subparser(build_parser(["catalog"]), "catalog")
    for action in ("list", "show", "learn"):
        (option,) = [a for a in subparser(catalog, action)._actions if a.dest == "config"]
        helps.add((option.metavar, option.help))
    assert len(helps) == 1


# -- consistency of the command line (issue 9) -----------------------------------------------

REMOTE_COMMANDS = ("status", "plan", "publish", "pull", "import", "diff", "delete")
# Every command that prints findings (file:line:col), and so takes -q/--quiet and --no-color.
FINDINGS_COMMANDS = (
    "validate",
    "compile",
    "inspect",
    "status",
    "plan",
    "publish",
    "import",
    "diff",
)


def _subparsers(parser: object) -> dict[str, object]:
    import argparse

    assert isinstance(parser, argparse.ArgumentParser)
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(sub.choices)


def _every_parser() -> list[tuple[str, object]]:
    """(command path, parser) for every command and subcommand, arguments configured."""
    from schemac.cli import build_parser, command_names

    found: list[tuple[str, object]] = []
    for name in command_names():
        parser = _subparsers(build_parser([name]))[name]
        found.append((name, parser))
        with contextlib.suppress(ValueError):  # a command without subcommands
            found += [(f"{name} {s}", p) for s, p in _subparsers(parser).items()]
    return found


def test_every_format_option_is_documented() -> None:
    checked = 0
    for name, parser in _every_parser():
        for action in parser._actions:  # type: ignore[attr-defined]
            if "--format" in action.option_strings:
                checked += 1
                assert action.help, f"`schemac {name} --format` has no help"
                assert "default" in action.help, name
    assert checked >= 9


def test_every_remote_command_help_names_the_environment_and_exit_codes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from schemac.cli import main

    for command in REMOTE_COMMANDS:
        with pytest.raises(SystemExit) as exited:
            main([command, "--help"])
        assert exited.value.code == 0
        out = capsys.readouterr().out
        assert "TICKSUPPLY_API_KEY" in out and "TICKSUPPLY_BASE_URL" in out, command
        codes = out.split("exit codes:\n", 1)[1].splitlines()
        assert [line.split()[0] for line in codes if line.strip()][:3] == ["0", "1", "2"], command


def test_quiet_and_no_color_on_every_command_that_prints_findings() -> None:
    options = set()
    for name, parser in _every_parser():
        if name not in FINDINGS_COMMANDS:
            continue
        found = {a.dest: (tuple(a.option_strings), a.help) for a in parser._actions}  # type: ignore[attr-defined]
        assert found["quiet"][0] == ("--quiet", "-q") and "no_color" in found, name
        options.add(found["no_color"])
    assert len(options) == 1  # the same option everywhere


def test_quiet_drops_the_summary_and_no_color_the_colour(tmp_path: Path) -> None:
    bad = tmp_path / "t.yaml"
    bad.write_text("name: t\ncategory: trades\nexchanges: [binance]\ncolumns: {}\n")
    for command in ("compile", "inspect", "validate"):
        loud = run_cli(command, str(bad), "--no-color")
        quiet = run_cli(command, str(bad), "-q", "--no-color")
        text = loud.out + loud.err
        assert "error[SC104]" in text and "Found 2 errors" in text and "\x1b[" not in text, command
        assert "error[SC104]" in quiet.out + quiet.err, command
        assert "Found" not in quiet.out + quiet.err, command


def _readme_commands() -> list[str]:
    readme = (REPO / "README.md").read_text("utf-8")
    table = readme.split("## Commands", 1)[1].split("\n\n", 2)[1]
    names = []
    for row in table.splitlines()[2:]:
        cell = row.split("|")[1].strip().strip("`")
        if cell.startswith("schemac "):
            names.append(cell.split()[1])
    return names


def test_top_level_help_lists_the_commands_in_the_order_of_the_readme() -> None:
    from schemac.cli import COMMAND_ORDER, command_names

    assert _readme_commands() == command_names()
    assert set(command_names()) <= set(COMMAND_ORDER)  # a new command gets its place there
    listing = schemac("--help").stdout.split("COMMAND", 2)[2]
    shown = [line.split()[0] for line in listing.splitlines() if line.startswith("    ")]
    assert [name for name in shown if name in command_names()] == command_names()


def test_the_readme_command_table_shows_format_wherever_a_command_has_it() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    rows = {
        row.split("|")[1].strip().strip("`").split()[1]: row
        for row in readme.split("## Commands", 1)[1].split("\n\n", 2)[1].splitlines()[2:]
        if row.startswith("| `schemac ")
    }
    for name, parser in _every_parser():
        if " " in name:  # a subcommand (catalog list): its page documents it
            continue
        if any("--format" in a.option_strings for a in parser._actions):  # type: ignore[attr-defined]
            assert "--format" in rows[name], name

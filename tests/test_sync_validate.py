"""`schemac validate` over a project with sync specs (syncs/*.yaml), end to end."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml
from helpers import REPO, run_cli

from schemac.rules.examples import TRADES
from schemac.rules.sync import SYNC_EXAMPLE

BAD = """\
schema: my_trades
datastreams:
  - binance:BTCUSDT:trade
start: 3D-ago
window: 45m
destination: data/bad
"""


def _project(tmp_path: Path, config: str = "", **specs: str) -> Path:
    (tmp_path / "schemac.toml").write_text(config)
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "my_trades.yaml").write_text(TRADES)
    (tmp_path / "syncs").mkdir()
    for name, text in specs.items():
        (tmp_path / "syncs" / f"{name}.yaml").write_text(text)
    return tmp_path


def _schemac(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {
        "NO_COLOR": "1",
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(REPO),
        "SCHEMAC_CACHE_DIR": os.environ["SCHEMAC_CACHE_DIR"],
    }
    return subprocess.run(
        [sys.executable, "-m", "schemac", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_validate_reports_bad_specs_at_file_line_col(tmp_path: Path) -> None:
    root = _project(tmp_path, good=SYNC_EXAMPLE, bad=BAD)
    result = _schemac("validate", cwd=root)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "syncs/bad.yaml:4:8: error[SC424] `start`: '3D-ago' must be written in lowercase" in (
        result.stdout
    )
    assert "syncs/bad.yaml:5:9: error[SC426]" in result.stdout
    assert "syncs/good.yaml" not in result.stdout
    assert result.stdout.rstrip().endswith("Found 2 errors, 0 warnings in 3 files.")


def test_validate_of_a_clean_project_with_specs_exits_0(tmp_path: Path) -> None:
    root = _project(tmp_path, good=SYNC_EXAMPLE)
    result = run_cli("validate", cwd=root)
    assert (result.code, result.out.splitlines()[0]) == (0, "All clean: 2 files checked.")


def test_json_output_and_config_severities_cover_specs(tmp_path: Path) -> None:
    bad_schema = SYNC_EXAMPLE.replace("schema: my_trades", "schema: my_trade")
    root = _project(tmp_path, s=bad_schema)
    result = run_cli("validate", "--format", "json", cwd=root)
    found = json.loads(result.out)
    assert result.code == 1
    text = json.dumps(found)
    assert '"SC434"' in text and "syncs/s.yaml" in text
    (root / "schemac.toml").write_text('severity = { sync-unknown-schema = "warning" }\n')
    assert run_cli("validate", cwd=root).code == 0
    (root / "schemac.toml").write_text('ignore = ["SC434"]\n')
    result = run_cli("validate", cwd=root)
    assert (result.code, "SC434" in result.out) == (0, False)


def test_a_suppression_comment_in_a_spec(tmp_path: Path) -> None:
    spec = SYNC_EXAMPLE.replace("BTCUSDT:trade", "BTCUSDT:depth  # schemac: ignore[SC432]")
    root = _project(tmp_path, s=spec.replace("schema: my_trades", "schema: my_trade"))
    result = run_cli("validate", cwd=root)
    assert "SC432" not in result.out and "SC434" in result.out


def test_validating_only_the_specs_knows_the_projects_schemas(tmp_path: Path) -> None:
    root = _project(tmp_path, s=SYNC_EXAMPLE)
    result = run_cli("validate", "syncs/", cwd=root)
    assert (result.code, result.out.splitlines()[0]) == (0, "All clean: 1 file checked.")
    result = run_cli("validate", ".", cwd=root)
    assert (result.code, result.out.splitlines()[0]) == (0, "All clean: 2 files checked.")
    result = run_cli("validate", "schemas/", cwd=root)  # given paths: only what is under them
    assert (result.code, result.out.splitlines()[0]) == (0, "All clean: 1 file checked.")
    (root / "syncs" / "s.yaml").write_text(SYNC_EXAMPLE.replace("my_trades", "nope"))
    result = run_cli("validate", "syncs/s.yaml", cwd=root)
    assert result.code == 1 and "`nope` is no schema of this project" in result.out


def test_specs_are_never_read_as_schemas(tmp_path: Path) -> None:
    """With `paths = ["."]` the folder search meets syncs/: its files are specs, not schemas."""
    root = _project(tmp_path, 'paths = ["."]\n', s=SYNC_EXAMPLE)
    result = run_cli("validate", cwd=root)
    assert (result.code, result.out.splitlines()[0]) == (0, "All clean: 2 files checked.")
    for command in (("fmt", "--check"), ("compile", "syncs/s.yaml")):
        result = run_cli(*command, cwd=root)
        assert "SC1" not in result.out + result.err, command


def test_the_pre_commit_hook_runs_when_a_spec_changes() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    assert re.search(hooks["schemac-validate"]["files"], "syncs/btc_trades.yaml")


HEAVY = ["sqlglot", "pydantic", "jsonschema", "sqlite3", "hypothesis", "difflib", "httpx"]


def test_validate_with_specs_imports_nothing_heavy(tmp_path: Path) -> None:
    root = _project(tmp_path, s=SYNC_EXAMPLE)
    code = (
        "import sys\nfrom schemac.cli import main\nrc = main(['validate'])\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules), rc)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=root, env=env, timeout=60
    )
    assert result.stdout.strip().splitlines()[-1] == "[] 0", result.stdout + result.stderr


def test_the_docs_example_spec_is_clean(tmp_path: Path) -> None:
    page = (REPO / "docs" / "sync.md").read_text("utf-8")
    # The reference example of the "Sync specs" section (it names the project's my_trades).
    block = page[page.index("```yaml\nschema: my_trades") + 8 :]
    root = _project(tmp_path, btc_trades=block[: block.index("```")])
    result = run_cli("validate", cwd=root)
    assert (result.code, result.out.splitlines()[0]) == (0, "All clean: 2 files checked.")


def test_the_docs_show_the_time_error_as_it_is() -> None:
    from schemac.core.times import TimeFormatError, parse_instant

    page = " ".join((REPO / "docs" / "sync.md").read_text("utf-8").split())
    try:
        parse_instant("1.5h-ago", now_ns=0)
    except TimeFormatError as error:
        assert f"`{error}`" in page
    else:
        raise AssertionError("1.5h-ago was accepted")

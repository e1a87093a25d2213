"""The `schemac-fmt` pre-commit hook: its definition, and a run through real pre-commit."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from helpers import REPO

UNFORMATTED = (
    "category: trade\nname: a\nexchanges:\n  - binance\ncolumns:\n"
    "  ts: {meta: collection_timestamp_ns}  # when received\n"
)
FORMATTED = (
    "name: a\ncategory: trade\nexchanges: [binance]\ncolumns:\n"
    "  ts:  # when received\n    meta: collection_timestamp_ns\n"
)


def _hook() -> dict[str, object]:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    (hook,) = [h for h in hooks if h["id"] == "schemac-fmt"]
    return dict(hook)


def test_hook_formats_the_configured_schemas_only() -> None:
    hook = _hook()
    assert hook["entry"] == "schemac fmt"
    # staged YAML files that are not schemas (CI workflows) must not be laid out as schemas
    assert hook["pass_filenames"] is False
    assert hook["files"] == r"\.ya?ml$"


def _git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.mark.network
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_hook_runs_through_pre_commit(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "schemas").mkdir(parents=True)
    (repo / ".github").mkdir()
    workflow = "on:   push\njobs: {a: {runs-on: x}}\n"  # YAML, not a schema: left alone
    (repo / ".github" / "ci.yml").write_text(workflow)
    _git("init", "-q", cwd=repo)
    _git("config", "user.email", "t@example.com", cwd=repo)
    _git("config", "user.name", "t", cwd=repo)
    (repo / "schemas" / "a.yaml").write_text(UNFORMATTED)
    _git("add", ".", cwd=repo)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "NO_COLOR": "1"}
    pre_commit = [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "schemac-fmt"]

    first = subprocess.run(
        [*pre_commit, "--all-files"], cwd=repo, env=env, capture_output=True, text=True, timeout=600
    )
    assert first.returncode == 1, first.stdout + first.stderr  # files were modified
    assert (repo / "schemas" / "a.yaml").read_text() == FORMATTED
    assert (repo / ".github" / "ci.yml").read_text() == workflow

    second = subprocess.run(
        [*pre_commit, "--all-files"], cwd=repo, env=env, capture_output=True, text=True, timeout=600
    )
    assert second.returncode == 0, second.stdout + second.stderr

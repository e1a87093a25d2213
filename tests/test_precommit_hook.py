"""The pre-commit hook, run through real pre-commit in a temporary git repository.

pre-commit installs the hook's environment from PyPI, so the test that runs it needs the package
registry: it alone is marked `network` (deselect with `-m "not network"`); CI runs it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from helpers import REPO

SCHEMA = (
    "name: {name}\ncategory: trade\nexchanges: [binance]\ncolumns:\n"
    "  ts: {{meta: collection_timestamp_ns}}\n"
)


def _git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def test_hook_definition_keeps_cross_file_checks() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    for name in ("schemac-validate", "schemac-test"):
        assert hooks[name]["pass_filenames"] is False  # the whole project: cross-file rules run
        assert hooks[name]["require_serial"] is True


@pytest.mark.network
@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_hook_runs_through_pre_commit(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "schemas").mkdir(parents=True)
    _git("init", "-q", cwd=repo)
    _git("config", "user.email", "t@example.com", cwd=repo)
    _git("config", "user.name", "t", cwd=repo)
    (repo / "schemas" / "a.yaml").write_text(SCHEMA.format(name="a"))
    (repo / "schemas" / "b.yaml").write_text(SCHEMA.format(name="b"))
    _git("add", ".", cwd=repo)
    _git("commit", "-qm", "init", cwd=repo)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "NO_COLOR": "1"}
    pre_commit = [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "schemac-validate"]

    clean = subprocess.run(
        [*pre_commit, "--all-files"], cwd=repo, env=env, capture_output=True, text=True, timeout=600
    )
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "schemac validate" in clean.stdout and "Passed" in clean.stdout

    # Change only b.yaml so that it clashes with a.yaml: the hook is handed one file, but the
    # duplicate schema is found because the whole project is validated.
    (repo / "schemas" / "b.yaml").write_text(SCHEMA.format(name="a").replace("a\n", "a\n", 1))
    _git("add", "schemas/b.yaml", cwd=repo)
    dirty = subprocess.run(
        pre_commit, cwd=repo, env=env, capture_output=True, text=True, timeout=600
    )
    assert dirty.returncode == 1, dirty.stdout + dirty.stderr
    assert "SC401" in dirty.stdout


def _docs_yaml_blocks() -> list[str]:
    text = (REPO / "docs" / "pre-commit.md").read_text("utf-8")
    return [block.split("```", 1)[0] for block in text.split("```yaml\n")[1:]]


def test_documented_rev_is_the_release_tag_of_this_version() -> None:
    from schemac import __version__

    (released,) = [b for b in _docs_yaml_blocks() if "rev:" in b]
    (repo,) = yaml.safe_load(released)["repos"]
    assert repo["rev"] == f"v{__version__}"
    assert [hook["id"] for hook in repo["hooks"]] == ["schemac-validate"]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_documented_local_hook_works_offline_after_pre_commit_install(tmp_path: Path) -> None:
    (local,) = [b for b in _docs_yaml_blocks() if "repo: local" in b]
    (hook,) = yaml.safe_load(local)["repos"][0]["hooks"]
    assert hook["pass_filenames"] is False and hook["language"] == "system"
    repo = tmp_path / "repo"
    (repo / "schemas").mkdir(parents=True)
    _git("init", "-q", cwd=repo)
    _git("config", "user.email", "t@example.com", cwd=repo)
    _git("config", "user.name", "t", cwd=repo)
    (repo / ".pre-commit-config.yaml").write_text(local)
    (repo / "schemas" / "a.yaml").write_text(SCHEMA.format(name="a"))
    bin_dir = os.path.dirname(sys.executable)  # where `schemac` is installed
    env = {
        **os.environ,
        "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "NO_COLOR": "1",
    }

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(args, cwd=repo, env=env, capture_output=True, text=True, timeout=300)

    installed = run(sys.executable, "-m", "pre_commit", "install")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    run("git", "add", ".")
    clean = run("git", "commit", "-qm", "a")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "schemac validate" in clean.stdout + clean.stderr
    (repo / "schemas" / "b.yaml").write_text(SCHEMA.format(name="a"))  # a duplicate of a
    run("git", "add", "schemas/b.yaml")
    stopped = run("git", "commit", "-qm", "b")
    assert stopped.returncode == 1
    assert "SC401" in stopped.stdout + stopped.stderr
    every = run(sys.executable, "-m", "pre_commit", "run", "--all-files")
    assert every.returncode == 1 and "SC401" in every.stdout

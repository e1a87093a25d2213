"""The README's sandbox walkthrough, run as written (in bash, on another free port) in a copy of
a fresh clone's files: a newcomer reaches published schemas on the sandbox with nothing else."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import DOCS, REPO


def _walkthrough(page: Path) -> str:
    """The shell block of ``page`` that starts the sandbox and publishes."""
    blocks = page.read_text("utf-8").split("```\n")[1::2]
    (block,) = [b for b in blocks if b.startswith("schemac sandbox --port 8765 &")]
    return block


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_docs_walkthrough_is_the_readme_one() -> None:
    assert _walkthrough(DOCS / "sandbox.md") == _walkthrough(REPO / "README.md")


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_readme_walkthrough_publishes_the_bundled_schemas(tmp_path: Path) -> None:
    shutil.copytree(REPO / "schemas", tmp_path / "schemas")
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    script = _walkthrough(REPO / "README.md").replace("8765", str(_free_port()))
    # Should a step fail, the sandbox must not outlive the test.
    script = "trap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n" + script
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("TICKSUPPLY_") and "PROXY" not in key.upper()
    }
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    env["NO_COLOR"] = "1"
    done = subprocess.run(
        ["bash", "-e", "-c", script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    created = [line for line in done.stdout.splitlines() if line.startswith("created ")]
    in_sync = [line for line in done.stdout.splitlines() if line.startswith("in sync ")]
    assert len(created) == 5 and len(in_sync) == 5, done.stdout
    assert "API: http://127.0.0.1:" in done.stderr and "(from TICKSUPPLY_BASE_URL)" in done.stderr

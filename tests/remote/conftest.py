"""A sandbox per test, a project folder, and a runner for the remote commands."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from schemac.cli import main
from schemac.sandbox import start_sandbox

API_KEY = "key_test.SeCrEt-4f9a0c11"
FAST = ["--retry-wait", "0.005"]


@dataclass
class Run:
    code: int
    out: str
    err: str


@dataclass
class Env:
    root: Path
    sandbox: Any
    capsys: pytest.CaptureFixture[str]
    log: list[str] = field(default_factory=list)

    def run(self, *args: str) -> Run:
        self.capsys.readouterr()
        extra = FAST if args and args[0] in ("status", "plan", "publish", "pull") else []
        code = main([*args, *extra])
        captured = self.capsys.readouterr()
        return Run(code, captured.out, captured.err)

    def write(self, name: str, text: str) -> Path:
        path = self.root / "schemas" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return path

    def client(self) -> Any:
        return self.sandbox.client(API_KEY)

    def writes(self) -> int:
        return sum(1 for line in self.log if '"POST ' in line or '"DELETE ' in line)

    def git(self, *args: str) -> None:
        subprocess.run(["git", *args], cwd=self.root, check=True, capture_output=True)


@pytest.fixture
def env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[Env]:
    log: list[str] = []
    monkeypatch.chdir(tmp_path)
    (tmp_path / "schemac.toml").write_text("")
    with start_sandbox([API_KEY], log=log.append) as sandbox:
        monkeypatch.setenv("TICKSUPPLY_API_KEY", API_KEY)
        monkeypatch.setenv("TICKSUPPLY_BASE_URL", sandbox.url)
        yield Env(tmp_path, sandbox, capsys, log)

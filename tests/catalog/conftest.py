from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest

from schemac.catalog import Catalog, load_catalog
from schemac.cli import main

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures"


def fixture_files() -> list[Path]:
    return sorted(FIXTURES.glob("*/*.jsonl"))


def read_fixture(path: Path) -> list[object]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@dataclass
class Result:
    code: int
    out: str
    err: str


def run_cli(*args: str) -> Result:
    """`schemac ARGS` in this process, in the current directory, with its output captured."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return Result(code, out.getvalue(), err.getvalue())

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import REPO

from schemac.catalog import Catalog, load_catalog

FIXTURES = REPO / "schemac" / "data" / "fixtures"


def fixture_files() -> list[Path]:
    return sorted(FIXTURES.glob("*/*.jsonl"))


def read_fixture(path: Path) -> list[object]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()

"""Tests of running schemas: they need the `run` extra (chDB, DuckDB, pyarrow); CI installs it."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import REPO

from schemac.config import Config
from schemac.core.ir import Schema
from schemac.project import load_project

SCHEMAS = REPO / "schemas"


def load_schema(path: Path | str) -> Schema:
    project = load_project([str(path)], Config(root=Path(path).parent))
    assert len(project.schemas) == 1, project.diagnostics
    return project.schemas[0]


@pytest.fixture(scope="session")
def clickhouse():  # type: ignore[no-untyped-def]
    from schemac.run.engines import ClickHouseEngine

    return ClickHouseEngine()


@pytest.fixture(scope="session")
def duckdb_engine():  # type: ignore[no-untyped-def]
    from schemac.run.engines import DuckDBEngine

    return DuckDBEngine()

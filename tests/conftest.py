"""Shared fixtures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True, scope="session")
def _private_transform_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Tests never read or write the user's schemac cache."""
    import os

    previous = os.environ.get("SCHEMAC_CACHE_DIR")
    os.environ["SCHEMAC_CACHE_DIR"] = str(tmp_path_factory.mktemp("schemac-cache"))
    yield
    if previous is None:
        del os.environ["SCHEMAC_CACHE_DIR"]
    else:
        os.environ["SCHEMAC_CACHE_DIR"] = previous


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty project folder as the working directory, with an empty configuration."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    (tmp_path / "schemac.toml").write_text("")
    yield tmp_path

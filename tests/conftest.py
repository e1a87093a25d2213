"""Shared fixtures: no test reaches the network; a sandbox API on loopback for remote tests."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

SANDBOX_API_KEY = "key_test.local"
SANDBOX_OTHER_API_KEY = "key_test.other"


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reaches the network: in-process connections go to loopback addresses or fail.

    (The pre-commit hook test installs the hook's environment in a subprocess, which is the one
    place the package registry is used; it is marked `network`.)
    """
    real_connect = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> Any:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            host = address[0]
            if host != "localhost" and not ipaddress.ip_address(host).is_loopback:
                raise ConnectionRefusedError(f"tests may not connect to {host}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)


@pytest.fixture
def sandbox() -> Iterator[Any]:
    """A fresh in-memory `schemac sandbox` on a free loopback port, with two accounts."""
    from schemac.sandbox import start_sandbox

    with start_sandbox([SANDBOX_API_KEY, SANDBOX_OTHER_API_KEY]) as running:
        yield running


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

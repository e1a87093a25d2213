"""Fixtures for tests that talk to a sandbox over real HTTP on 127.0.0.1.

``sandbox`` starts a fresh in-memory sandbox (two accounts) on a free port for each test and
stops it afterwards; ``client``/``other_client`` are official ``ticksupply`` clients for its two
accounts, with retries off so that every response is seen.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from typing import Any

import pytest

from schemac.sandbox import Sandbox, start_sandbox

API_KEY = "key_test.local"
OTHER_API_KEY = "key_test.other"


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """No sandbox test reaches the network: connections go to loopback addresses or fail."""
    real_connect = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> Any:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            host = address[0]
            if host != "localhost" and not ipaddress.ip_address(host).is_loopback:
                raise ConnectionRefusedError(f"tests may not connect to {host}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with start_sandbox([API_KEY, OTHER_API_KEY]) as running:
        yield running


@pytest.fixture
def client(sandbox: Sandbox) -> Iterator[Any]:
    with sandbox.client(API_KEY) as official_client:
        yield official_client


@pytest.fixture
def other_client(sandbox: Sandbox) -> Iterator[Any]:
    with sandbox.client(OTHER_API_KEY) as official_client:
        yield official_client


@pytest.fixture
def no_retry_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """The official client's own retry loop, without its 1-60 s exponential waits."""
    import tenacity
    import ticksupply._base

    monkeypatch.setattr(
        ticksupply._base, "wait_exponential_jitter", lambda **_: tenacity.wait_none()
    )

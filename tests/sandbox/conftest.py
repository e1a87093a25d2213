"""Fixtures for tests that talk to a sandbox over real HTTP on 127.0.0.1.

``sandbox`` starts a fresh in-memory sandbox (two accounts) on a free port for each test and
stops it afterwards; ``client``/``other_client`` are official ``ticksupply`` clients for its two
accounts, with retries off so that every response is seen.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from schemac.sandbox import Sandbox

# The `sandbox` fixture (and the loopback-only guard) live in tests/conftest.py, for every test.
API_KEY = "key_test.local"
OTHER_API_KEY = "key_test.other"


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

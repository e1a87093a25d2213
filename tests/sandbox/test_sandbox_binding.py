"""What the sandbox binds to: loopback unless asked, and never the well-known key on a network."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from schemac.sandbox import start_sandbox
from schemac.sandbox.config import DEFAULT_API_KEY, SandboxConfig, is_loopback

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("[::1]", True),
        ("::ffff:127.0.0.1", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("", False),
        ("::", False),
        ("10.1.2.3", False),
        ("::ffff:10.1.2.3", False),
    ],
)
def test_which_hosts_are_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def _sandbox_cli(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "schemac.sandbox", "--port", "0", "--quiet", *arguments],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        cwd=REPO,
        timeout=20,
    )


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "10.1.2.3"])
def test_a_non_loopback_host_is_refused_without_allow_remote(host: str) -> None:
    result = _sandbox_cli("--host", host, "--api-key", secrets.token_hex(16))
    assert result.returncode == 2 and result.stdout == ""
    assert "not a loopback address" in result.stderr and "--allow-remote" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "keys",
    [[], ["--api-key", DEFAULT_API_KEY], ["--api-key", "mine", "--api-key", DEFAULT_API_KEY]],
)
def test_allow_remote_refuses_the_default_key(keys: list[str]) -> None:
    result = _sandbox_cli("--host", "0.0.0.0", "--allow-remote", *keys)
    assert result.returncode == 2 and result.stdout == ""
    assert f"not the default {DEFAULT_API_KEY}" in result.stderr


def test_the_library_refuses_the_same() -> None:
    with pytest.raises(ValueError, match="not a loopback address"):
        start_sandbox(host="0.0.0.0")
    with pytest.raises(ValueError, match="must be your own"):
        start_sandbox(host="0.0.0.0", allow_remote=True)
    assert SandboxConfig(host="localhost").problems() == []


def test_allow_remote_with_an_own_key_serves_every_interface() -> None:
    key = "key_" + secrets.token_hex(16)
    with start_sandbox([key], host="0.0.0.0", allow_remote=True) as sandbox:
        assert sandbox.host == "0.0.0.0"
        response = httpx.get(
            f"http://127.0.0.1:{sandbox.port}/v1/exchanges", headers={"X-Api-Key": key}
        )
        assert response.status_code == 200

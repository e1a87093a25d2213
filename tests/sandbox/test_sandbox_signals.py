"""`schemac sandbox` stops on SIGINT and SIGTERM whatever disposition it inherited: a
background job of a non-interactive shell (CI) starts with SIGINT ignored."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[2]
KEY = "key_test.local"


def _ignoring(*signals: signal.Signals) -> Callable[[], None]:
    def preexec() -> None:  # runs in the child before exec: what a shell's `cmd &` does
        for signum in signals:
            signal.signal(signum, signal.SIG_IGN)

    return preexec


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.parametrize(
    "ignored",
    [(), (signal.SIGINT,), (signal.SIGINT, signal.SIGTERM)],
    ids=["none-ignored", "sigint-ignored", "both-ignored"],
)
def test_the_sandbox_stops_on_a_signal_it_inherited_as_ignored(
    stop_signal: signal.Signals, ignored: tuple[signal.Signals, ...]
) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "schemac.sandbox", "--port", "0", "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        cwd=REPO,
        preexec_fn=_ignoring(*ignored),
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert httpx.get(f"{url}/exchanges", headers={"X-Api-Key": KEY}).status_code == 200
        process.send_signal(stop_signal)
        _, stderr = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, stderr
    assert "stopped" in stderr and "Traceback" not in stderr


def test_a_second_signal_during_the_stop_changes_nothing() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "schemac.sandbox", "--port", "0", "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        cwd=REPO,
        preexec_fn=_ignoring(signal.SIGINT),
    )
    try:
        assert process.stdout is not None
        process.stdout.readline()
        process.send_signal(signal.SIGINT)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0 and "stopped" in stderr, stderr

"""`schemac sandbox` and exports: the command hands schemac's engine to the sandbox (a schema
export succeeds), its export options are checked, and a restarted process keeps its exports
(``--state``) but refuses the artifact URLs the previous process signed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from helpers import run_cli

REPO = Path(__file__).resolve().parents[2]
KEY = "key_test.local"


@contextmanager
def _sandbox(*options: str) -> Iterator[httpx.Client]:
    process = subprocess.Popen(
        [sys.executable, "-m", "schemac", "sandbox", "--port", "0", "--quiet", *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        cwd=REPO,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert url.endswith("/v1"), process.stderr.read() if process.stderr else url
        assert process.stderr is not None
        assert "exports rendered by chDB" in process.stderr.readline()
        with httpx.Client(base_url=url, headers={"X-Api-Key": KEY}, timeout=120) as http:
            yield http
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def test_the_command_renders_schemas_and_a_restart_keeps_exports_but_not_urls(
    tmp_path: Path,
) -> None:
    state = str(tmp_path / "sandbox.sqlite")
    now_ns = time.time_ns()
    with _sandbox("--state", state, "--export-delay", "0") as http:
        stream = http.get("/datastreams", params={"exchange": "binance"}).json()["items"][0]
        assert stream["stream_type"] == "trade"
        http.post("/subscriptions", json={"datastream_id": stream["datastream_id"]})
        window = {"start_time": now_ns - 3600 * 10**9, "end_time": now_ns}
        body = {"datastream_id": stream["datastream_id"], **window, "schema": "normalized"}
        job = http.post("/exports", json={**body, "format": "parquet"}).json()
        assert job["status"] == "succeeded", job  # the engine was handed in
        old_url = http.get(f"/exports/{job['id']}/download").json()["artifacts"][0]["url"]
        assert httpx.get(old_url).status_code == 200
    with _sandbox("--state", state) as http:
        assert http.get(f"/exports/{job['id']}").json()["status"] == "succeeded"
        port = http.base_url.port
        moved = old_url.replace(f":{httpx.URL(old_url).port}/", f":{port}/")
        assert httpx.get(moved).status_code == 403  # signed by the previous process
        fresh = http.get(f"/exports/{job['id']}/download").json()["artifacts"][0]["url"]
        assert httpx.get(fresh).status_code == 200


@pytest.mark.parametrize("option", [["--export-delay", "-1"], ["--export-fail-rate", "1.5"]])
def test_bad_export_options_are_usage_errors(option: list[str]) -> None:
    result = run_cli("sandbox", *option)
    assert result.code == 2 and "export" in result.err and "Traceback" not in result.err


def test_without_chdb_the_command_serves_raw_csv_only_and_says_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import importlib.util

    from schemac.cli import sandbox as command
    from schemac.sandbox.config import DEFAULTS

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "chdb" else real(name, *a)
    )
    assert command._renderer() is None
    assert "raw CSV only (pip install 'schemac[run]'" in command._exports_text(DEFAULTS)

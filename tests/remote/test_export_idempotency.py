"""A lost answer never makes a second export: the export's Idempotency-Key is derived from the
request, so a retry, or a re-run after the answer was lost, gets the export already made. Held
against the sandbox: a run killed after the export was committed and before it was answered,
and runs under the sandbox's fault injection, counted by the exports the account holds."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from remote.conftest import API_KEY
from remote.helpers_export import TRADES, export_env, past_hours
from schemac.core.times import format_instant
from schemac.remote.client import Remote, RetryPolicy
from schemac.sandbox.pauses import Arrival, PausePoints, Point

REPO = Path(__file__).resolve().parents[2]

REF = "binance:BTCUSDT:trade"


def _window() -> list[str]:
    start, end = past_hours(1)
    return ["--from", format_instant(start), "--to", format_instant(end)]


def _is_export(arrival: Arrival) -> bool:
    return arrival.method == "POST" and arrival.path == "/v1/exports"


def test_a_run_killed_before_the_answer_and_run_again_makes_one_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pauses = PausePoints(_is_export, points=(Point.AFTER_COMMIT,), hold_timeout=20)
    with export_env(tmp_path, monkeypatch, capsys, pause_points=pauses) as env, pauses:
        env.write()
        assert env.run("publish", "trades", "--yes").code == 0
        env.subscribe("binance", "BTCUSDT", "trade")
        args = ["export", "trades", "--datastream", REF, *_window(), "--out", "data"]
        child = subprocess.Popen(
            [sys.executable, "-m", "schemac", *args],
            cwd=tmp_path,
            env={**os.environ, "PYTHONPATH": str(REPO)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        held = pauses.next_held(timeout=30)
        assert held is not None and held.arrival.path == "/v1/exports"
        (made,) = env.exports()  # committed; its answer not sent
        child.send_signal(signal.SIGKILL)  # the answer is lost with the process
        child.communicate(timeout=30)
        pauses.release_all()
        again = env.run(*args)
        assert again.code == 0, again.err
        assert [job.id for job in env.exports()] == [made.id]
        assert f"export {made.id}: succeeded" in again.err
        assert again.out.startswith("wrote data/binance_BTCUSDT_trade_part_")


def test_ctrl_c_while_waiting_says_the_export_goes_on_and_a_rerun_picks_it_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with export_env(tmp_path, monkeypatch, capsys, export_delay=8) as env:  # SIGINT comes first
        env.write()
        assert env.run("publish", "trades", "--yes").code == 0
        env.subscribe("binance", "BTCUSDT", "trade")
        args = ["export", "trades", "--datastream", REF, *_window(), "--out", "data"]
        child = subprocess.Popen(
            [sys.executable, "-m", "schemac", *args],
            cwd=tmp_path,
            env={**os.environ, "PYTHONPATH": str(REPO)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        while not env.exports():  # the export is made: the command is waiting for it
            assert child.poll() is None
            time.sleep(0.05)
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=30)
        (job,) = env.exports()
        assert child.returncode == 130, err
        assert f"export {job.id} continues on the server; the same command picks it up again" in err
        assert "Traceback" not in err and out == ""
        again = env.run(*args)
        assert again.code == 0 and again.out.startswith("wrote data/")
        assert [j.id for j in env.exports()] == [job.id]


SEEDS = range(8)


def test_under_faults_runs_until_success_make_one_export_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """30 % of the API's answers fault: half before the work (503), half after it, the work
    committed and the answer lost (a closed connection or a 500). Each export is re-run until
    it succeeds, with few retries so that runs fail too; each leaves exactly one export."""
    from schemac.run.exportrender import ClickHouseExportRenderer

    renderer = ClickHouseExportRenderer()  # one chDB session for every sandbox
    lost = 0
    for seed in SEEDS:
        folder = tmp_path / f"seed{seed}"
        folder.mkdir()
        state = folder / "sandbox.sqlite"
        with export_env(folder, monkeypatch, capsys, exports=False, state=state) as env:
            env.write(TRADES)  # published and subscribed before any fault
            assert env.run("publish", "trades", "--yes").code == 0
            env.subscribe("binance", "BTCUSDT", "trade")
        # export_delay 0: each export is done when made, so no poll's timing moves the
        # sequence of requests, and the faults each seed draws are the same on every run
        faults = {"fault_rate": 0.3, "fault_seed": seed, "export_delay": 0}
        with export_env(
            folder, monkeypatch, capsys, state=state, renderer=renderer, **faults
        ) as env:
            args = ["export", "trades", "--datastream", REF, *_window(), "--out", "data", "-v"]
            codes = []
            for _ in range(20):  # an operator (or CI) re-runs until it succeeds
                run = env.run(*args, "--retries", "2")
                codes.append(run.code)
                lost += sum(
                    1
                    for line in run.err.splitlines()
                    if line.startswith(("POST /exports: no response", "POST /exports: HTTP 500"))
                )
                if run.code == 0:
                    break
            assert codes[-1] == 0, (seed, codes)
            assert len(_exports(env.sandbox.url)) == 1, seed
        assert any(name.endswith(".csv.gz") for name in os.listdir(folder / "data"))
    assert lost > 0  # answers to POST /exports were lost after the export was made


def _exports(url: str) -> list[object]:
    """The account's exports, read through the faults with patient retries."""
    from schemac.remote.transport import official_client

    patient = RetryPolicy(attempts=30, initial=0.001, cap=0.01)
    with Remote(API_KEY, url, retry=patient) as remote:
        exports = official_client(remote).exports
        return remote.call("/exports", "GET", lambda: list(exports.list_all()))

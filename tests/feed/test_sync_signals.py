"""`schemac sync` stopped by a signal: the windows in flight finish, nothing is left half done.

`--follow` ends with exit 0 on SIGTERM or SIGINT (that is how it ends); a one-shot run stopped
by Ctrl-C exits 130 with every window it started committed.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import run_cli

from feed.feedenv import API_KEY, DAY_START, FeedEnv, feed_sandbox, project, subprocess_environment
from schemac.feed.state import FeedState, state_path

BTC = "binance:BTCUSDT:trade"
ETH = "binance:ETHUSDT:trade"


@pytest.fixture
def feed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FeedEnv]:
    with feed_sandbox() as (sandbox, log):
        monkeypatch.setenv("TICKSUPPLY_API_KEY", API_KEY)
        monkeypatch.setenv("TICKSUPPLY_BASE_URL", sandbox.url)
        env = FeedEnv(project(tmp_path), sandbox, log)
        assert run_cli("publish", "--all", "--yes", cwd=env.root).code == 0
        env.subscribe(BTC, ETH)
        yield env


def _start(root: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "schemac", "sync", *args],
        cwd=root,
        env=subprocess_environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(process: subprocess.Popen[str], text: str) -> list[str]:
    assert process.stdout is not None
    seen = []
    for line in process.stdout:
        seen.append(line)
        if text in line:
            return seen
    raise AssertionError(f"the run ended without printing {text!r}: {''.join(seen)}")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_follow_stops_cleanly_on_a_signal(feed: FeedEnv, sig: signal.Signals) -> None:
    spec = f"schema: trades\ndatastreams: [{BTC}]\nstart: {DAY_START}\ndestination: data\n"
    feed.spec("btc", spec)
    process = _start(feed.root, "--follow", "--poll", "0.2", "--max-poll", "0.4")
    _wait_for(process, "btc: 6 windows exported")
    _wait_for(process, "btc: nothing new")  # the second run found nothing: it is waiting
    feed.spec("btc", spec.replace(f"[{BTC}]", f"[{BTC}, {ETH}]"))  # read again by the next run
    _wait_for(process, f"btc: added {ETH}")
    _wait_for(process, "btc: 6 windows exported")
    process.send_signal(sig)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "stopped: every window in flight was finished" in err
    waits = [line.split()[3] for line in err.splitlines() if line.startswith("next run in")]
    assert waits[:2] == ["0.2s", "0.4s"]  # after a run that exported, then one with nothing new
    assert "Traceback" not in err


def test_ctrl_c_finishes_the_window_in_flight_and_exits_130(feed: FeedEnv) -> None:
    feed.spec(
        "btc",
        f"schema: trades\ndatastreams: [{BTC}]\nstart: 2025-12-31\nparallel: 1\n"
        "destination: data\n",
    )
    process = _start(feed.root)
    _wait_for(process, f"btc {BTC} ")  # the first window is on disk
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "finishing the windows in flight" in err and "Traceback" not in err
    with FeedState(state_path(feed.root / "data")) as state:
        (partition,) = state.partitions("btc")
        committed = state.windows("btc")
        assert state.pending("btc", partition.datastream_id) is None
    assert committed and partition.cursor_ns == committed[-1].end_ns
    files = [p for p in (feed.root / "data").rglob("*.csv.gz")]
    assert len(files) == len(committed)  # one hourly file a window, none half written
    assert not (feed.root / "data" / ".schemac-sync-staging").exists()


def test_a_second_ctrl_c_stops_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with feed_sandbox(export_delay=3.0) as (sandbox, log):  # a window in flight for 3 s
        monkeypatch.setenv("TICKSUPPLY_API_KEY", API_KEY)
        monkeypatch.setenv("TICKSUPPLY_BASE_URL", sandbox.url)
        feed = FeedEnv(project(tmp_path), sandbox, log)
        assert run_cli("publish", "--all", "--yes", cwd=feed.root).code == 0
        feed.subscribe(BTC)
        feed.spec(
            "btc",
            f"schema: trades\ndatastreams: [{BTC}]\nstart: {DAY_START}\n"
            "parallel: 1\ndestination: data\n",
        )
        process = _start(feed.root)
        _wait_for(process, f"btc {BTC} ")  # one window committed
        while sum(feed.requests("POST", "/v1/exports").values()) < 2:
            time.sleep(0.02)  # until the next one is in flight (for 3 s)
        process.send_signal(signal.SIGINT)
        time.sleep(0.2)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
        assert process.returncode == 130, err
        assert "stopping now" in err and "Traceback" not in err
        with FeedState(state_path(feed.root / "data")) as state:
            assert len(state.windows("btc")) == 1  # the window in flight was not waited for
        assert feed.run("sync").code == 0  # the next run finishes the job

"""`schemac sync` stopped by a signal: the windows in flight finish, nothing is left half done.

`--follow` ends with exit 0 on SIGTERM or SIGINT (that is how it ends); a one-shot run stopped
by Ctrl-C exits 130 with every window it started committed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import REPO, run_cli

from feed.feedenv import API_KEY, DAY_START, FeedEnv, feed_sandbox, project
from schemac.feed.state import FeedState, state_path

BTC = "binance:BTCUSDT:trade"


@pytest.fixture
def feed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FeedEnv]:
    with feed_sandbox() as (sandbox, log):
        monkeypatch.setenv("TICKSUPPLY_API_KEY", API_KEY)
        monkeypatch.setenv("TICKSUPPLY_BASE_URL", sandbox.url)
        env = FeedEnv(project(tmp_path), sandbox, log)
        assert run_cli("publish", "--all", "--yes", cwd=env.root).code == 0
        env.subscribe(BTC)
        yield env


def _start(root: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "schemac", "sync", *args],
        cwd=root,
        env=_environment(),
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
    feed.spec(
        "btc", f"schema: trades\ndatastreams: [{BTC}]\nstart: {DAY_START}\ndestination: data\n"
    )
    process = _start(feed.root, "--follow", "--poll", "0.2", "--max-poll", "0.4")
    _wait_for(process, "btc: 6 windows exported")
    _wait_for(process, "btc: nothing new")  # the second run found nothing: it is waiting
    process.send_signal(sig)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "stopped: every window in flight was finished" in err
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


def _environment() -> dict[str, str]:
    """The subprocess's environment: this worktree's code, and stdout buffered as it is by
    default (the lines must come out as they are printed all the same)."""
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    return {**environment, "PYTHONPATH": str(REPO)}

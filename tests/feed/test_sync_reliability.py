"""The feed's promise, tested the hard way: `schemac sync` for 3 datastreams against a sandbox
that fails 30% of its requests, SIGKILLed at random (seeded) moments over many runs and started
again, until a run completes. Then the files on disk hold exactly the rows `schemac preview`
makes of the sandbox's messages for the whole range: none missing, none twice, no temporary
file left, every cursor at the end.
"""

from __future__ import annotations

import random
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from helpers import run_cli

from feed.feedenv import (
    API_KEY,
    DAY_START,
    HOUR_NS,
    T_DAY_NS,
    FeedEnv,
    feed_sandbox,
    preview_rows,
    project,
    rows_on_disk,
    subprocess_environment,
)
from schemac.feed.state import FeedState, state_path

STREAMS = ("binance:BTCUSDT:trade", "binance:ETHUSDT:trade", "bybit_linear:BTCUSDT:trade")
WINDOWS = 6  # 00:00 to 06:00; the sandbox's clock stands at 06:30
KILLS = 10
# Long enough that a run is still going when a kill lands (not a run's pace: fast runs finish
# between two kills, and a run that is over cannot be killed mid-way).
EXPORT_DELAY = 0.3
SEED = 20261202
VENDOR_NAME = re.compile(r"[a-z_]+_[A-Z]+_trade_part_[0-9]{10}\.csv\.gz")
STATE_FILES = {
    ".schemac-sync.sqlite",
    ".schemac-sync.sqlite-wal",
    ".schemac-sync.sqlite-shm",
    ".schemac-sync.lock",
}


def _sync(root: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "schemac", "sync", "--retries", "12", "--retry-wait", "0.01"]
    return subprocess.Popen(
        command, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _kill_at_random(process: subprocess.Popen[str], rng: random.Random) -> bool:
    """SIGKILL ``process`` at a random moment after a random number (0 or 1) of the windows it
    commits: most runs move on a little, and the kills land anywhere in a window's life (the
    export, the download, the renames, the commit) or in the start-up. False when it ended
    first."""
    assert process.stdout is not None
    lines = rng.randint(0, 1)
    for _ in range(lines):
        if not process.stdout.readline():
            break
    # A window takes somewhat over EXPORT_DELAY (the export, its polls, the download, the
    # commit), three at a time; the start-up about a second.
    time.sleep(rng.uniform(0.0, 0.25) if lines else rng.uniform(0.5, 2.0))
    if process.poll() is not None:
        process.communicate()
        return False
    process.send_signal(signal.SIGKILL)
    process.communicate()
    return True


def test_killed_at_random_and_restarted_the_files_hold_every_row_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(SEED)
    with feed_sandbox(fault_rate=0.3, fault_seed=SEED, export_delay=EXPORT_DELAY) as (sandbox, log):
        monkeypatch.setenv("TICKSUPPLY_API_KEY", API_KEY)
        monkeypatch.setenv("TICKSUPPLY_BASE_URL", sandbox.url)
        feed = FeedEnv(project(tmp_path), sandbox, log)
        published = run_cli(
            "publish", "--all", "--yes", "--retries", "12", "--retry-wait", "0.01", cwd=feed.root
        )
        assert published.code == 0, published.err
        ids = feed.subscribe(*STREAMS)
        feed.spec(
            "three",
            f"schema: trades\ndatastreams: [{', '.join(STREAMS)}]\nstart: {DAY_START}\n"
            "window: 1h\nlag: 0s\nparallel: 3\ndestination: data\n",
        )
        env = subprocess_environment()
        killed = 0
        for _ in range(KILLS):
            killed += _kill_at_random(_sync(feed.root, env), rng)
        for _ in range(10):  # then runs to the end (a window may still fail 12 tries in a row)
            process = _sync(feed.root, env)
            _, err = process.communicate(timeout=120)
            if process.returncode == 0:
                break
        assert process.returncode == 0, err
        assert killed >= KILLS // 2, "most runs should have been killed mid-way"
        _check_files(feed, ids)


def _check_files(feed: FeedEnv, ids: list[int]) -> None:
    data = feed.root / "data"
    leftovers = [
        p.relative_to(data)
        for p in data.rglob("*")
        if p.is_file() and not (VENDOR_NAME.fullmatch(p.name) or p.name in STATE_FILES)
    ]
    assert leftovers == []  # no temporary file
    assert not (data / ".schemac-sync-staging").exists()
    with FeedState(state_path(data)) as state:
        cursors = {p.datastream_id: p.cursor_ns for p in state.partitions("three")}
        assert state.pending("three", ids[0]) is None
    assert cursors == {i: T_DAY_NS + WINDOWS * HOUR_NS for i in ids}
    for ref, datastream_id in zip(STREAMS, ids, strict=True):
        folder = data.joinpath(*ref.split(":"))
        assert len(list(folder.glob("*.csv.gz"))) == WINDOWS
        on_disk = rows_on_disk(folder)
        expected = preview_rows(feed, datastream_id, T_DAY_NS, T_DAY_NS + WINDOWS * HOUR_NS)
        assert expected, f"{ref}: no rows to compare"
        missing = expected - on_disk
        twice = on_disk - expected
        assert (missing, twice) == (Counter(), Counter()), ref

"""`schemac sync` of many datastreams x hourly windows against the sandbox, in one run:

- the feed with its partitions in parallel (``parallel: 8``) against the baseline of one
  partition at a time (``parallel: 1``), each on a fresh sandbox and a fresh destination;
- then, for the parallel variant, a second run with nothing new, which must make no export and
  download nothing (counted on the sandbox's side, from its request log).

    python benchmarks/sync_bench.py [--datastreams 100] [--hours 24]

The datastreams are ``binance:BENCHnnnUSDT:trade``, added to the sandbox's catalog by a
``--catalog`` file (messages synthesised from the Binance trade fixtures at one every 100 s),
exported with the bundled ``trades`` schema, rendered by chDB as `schemac preview` renders it.
Per variant it prints the wall time, the windows exported, the requests the sandbox answered
per window (by kind) and the 429s. The sandbox's rate limits are raised for the run (at the
documented 200 a minute, 2,400 windows of ~4 requests take the better part of an hour whatever
schemac does); its clock stands at ``hours`` + 30 minutes after the start of the day synced.
Both variants run in this one process (sandbox, renderer and sync), on whatever cores it gets.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from schemac.cli import main as schemac

KEY = "key_bench.local"
DAY_NS = 1_767_312_000_000_000_000  # 2026-01-02T00:00:00Z
_LOG = re.compile(r'"(?P<method>[A-Z]+) (?P<path>\S+) HTTP/[0-9.]+" (?P<status>\d+)')


def moving_clock(start: float) -> Any:
    began = time.monotonic()
    return lambda: start + (time.monotonic() - began)


def kind(method: str, path: str) -> str:
    """A request's kind: ``POST /exports``, ``GET /exports/{id}``, ``GET artifact``..."""
    path = path.split("?")[0].removeprefix("/v1")
    parts = [
        p if not re.match(r"^(exp|art|sub|sch)_", p) and not p.isdigit() else "{id}"
        for p in path.split("/")
    ]
    shown = "/".join(parts)
    if method == "GET" and not path.startswith(
        ("/exports", "/availability", "/datastreams", "/export-schemas", "/subscriptions")
    ):
        shown = "artifact"
    return f"{method} {shown}"


def bench_catalog(folder: Path, count: int) -> Path:
    """A catalog file adding ``count`` Binance trade datastreams (ids 900000 on)."""
    symbols = [f"BENCH{i:03d}USDT" for i in range(count)]
    document = {
        "exchanges": [
            {
                "code": "binance",
                "display_name": "Binance",
                "instruments": [{"symbol": s, "base": s[:-4], "quote": "USDT"} for s in symbols],
            }
        ],
        "datastreams": [
            {
                "datastream_id": 900_000 + i,
                "exchange": "binance",
                "instrument": symbol,
                "stream_type": "trade",
                "wire_format": "json",
            }
            for i, symbol in enumerate(symbols)
        ],
    }
    path = folder / "bench-catalog.json"
    path.write_text(json.dumps(document))
    return path


@contextlib.contextmanager
def sandbox(hours: int, renderer: Any, catalog: Path) -> Iterator[tuple[Any, list[str]]]:
    from schemac.sandbox import start_sandbox

    log: list[str] = []
    with start_sandbox(
        [KEY],
        catalog=[catalog],
        log=log.append,
        clock=moving_clock(DAY_NS / 1e9 + hours * 3600 + 1800),
        renderer=renderer,
        message_rate=0.01,
        export_delay=0.0,
        rate_limit_per_minute=1_000_000,
        rate_limit_per_hour=10_000_000,
    ) as running:
        yield running, log


def subscribe(running: Any, count: int) -> list[str]:
    """Subscribe to the ``count`` bench datastreams; their references."""
    client = running.client(KEY)
    for i in range(count):
        client.subscriptions.create(900_000 + i)
    return [f"binance:BENCH{i:03d}USDT:trade" for i in range(count)]


def run_sync(root: Path) -> tuple[int, float, str]:
    """`schemac sync` in ``root``: its exit code, wall time and stdout (stderr is dropped)."""
    out, err = io.StringIO(), io.StringIO()
    previous = os.getcwd()
    os.chdir(root)
    started = time.perf_counter()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = schemac(["sync"])
    finally:
        os.chdir(previous)
    return code, time.perf_counter() - started, out.getvalue()


def variant(
    args: argparse.Namespace, datastreams: int, parallel: int, renderer: Any
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        catalog = bench_catalog(root, datastreams)
        with sandbox(args.hours, renderer, catalog) as (running, log):
            return measure(datastreams, parallel, root, running, log)


def measure(
    datastreams: int, parallel: int, root: Path, running: Any, log: list[str]
) -> dict[str, Any]:
    from schemac.feed.state import FeedState, state_path

    (root / "schemac.toml").write_text("")
    (root / "schemas").mkdir()
    source = Path(__file__).resolve().parent.parent / "schemas" / "trades.yaml"
    (root / "schemas" / source.name).write_text(source.read_text())
    refs = subscribe(running, datastreams)
    (root / "syncs").mkdir()
    (root / "syncs" / "bench.yaml").write_text(
        f"schema: trades\ndatastreams: [{', '.join(refs)}]\n"
        f"start: 2026-01-02\nwindow: 1h\nlag: 0s\nparallel: {parallel}\ndestination: data\n"
    )
    os.environ.update(TICKSUPPLY_API_KEY=KEY, TICKSUPPLY_BASE_URL=running.url)
    previous = os.getcwd()
    os.chdir(root)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            assert schemac(["publish", "--all", "--yes"]) == 0
    finally:
        os.chdir(previous)
    log.clear()
    code, seconds, text = run_sync(root)
    first = counted(log)
    log.clear()
    again_code, again_seconds, _ = run_sync(root) if parallel > 1 else (0, 0.0, "")
    with FeedState(state_path(root / "data"), read_only=True) as state:
        windows = len(state.windows("bench"))
    return {
        "datastreams": datastreams,
        "parallel": parallel,
        "code": code,
        "seconds": seconds,
        "first": first,
        "windows": windows,
        "again_code": again_code,
        "again_seconds": again_seconds,
        "again": counted(log),
        "tail": text.strip().splitlines()[-1:] if text.strip() else [],
    }


def counted(log: list[str]) -> Counter[str]:
    found: Counter[str] = Counter()
    for line in log:
        match = _LOG.search(line)
        if match is not None:
            found[kind(match["method"], match["path"])] += 1
            if match["status"] == "429":
                found["429"] += 1
    return found


def report(result: dict[str, Any]) -> None:
    first: Counter[str] = result["first"]
    windows = max(1, result["windows"])
    total = sum(n for k, n in first.items() if k != "429")
    print(
        f"{result['datastreams']} datastreams, parallel {result['parallel']}: exit "
        f"{result['code']}, {result['windows']} windows exported in {result['seconds']:.1f} s "
        f"({result['windows'] / result['seconds']:.1f} windows/s), {total} requests "
        f"({total / windows:.2f} per window), {first['429']} 429s"
    )
    for name, count in sorted(first.items()):
        if name != "429":
            print(f"    {name:32} {count:6}  {count / windows:.2f} per window")
    print(f"    last line: {result['tail'][0] if result['tail'] else '-'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datastreams", type=int, default=100)
    parser.add_argument("--hours", type=int, default=24)
    parser.add_argument(
        "--baseline-datastreams",
        type=int,
        default=10,
        help="datastreams of the one-partition-at-a-time baseline (default 10: its rate is "
        "what is compared; all 100 take half an hour)",
    )
    args = parser.parse_args()
    from schemac.run.exportrender import ClickHouseExportRenderer

    renderer = ClickHouseExportRenderer()
    print(
        f"sync of {args.datastreams} datastreams x {args.hours} hourly windows, schema trades "
        "(rendered by chDB, as `schemac preview` renders it)"
    )
    baseline = variant(args, args.baseline_datastreams, 1, renderer)
    report(baseline)
    feed = variant(args, args.datastreams, 8, renderer)
    report(feed)
    rate = (feed["windows"] / feed["seconds"]) / (baseline["windows"] / baseline["seconds"])
    print(f"parallel 8 vs 1: {rate:.1f}x the windows per second")
    again: Counter[str] = feed["again"]
    exports = again["POST /exports"]
    downloads = again["artifact"] + sum(n for k, n in again.items() if k.endswith("/download"))
    print(
        f"second run, nothing new: exit {feed['again_code']}, {feed['again_seconds']:.2f} s, "
        f"{sum(n for k, n in again.items() if k != '429')} requests "
        f"({', '.join(f'{k} {n}' for k, n in sorted(again.items()))}); "
        f"exports made: {exports}, downloads: {downloads}"
    )
    if exports or downloads:
        sys.exit("a run with nothing new made an export or a download")
    if baseline["code"] or feed["code"] or feed["again_code"]:
        sys.exit("a run failed")


if __name__ == "__main__":
    main()

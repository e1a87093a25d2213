"""`schemac sync` of many datastreams x hourly windows against the sandbox, in one run:

- the feed with its partitions in parallel (``parallel: 8``) against the baseline of one
  partition at a time (``parallel: 1``), each on a fresh sandbox and a fresh destination;
- then, for the parallel variant, a second run with nothing new, which must make no export and
  download nothing (counted on the sandbox's side, from its request log).

    python benchmarks/sync_bench.py [--datastreams 100] [--hours 24] [--schema raw|trades]

Per variant it prints the wall time, the windows exported, the requests the sandbox answered
per window (by kind) and the 429s. The sandbox's rate limits are raised for the run (at the
documented 200 a minute, 2,400 windows of ~4 requests take the better part of an hour whatever
schemac does); its clock stands at ``hours`` + 30 minutes after the start of the day synced.
"""

from __future__ import annotations

import argparse
import contextlib
import io
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


@contextlib.contextmanager
def sandbox(hours: int, renderer: Any) -> Iterator[tuple[Any, list[str]]]:
    from schemac.sandbox import start_sandbox

    log: list[str] = []
    with start_sandbox(
        [KEY],
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
    """Subscribe to ``count`` trade datastreams of the catalog; their references."""
    client = running.client(KEY)
    refs: list[str] = []
    token = None
    while len(refs) < count:
        page = client.datastreams.list(stream_type="trade", limit=1000, page_token=token)
        for item in page.items:
            if len(refs) < count:
                client.subscriptions.create(item.datastream_id)
                refs.append(f"{item.exchange}:{item.instrument}:{item.stream_type}")
        token = page.next_page_token
        if token is None:
            break
    if len(refs) < count:
        sys.exit(f"the sandbox's catalog has only {len(refs)} trade datastreams")
    return refs


def run_sync(root: Path) -> tuple[int, float, str]:
    out, err = io.StringIO(), io.StringIO()
    previous = os.getcwd()
    os.chdir(root)
    started = time.perf_counter()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = schemac(["sync"])
    finally:
        os.chdir(previous)
    return code, time.perf_counter() - started, out.getvalue() + err.getvalue()


def variant(args: argparse.Namespace, parallel: int, renderer: Any) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder, sandbox(args.hours, renderer) as (running, log):
        root = Path(folder)
        (root / "schemac.toml").write_text("")
        (root / "schemas").mkdir()
        if args.schema != "raw":
            source = Path(__file__).resolve().parent.parent / "schemas" / f"{args.schema}.yaml"
            (root / "schemas" / source.name).write_text(source.read_text())
        refs = subscribe(running, args.datastreams)
        (root / "syncs").mkdir()
        (root / "syncs" / "bench.yaml").write_text(
            f"schema: {args.schema}\ndatastreams: [{', '.join(refs)}]\n"
            f"start: 2026-01-02\nwindow: 1h\nlag: 0s\nparallel: {parallel}\ndestination: data\n"
        )
        os.environ.update(TICKSUPPLY_API_KEY=KEY, TICKSUPPLY_BASE_URL=running.url)
        if args.schema != "raw":
            with contextlib.redirect_stdout(io.StringIO()):
                previous = os.getcwd()
                os.chdir(root)
                try:
                    assert schemac(["publish", "--all", "--yes"]) == 0
                finally:
                    os.chdir(previous)
        log.clear()
        code, seconds, text = run_sync(root)
        first = counted(log)
        log.clear()
        again_code, again_seconds, _ = run_sync(root) if parallel > 1 else (0, 0.0, "")
        return {
            "parallel": parallel,
            "code": code,
            "seconds": seconds,
            "first": first,
            "windows": text.count(" file"),
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


def report(result: dict[str, Any], windows: int) -> None:
    first: Counter[str] = result["first"]
    total = sum(n for k, n in first.items() if k != "429")
    print(
        f"parallel {result['parallel']}: exit {result['code']}, {result['seconds']:.1f} s, "
        f"{windows / result['seconds']:.1f} windows/s, {total} requests "
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
    parser.add_argument("--schema", default="raw", help="raw, or a bundled schema (trades)")
    args = parser.parse_args()
    renderer = None
    if args.schema != "raw":
        from schemac.run.exportrender import ClickHouseExportRenderer

        renderer = ClickHouseExportRenderer()
    windows = args.datastreams * args.hours
    print(
        f"sync of {args.datastreams} datastreams x {args.hours} hourly windows = {windows} "
        f"windows, schema {args.schema}"
    )
    baseline = variant(args, 1, renderer)
    report(baseline, windows)
    feed = variant(args, 8, renderer)
    report(feed, windows)
    print(f"parallel 8 vs 1: {baseline['seconds'] / feed['seconds']:.1f}x faster")
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


if __name__ == "__main__":
    main()

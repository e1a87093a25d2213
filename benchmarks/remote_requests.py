"""Requests per remote command for N schemas against the sandbox at its default rate limits
(200 a minute), with the content cache and without it (the baseline), in one run; and the
sandbox's list endpoint against a baseline that decodes every stored content, as it used to.

    python benchmarks/remote_requests.py [--schemas 100] [--list-sizes 108,12000]

Each variant gets a fresh sandbox (a full budget) and a fresh project folder, runs
``publish --all --yes``, ``plan``, ``status``, ``plan`` back to back through the CLI, and
prints per command: the exit code, the requests the sandbox answered, how many of them were
429s, and the wall time (real time: the baseline's waits for its turn in the budget are part
of what it costs).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from schemac.cli import main as schemac
from schemac.sandbox import Sandbox, start_sandbox

KEY = "key_bench.local"
COMMANDS = (["publish", "--all", "--yes"], ["plan"], ["status"], ["plan"])


def schema_text(i: int) -> str:
    return (
        f"name: bench_{i:03d}\ncategory: trade\nexchanges: [binance]\ncolumns:\n"
        "  ts:\n    meta: collection_timestamp_ns\n"
        "  price:\n    type: decimal(18)\n    from: data.p\n"
        "  qty:\n    type: decimal(8)\n    from: data.q\n"
    )


class Answers:
    """Statuses of the requests a sandbox answered, recorded before each answer is sent."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.statuses: list[int] = []
        lock = threading.Lock()
        handle = sandbox.app.handle

        def recorded(method: str, target: str, headers: Any, body: bytes) -> Any:
            response = handle(method, target, headers, body)
            with lock:
                self.statuses.append(response.status)
            return response

        sandbox.app.handle = recorded  # type: ignore[method-assign]


@contextlib.contextmanager
def project(count: int, cached: bool) -> Iterator[tuple[Sandbox, Answers]]:
    saved = dict(os.environ)
    previous = os.getcwd()
    with tempfile.TemporaryDirectory() as folder, start_sandbox([KEY]) as sandbox:
        root = Path(folder)
        (root / "schemac.toml").write_text("")
        (root / "schemas").mkdir()
        for i in range(count):
            (root / "schemas" / f"bench_{i:03d}.yaml").write_text(schema_text(i))
        os.chdir(root)
        os.environ.update(TICKSUPPLY_API_KEY=KEY, TICKSUPPLY_BASE_URL=sandbox.url)
        if not cached:
            os.environ["SCHEMAC_NO_CACHE"] = "1"
        try:
            yield sandbox, Answers(sandbox)
        finally:
            os.chdir(previous)
            os.environ.clear()
            os.environ.update(saved)


def run_commands(count: int, cached: bool) -> list[tuple[str, int, int, int, float]]:
    rows = []
    with project(count, cached) as (_, answers):
        for command in COMMANDS:
            before = len(answers.statuses)
            started = time.perf_counter()
            with (
                contextlib.redirect_stdout(io.StringIO()),
                contextlib.redirect_stderr(io.StringIO()),
            ):
                code = schemac(command)
            elapsed = time.perf_counter() - started
            statuses = answers.statuses[before:]
            rows.append((command[0], code, len(statuses), statuses.count(429), elapsed))
    return rows


def list_timings(size: int) -> tuple[float, float]:
    """Best of 5: the list endpoint as it is, and the baseline that decodes every row."""
    from schemac.sandbox.api import account_of
    from schemac.sandbox.builtins import builtin_schemas
    from schemac.sandbox.items import builtin_item, custom_item
    from schemac.sandbox.store import StoredSchema, _schema_from

    column = {"data": {"binance": {"json": {"path": "data.p", "type": "decimal(18)"}}}}
    content = {"columns": [{"output_column": f"c{i}", **column} for i in range(25)]}
    with start_sandbox([KEY], rate_limit_per_minute=10**9, rate_limit_per_hour=10**9) as sb:
        account = account_of(KEY)
        with sb.app.store.transaction() as tx:
            for i in range(size):
                draft = content if i % 2 else None
                stored = StoredSchema(
                    "sch_" + uuid.uuid4().hex, account, f"s{i}", "trade", "", 1, content, draft
                )
                tx.insert_schema(stored)

        def current() -> None:
            response = sb.app.handle("GET", "/v1/export-schemas", {"X-Api-Key": KEY}, b"")
            json.dumps(response.body)

        def baseline() -> None:
            with sb.app.store.transaction() as tx:
                rows = tx._db.execute(
                    "SELECT * FROM export_schemas WHERE account = ? ORDER BY seq", (account,)
                ).fetchall()
                items = [builtin_item(schema) for schema in builtin_schemas()]
                items += [custom_item(_schema_from(row)) for row in rows]
            json.dumps(items)

        return best_of(current), best_of(baseline)


def best_of(function: Any, runs: int = 5) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--schemas", type=int, default=100)
    parser.add_argument("--list-sizes", default="108,12000")
    args = parser.parse_args()
    print(f"{args.schemas} schemas, sandbox at its default limits (200/min, 10,000/h)")
    print(f"{'':10} {'command':8} {'exit':>4} {'requests':>8} {'429s':>5} {'seconds':>8}")
    for label, cached in (("cached", True), ("baseline", False)):
        rows = run_commands(args.schemas, cached)
        for name, code, requests, refused, elapsed in rows:
            print(f"{label:10} {name:8} {code:>4} {requests:>8} {refused:>5} {elapsed:>8.2f}")
        total = sum(row[2] for row in rows)
        seconds = sum(row[4] for row in rows)
        print(f"{label:10} {'total':8} {'':>4} {total:>8} {'':>5} {seconds:>8.2f}")
    print()
    print(f"{'schemas':>8} {'list now':>10} {'decoding every row (before)':>28}")
    for size in (int(s) for s in args.list_sizes.split(",")):
        now, before = list_timings(size)
        print(f"{size:>8} {now * 1000:>8.1f} ms {before * 1000:>25.1f} ms")


if __name__ == "__main__":
    main()

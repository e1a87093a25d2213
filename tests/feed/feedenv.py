"""A project with sync specs against a sandbox on loopback, for the sync tests and the benchmark.

The sandbox's clock runs from a fixed instant (``T_NOW``) at the real pace, so that windows are
the same on every run of a test while exports still move from queued to succeeded.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import shutil
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from helpers import REPO, Result, run_cli

API_KEY = "key_test.feed"
HOUR_NS = 3_600_000_000_000
DAY_START = "2026-01-02T00:00:00Z"
T_DAY_NS = 1_767_312_000_000_000_000  # 2026-01-02T00:00:00Z
T_NOW = T_DAY_NS / 1e9 + 6.5 * 3600  # the sandbox's now: 2026-01-02T06:30:00Z
FAST = ("--retry-wait", "0.01")
_LOG = re.compile(r'"(?P<method>[A-Z]+) (?P<path>\S+) HTTP/[0-9.]+" (?P<status>\d+)')


def moving_clock(start: float) -> Any:
    """Unix seconds from ``start`` on, at the real pace."""
    began = time.monotonic()
    return lambda: start + (time.monotonic() - began)


@contextmanager
def feed_sandbox(
    *, fault_rate: float = 0.0, fault_seed: int | None = 1, message_rate: float = 0.05, **more: Any
) -> Iterator[tuple[Any, list[str]]]:
    """A sandbox with the ClickHouse renderer (rows = `schemac preview`'s), a log of every
    request it answered, and synthesised messages at ``message_rate`` per second."""
    from schemac.run.exportrender import ClickHouseExportRenderer
    from schemac.sandbox import start_sandbox

    log: list[str] = []
    options: dict[str, Any] = {
        "fault_rate": fault_rate,
        "fault_seed": fault_seed,
        "clock": moving_clock(T_NOW),
        "renderer": ClickHouseExportRenderer(),
        "message_rate": message_rate,
        "export_delay": 0.05,
        "rate_limit_per_minute": 100_000,
        "rate_limit_per_hour": 1_000_000,
    }
    options.update(more)
    with start_sandbox([API_KEY], log=log.append, **options) as sandbox:
        _warm_up(sandbox, options["renderer"])
        yield sandbox, log


def _warm_up(sandbox: Any, renderer: Any) -> None:
    """Render once, so that the engine's start (seconds, once a process) is not any test's
    first window."""
    from schemac.config import Config
    from schemac.remote.local import load_checked

    (schema,) = load_checked([str(REPO / "schemas" / "trades.yaml")], Config(root=REPO)).schemas
    stream = sandbox.app.catalog.datastream(1011)
    messages = list(sandbox.messages.messages(stream, T_DAY_NS, T_DAY_NS + 60_000_000_000))
    renderer.render(schema.body, "binance", messages, "csv", {})


@dataclass
class FeedEnv:
    root: Path
    sandbox: Any
    log: list[str] = field(default_factory=list)

    def run(self, *args: str) -> Result:
        return run_cli(*args, *(FAST if args and args[0] == "sync" else ()), cwd=self.root)

    def spec(self, name: str, text: str) -> Path:
        path = self.root / "syncs" / f"{name}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return path

    def requests(self, method: str | None = None, prefix: str = "") -> Counter[str]:
        """The requests the sandbox answered, by ``METHOD path`` (query strings dropped)."""
        counted: Counter[str] = Counter()
        for line in self.log:
            match = _LOG.search(line)
            if match is None:
                continue
            path = match["path"].split("?")[0]
            if (method is None or match["method"] == method) and path.startswith(prefix):
                counted[f"{match['method']} {path}"] += 1
        return counted

    def subscribe(self, *refs: str) -> list[int]:
        """Subscribe to each ``EXCHANGE:INSTRUMENT:STREAM_TYPE`` (retrying faults); their ids."""
        return [self._subscribe(ref) for ref in refs]

    def _subscribe(self, ref: str) -> int:
        client = self.sandbox.client(API_KEY)
        exchange, instrument, stream_type = ref.split(":")
        listed = _retry(
            lambda: client.datastreams.list(
                exchange=exchange, instrument=instrument, stream_type=stream_type
            )
        )
        (stream,) = [
            s for s in listed.items if f"{s.exchange}:{s.instrument}:{s.stream_type}" == ref
        ]
        key = str(uuid.uuid5(uuid.NAMESPACE_URL, f"subscribe {ref}"))
        _retry(lambda: client.subscriptions.create(stream.datastream_id, idempotency_key=key))
        return int(stream.datastream_id)


def _retry(call: Any, tries: int = 30) -> Any:
    from ticksupply.exceptions import APIError, NetworkError

    for attempt in range(tries):
        try:
            return call()
        except (APIError, NetworkError):
            if attempt == tries - 1:
                raise
            time.sleep(0.01)
    raise AssertionError("unreachable")


def project(root: Path, schema: str = "trades") -> Path:
    """A project folder with the bundled schema ``schema`` (its golden tests left out)."""
    (root / "schemas").mkdir(parents=True, exist_ok=True)
    (root / "schemac.toml").write_text("")
    shutil.copy(REPO / "schemas" / f"{schema}.yaml", root / "schemas" / f"{schema}.yaml")
    return root


def read_rows(path: Path) -> tuple[list[str], list[tuple[str, ...]]]:
    """The header and rows of a gzip CSV file."""
    with gzip.open(path, "rt", encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    return rows[0], [tuple(row) for row in rows[1:]]


def csv_rows(text: str) -> tuple[list[str], list[tuple[str, ...]]]:
    rows = list(csv.reader(io.StringIO(text)))
    return rows[0], [tuple(row) for row in rows[1:]]


def write_raw_export(path: Path, messages: list[tuple[int, str]]) -> Path:
    """``messages`` as the vendor's raw export (what `schemac preview --input` reads)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["collection_timestamp_ns", "raw"])
    writer.writerows(messages)
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8", newline="") as stream:
        stream.write(buffer.getvalue())
    return path


def rows_on_disk(folder: Path) -> Counter[tuple[str, ...]]:
    """Every row of the gzip CSV files in ``folder``, counted."""
    found: Counter[tuple[str, ...]] = Counter()
    for path in sorted(folder.glob("*.csv.gz")):
        found.update(read_rows(path)[1])
    return found


def preview_rows(
    feed: FeedEnv, datastream_id: int, start_ns: int, end_ns: int, schema: str = "trades"
) -> Counter[tuple[str, ...]]:
    """The rows `schemac preview` makes of the sandbox's messages of ``[start_ns, end_ns)``."""
    stream = feed.sandbox.app.catalog.datastream(datastream_id)
    messages = list(feed.sandbox.messages.messages(stream, start_ns, end_ns))
    name = f"{stream.exchange}_{stream.instrument}_{stream.stream_type}_part_2026010200.csv.gz"
    raw = write_raw_export(feed.root / "expected" / name, messages)
    preview = run_cli(
        "preview",
        f"schemas/{schema}.yaml",
        "--input",
        str(raw),
        "--limit",
        "0",
        "--format",
        "csv",
        cwd=feed.root,
    )
    assert preview.code == 0, preview.err
    return Counter(csv_rows(preview.out)[1])


def subprocess_environment() -> dict[str, str]:
    """A `schemac` subprocess's environment: this worktree's code, and stdout buffered as it is
    by default (the lines must come out as they are printed all the same)."""
    import os

    environment = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    return {**environment, "PYTHONPATH": str(REPO)}

"""A sandbox that serves exports (rendered by schemac's SQL on chDB), a project folder, and a
runner for `schemac datastreams` and `schemac export`."""

from __future__ import annotations

import gzip
import io
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from remote.conftest import API_KEY, Run
from schemac.cli import main
from schemac.sandbox import start_sandbox

FAST = ["--retry-wait", "0.005"]
HOUR_NS = 3600 * 10**9

TRADES = """name: trades
category: trade
exchanges: [binance]
columns:
  ts:
    meta: collection_timestamp_ns
  price:
    type: decimal(8)
    from: data.p
  qty:
    type: decimal(8)
    from: data.q
"""


@dataclass
class ExportEnv:
    root: Path
    sandbox: Any
    capsys: pytest.CaptureFixture[str]
    log: list[str] = field(default_factory=list)

    def run(self, *args: str) -> Run:
        self.capsys.readouterr()
        code = main([*args, *FAST])
        captured = self.capsys.readouterr()
        return Run(code, captured.out, captured.err)

    def write(self, text: str = TRADES, name: str = "trades.yaml") -> Path:
        path = self.root / "schemas" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return path

    def client(self) -> Any:
        return self.sandbox.client(API_KEY)

    def subscribe(self, exchange: str, instrument: str, stream_type: str) -> int:
        """Subscribe to the datastream (its backfill gives it days of history); its id."""
        client = self.client()
        page = client.datastreams.list(
            exchange=exchange, instrument=instrument, stream_type=stream_type
        )
        (stream,) = [s for s in page.items if s.instrument == instrument]
        client.subscriptions.create(stream.datastream_id)
        return int(stream.datastream_id)

    def exports(self) -> list[Any]:
        return list(self.client().exports.list_all())

    def requests(self, method: str, path: str) -> int:
        return sum(1 for line in self.log if f'"{method} /v1{path}' in line)


@contextmanager
def export_env(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    exports: bool = True,
    **options: Any,
) -> Iterator[ExportEnv]:
    """A sandbox (with ``exports``: rendering them on chDB, each taking 0.4 s), the project
    folder ``tmp_path`` as the current directory, the key and URL in the environment."""
    log: list[str] = []
    monkeypatch.chdir(tmp_path)
    (tmp_path / "schemac.toml").write_text("")
    settings: dict[str, Any] = {"message_rate": 0.05}  # a message every 20 s: 180 an hour
    if exports:
        from schemac.run.exportrender import ClickHouseExportRenderer

        settings.update(renderer=ClickHouseExportRenderer(), export_delay=0.4)
    settings.update(options)
    with start_sandbox([API_KEY], log=log.append, **settings) as sandbox:
        monkeypatch.setenv("TICKSUPPLY_API_KEY", API_KEY)
        monkeypatch.setenv("TICKSUPPLY_BASE_URL", sandbox.url)
        yield ExportEnv(tmp_path, sandbox, capsys, log)


def past_hours(count: int, back: int = 3) -> tuple[int, int]:
    """A window of ``count`` whole UTC hours, ending ``back - count`` hours before the current
    hour began (inside the sandbox's default backfill of 3 days)."""
    hour = time.time_ns() // HOUR_NS * HOUR_NS
    start = hour - back * HOUR_NS
    return start, start + count * HOUR_NS


def csv_rows(path: Path) -> list[str]:
    """The lines of a .csv.gz artifact (its header first)."""
    with gzip.open(io.BytesIO(path.read_bytes()), "rt", encoding="utf-8") as stream:
        return stream.read().splitlines()

"""The invariant the exports exist for: an export's rows are exactly `schemac preview` over the
same messages. Through the official client and real HTTP: a raw export of a window is
downloaded, `schemac preview` runs the schema over those files, and the same window exported
with the schema (pinned by ID) holds the same rows, in CSV (text for text) and in Parquet
(values and types), for a trade schema and a Bybit derive + unfold schema."""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from helpers import REPO, run_cli

from schemac.remote.local import compile_text
from schemac.run.exportrender import ClickHouseExportRenderer
from schemac.sandbox import Sandbox, start_sandbox

from .helpers import FakeClock

NOW = 1_767_225_600  # 2026-01-01T00:00:00Z
HOUR_NS = 3600 * 10**9
START = (NOW - 3 * 3600) * 10**9 + 17 * 60 * 10**9  # 21:17, so the first part is partial
END = START + 2 * HOUR_NS  # three hourly parts: 21, 22, 23


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with start_sandbox(
        clock=FakeClock(float(NOW)),
        export_delay=0,
        message_rate=2.0,
        renderer=ClickHouseExportRenderer(),
    ) as running:
        yield running


@pytest.fixture(scope="module")
def client(sandbox: Sandbox) -> Iterator[Any]:
    with sandbox.client(timeout=120) as official:  # an export renders on its first look
        yield official


def _datastream(client: Any, exchange: str, instrument: str, stream_type: str) -> int:
    found = client.datastreams.list(exchange=exchange, instrument=instrument)
    return int(next(d.datastream_id for d in found.items if d.stream_type == stream_type))


def _download(client: Any, export_id: str, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for artifact in client.exports.get_download(export_id).artifacts:
        path = folder / artifact.filename
        path.write_bytes(httpx.get(artifact.url, timeout=60).content)
        assert path.stat().st_size == artifact.bytes
        paths.append(path)
    return paths


def _export(sandbox: Sandbox, stream: int, schema: str, fmt: str) -> str:
    """An export naming its format (the client's ``create`` has no ``format``)."""
    body = {
        "datastream_id": stream,
        "start_time": str(START),
        "end_time": str(END),
        "schema": schema,
        "format": fmt,
    }
    headers = {"X-Api-Key": sandbox.api_keys[0]}
    with httpx.Client(base_url=sandbox.url, headers=headers, timeout=120) as http:
        job = http.post("/exports", json=body).json()
    assert job["status"] == "succeeded", job
    return str(job["id"])


def _csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(gzip.decompress(path.read_bytes()).decode())))


CASES = [
    ("trades.yaml", "binance", "trade"),
    ("book_levels.yaml", "bybit_linear", "orderbook"),  # derive + unfold
]


@pytest.mark.parametrize(("schema_file", "exchange", "category"), CASES)
def test_exports_hold_exactly_the_rows_of_preview_over_the_raw_export(
    sandbox: Sandbox,
    client: Any,
    tmp_path: Path,
    schema_file: str,
    exchange: str,
    category: str,
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from schemac.run.engines import ClickHouseEngine
    from schemac.run.execute import preview
    from schemac.run.exportrender import schema_from_content
    from schemac.run.inputs import file_sources

    stream = _datastream(client, exchange, "BTCUSDT", category)
    client.subscriptions.create(datastream_id=stream)
    path = REPO / "schemas" / schema_file
    wire, problems = compile_text(path.read_text(), str(path))
    assert wire is not None, problems
    schema_id = client.export_schemas.create(
        f"{path.stem}_{exchange}",
        category,
        wire["columns"],
        unfold=wire.get("unfold"),
        derive=wire.get("derive"),
    ).id

    raw_job = client.exports.create(stream, START, END)  # raw csv, the documented default
    raw_files = _download(client, raw_job.id, tmp_path / "raw")
    assert [p.name[-17:] for p in raw_files] == [
        "2025123121.csv.gz", "2025123122.csv.gz", "2025123123.csv.gz",
    ]  # fmt: skip
    datastream = sandbox.catalog.datastream(stream)
    assert datastream is not None
    messages = list(sandbox.messages.messages(datastream, START, END))
    raw_rows = [row for f in raw_files for row in _csv(f)[1:]]
    assert raw_rows == [[str(ts), text] for ts, text in messages]  # raw is the messages

    shown = run_cli(
        "preview", str(path), "--input", *map(str, raw_files), "--format", "csv", "--limit", "0"
    )
    assert shown.code == 0, shown.err
    preview_rows = list(csv.reader(io.StringIO(shown.out)))
    assert len(preview_rows) > len(messages)  # a header, and some messages unfold to rows

    csv_files = _download(client, _export(sandbox, stream, schema_id, "csv"), tmp_path / "csv")
    exported = [row for index, f in enumerate(csv_files) for row in _csv(f)[min(index, 1) :]]
    assert exported == preview_rows

    parquet_job = _export(sandbox, stream, schema_id, "parquet")
    parquet_files = _download(client, parquet_job, tmp_path / "parquet")
    table = pa.concat_tables([pq.read_table(f) for f in parquet_files])
    schema = schema_from_content(wire)
    sources = file_sources([str(f) for f in raw_files], None, schema.exchanges)
    expected = preview(schema, sources, ClickHouseEngine()).rows
    assert table.schema == expected.schema
    assert table.to_pylist() == expected.to_pylist()

"""Raw messages in: bundled fixtures, JSON Lines of bare messages, the vendor's raw CSV exports.

Every source becomes batches of the raw relation (``collection_timestamp_ns``, ``exchange``,
``message``) plus where each message came from (``_source``, an index into the list of sources,
and ``_line``, its 1-based line), so that a message that is not JSON is reported at its file
and line while the rest is still processed. Files are read streaming (``.gz`` included), a batch
at a time: memory does not grow with the input.

Bare messages carry no collection time, so they get one: :data:`SYNTHETIC_START` plus one
millisecond per message, deterministic, in the order the sources and their lines are given.
The vendor's raw exports carry their own.
"""

from __future__ import annotations

import csv
import glob
import gzip
import io
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa

SYNTHETIC_START = 1_767_225_600_000_000_000  # 2026-01-01T00:00:00Z, in nanoseconds
SYNTHETIC_STEP = 1_000_000  # 1 ms between bare messages
BATCH_ROWS = 65_536
# The file name the vendor gives an export's artifacts: exchange_instrument_stream_part_hour.
VENDOR_NAME = re.compile(r"^(?P<stem>.+)_part_\d+\.csv(\.gz)?$")


class InputProblem(Exception):
    """An input that cannot be read at all (missing, unknown exchange, bad header)."""


@dataclass(frozen=True)
class Source:
    path: str
    exchange: str
    kind: str  # "jsonl" (bare messages) or "csv" (the vendor's raw export)


def fixture_dir() -> Path:
    """The bundled example messages: ``<exchange>/<category>.jsonl``."""
    return Path(__file__).resolve().parent.parent / "data" / "fixtures"


def fixture_sources(exchanges: list[str], category: str) -> list[Source]:
    """The bundled fixture of each exchange for ``category`` (exchanges without one are skipped)."""
    found = []
    for exchange in exchanges:
        path = fixture_dir() / exchange / f"{category}.jsonl"
        if path.is_file():
            found.append(Source(str(path), exchange, "jsonl"))
    return found


def file_sources(patterns: list[str], exchange: str | None, known: list[str]) -> list[Source]:
    """Sources for paths and globs; the exchange is ``exchange`` or read from the file name."""
    sources = []
    for pattern in patterns:
        paths = sorted(glob.glob(pattern)) if glob.has_magic(pattern) else [pattern]
        if not paths:
            raise InputProblem(f"{pattern}: no file matches")
        for path in paths:
            if not os.path.isfile(path):
                raise InputProblem(f"{path}: no such file")
            kind = "csv" if re.search(r"\.csv(\.gz)?$", path) else "jsonl"
            sources.append(Source(path, exchange or _exchange_of(path, known), kind))
    return sources


def _exchange_of(path: str, known: list[str]) -> str:
    match = VENDOR_NAME.match(os.path.basename(path))
    if match:
        stem = match.group("stem")
        for code in sorted(known, key=len, reverse=True):  # bybit_linear before bybit
            if stem.startswith(code + "_"):
                return code
    raise InputProblem(
        f"{path}: cannot tell the exchange from the file name; pass --exchange "
        f"(vendor artifacts are named like binance_BTCUSDT_trades_part_2024010100.csv.gz)"
    )


def batches(sources: list[Source], batch_rows: int = BATCH_ROWS) -> Iterator[pa.Table]:
    """The raw relation of every source, ``batch_rows`` messages at a time."""
    import pyarrow as pa

    columns: dict[str, list[object]] = {name: [] for name in _COLUMNS}
    synthetic = SYNTHETIC_START  # bare messages get increasing times across every source
    for index, source in enumerate(sources):
        for line, given, message in _messages(source):
            timestamp = synthetic if given is None else given
            synthetic += SYNTHETIC_STEP
            columns["collection_timestamp_ns"].append(timestamp)
            columns["exchange"].append(source.exchange)
            columns["message"].append(message)
            columns["_source"].append(index)
            columns["_line"].append(line)
            if len(columns["message"]) >= batch_rows:
                yield pa.table(columns, schema=_schema())
                columns = {name: [] for name in _COLUMNS}
    if columns["message"]:
        yield pa.table(columns, schema=_schema())


_COLUMNS = ("collection_timestamp_ns", "exchange", "message", "_source", "_line")


def _schema() -> pa.Schema:
    import pyarrow as pa

    return pa.schema(
        [
            ("collection_timestamp_ns", pa.int64()),
            ("exchange", pa.string()),
            ("message", pa.string()),
            ("_source", pa.int32()),
            ("_line", pa.int64()),
        ]
    )


def _open_text(path: str) -> IO[str]:
    if path.endswith(".gz"):
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", errors="replace")
    return open(path, encoding="utf-8", errors="replace")


def _messages(source: Source) -> Iterator[tuple[int, int | None, str]]:
    """(line, collection_timestamp_ns or None for a bare message, message) of a source."""
    try:
        with _open_text(source.path) as stream:
            if source.kind == "csv":
                yield from _csv_messages(source.path, stream)
            else:
                for line, text in enumerate(stream, 1):
                    text = text.strip()
                    if text:
                        yield line, None, text
    except (OSError, EOFError, gzip.BadGzipFile) as error:
        raise InputProblem(f"{source.path}: {error}") from None


def _csv_messages(path: str, stream: IO[str]) -> Iterator[tuple[int, int | None, str]]:
    reader = csv.reader(stream)
    header = next(reader, None)
    if not header or len(header) < 2 or header[0] != "collection_timestamp_ns":
        raise InputProblem(
            f"{path}: not a raw export (the header must start with collection_timestamp_ns, "
            "then the raw JSON column)"
        )
    for row in reader:
        line = reader.line_num
        if len(row) < 2 or not row[0].strip().lstrip("-").isdigit():
            yield line, 0, ""  # reported as not JSON, with its line
            continue
        yield line, int(row[0]), row[1]


def inline_batch(messages: list[str], exchange: str) -> pa.Table:
    """The raw relation of messages given in memory (golden-row cases), timed as bare ones."""
    import pyarrow as pa

    count = len(messages)
    columns = {
        "collection_timestamp_ns": [SYNTHETIC_START + i * SYNTHETIC_STEP for i in range(count)],
        "exchange": [exchange] * count,
        "message": messages,
        "_source": [0] * count,
        "_line": list(range(1, count + 1)),
    }
    return pa.table(columns, schema=_schema())

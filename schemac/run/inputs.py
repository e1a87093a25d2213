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

import csv as csv_module
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
BLOCK_BYTES = 1 << 20  # what the CSV reader reads at a time (it reads ahead a few blocks)
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
    """The raw relation of every source, about ``batch_rows`` messages at a time.

    Lines are split and decoded by Arrow's CSV reader (one column, no quoting), not in Python:
    reading is never what limits a run. The reader reads small blocks (large ones made it read
    far ahead: its memory grew with the file), gathered here into batches of ``batch_rows``.
    """
    import pyarrow as pa

    synthetic = SYNTHETIC_START  # bare messages get increasing times across every source
    gathered: list[pa.Table] = []
    count = 0
    for index, source in enumerate(sources):
        line = 1 if source.kind == "jsonl" else 2  # a raw export's first line is its header
        for block in _blocks(source):
            table, line, synthetic = _relation(block, source, index, line, synthetic)
            gathered.append(table)
            count += table.num_rows
            if count >= batch_rows:
                yield pa.concat_tables(gathered)
                gathered, count = [], 0
    if count:
        yield pa.concat_tables(gathered)


def _relation(
    block: pa.RecordBatch, source: Source, index: int, line: int, synthetic: int
) -> tuple[pa.Table, int, int]:
    """A block of a source as the raw relation; the next line number and synthetic time.

    Every column is built by Arrow kernels (a Python loop over a block's rows costs more
    than the engine's query of it).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    count = block.num_rows
    message = block.column(block.num_columns - 1)
    table = pa.table(
        {
            "collection_timestamp_ns": (
                block.column(0) if source.kind == "csv" else pa.nulls(count, pa.int64())
            ),
            "exchange": pa.repeat(pa.scalar(source.exchange), count),
            "message": message,
            "_source": pa.repeat(pa.scalar(index, pa.int32()), count),
            "_line": pc.add(_positions(count), line),
        },
        schema=_schema(),
    )
    if source.kind == "jsonl":
        if pc.any(pc.equal(message, "")).as_py():  # a blank line: no message
            table = table.filter(pc.not_equal(message, ""))
        times = pc.add(pc.multiply(_positions(table.num_rows), SYNTHETIC_STEP), synthetic)
        synthetic += table.num_rows * SYNTHETIC_STEP
        table = table.set_column(0, "collection_timestamp_ns", times)
    return table, line + count, synthetic


def _positions(count: int) -> pa.Array:
    """The int64 array 0..count-1 (by an Arrow kernel: building it from a range is slow)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    ones = pa.repeat(pa.scalar(1, pa.int64()), count)
    return pc.subtract(pc.cumulative_sum(ones), 1)


def _blocks(source: Source) -> Iterator[pa.RecordBatch]:
    """Arrow record batches of a source's lines (``message``, or the raw export's columns)."""
    import pyarrow as pa
    import pyarrow.csv as csv

    block_size = BLOCK_BYTES
    if source.kind == "jsonl":
        read = csv.ReadOptions(column_names=["message"], block_size=block_size)
        parse = csv.ParseOptions(
            delimiter="\x1f",  # never in valid JSON text: one column per line
            quote_char=False,
            escape_char=False,
            ignore_empty_lines=False,
        )
        convert = csv.ConvertOptions(column_types={"message": pa.string()})
    else:
        _check_header(source)
        read = csv.ReadOptions(
            skip_rows=1, column_names=["collection_timestamp_ns", "message"], block_size=block_size
        )
        parse = csv.ParseOptions(newlines_in_values=False)
        convert = csv.ConvertOptions(
            column_types={"collection_timestamp_ns": pa.int64(), "message": pa.string()}
        )
    try:
        stream = pa.input_stream(source.path, compression="detect")
        reader = csv.open_csv(stream, read, parse, convert)
        yield from reader
    except (OSError, pa.ArrowInvalid) as error:
        raise InputProblem(f"{source.path}: {_first_line(error)}") from None


def _check_header(source: Source) -> None:
    try:
        with _open_text(source.path) as stream:
            header = next(csv_module.reader(stream), None)
    except (OSError, EOFError, gzip.BadGzipFile) as error:
        raise InputProblem(f"{source.path}: {error}") from None
    if not header or len(header) != 2 or header[0] != "collection_timestamp_ns":
        raise InputProblem(
            f"{source.path}: not a raw export (the header must be collection_timestamp_ns, "
            "then the raw JSON column)"
        )


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


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

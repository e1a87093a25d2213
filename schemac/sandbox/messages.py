"""The raw messages a datastream holds: synthesised from the bundled fixtures, or read from files.

Every window is half-open, ``start_ns <= ts < end_ns``. Neither source knows about
subscriptions: data exists for an account only inside its subscription spans, and the callers
(availability, exports) clip to them.

The synthesised source (the default) is a pure function of (seed, rate, datastream, time),
with nothing stored: time is cut into slots of ``1 / rate`` seconds from the epoch, and slot
``k`` holds exactly one message, at ``k * period + jitter(seed, datastream, k)`` with the jitter
in ``[0, period)`` (splitmix64 of ``k`` under a blake2b key of seed and datastream), whose
text is fixture line ``k mod n`` of the datastream's exchange and category
(``schemac/data/fixtures/<exchange>/<category>.jsonl``) with the fixtures' base asset (BTC)
replaced by the instrument's. So any window has data, and counting a window costs two
jitter draws whatever its length.

``--messages DIR`` serves recorded messages instead, from
``DIR/<exchange>/<instrument>/<stream_type>/`` (files read in name order, all held in memory):
``*.jsonl`` lines ``{"collection_timestamp_ns": N, "message": {...} or "raw text"}``, and
``*.csv`` / ``*.csv.gz`` files with a header whose first column is ``collection_timestamp_ns``
and second the raw message (the shape of the vendor's ``raw`` export files); and from files
in ``DIR`` itself named as the vendor names export parts,
``<exchange>_<instrument>_<stream_type>_part_<YYYYMMDDHH>.csv.gz``, so that a folder of raw
exports can be served back.
"""

from __future__ import annotations

import bisect
import csv
import gzip
import hashlib
import io
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from schemac.sandbox.catalog import Datastream, SandboxCatalog

FIXTURES = Path(__file__).parent.parent / "data" / "fixtures"
FIXTURE_BASE = "BTC"  # the base asset every bundled fixture is about
NS_PER_SECOND = 1_000_000_000


class MessageSource(Protocol):
    def messages(self, stream: Datastream, start_ns: int, end_ns: int) -> Iterator[tuple[int, str]]:
        """(collection_timestamp_ns, raw JSON text) with start_ns <= ts < end_ns, ascending ts."""
        ...

    def count(self, stream: Datastream, start_ns: int, end_ns: int) -> int:
        """How many messages ``messages`` yields for the same window."""
        ...


class SynthesizedMessages:
    """One message per slot of ``1 / rate`` seconds, jittered within its slot by ``seed``."""

    def __init__(self, rate: float, seed: int) -> None:
        if not rate > 0:
            raise ValueError(f"message rate {rate} is not positive")
        self.period_ns = max(1, round(NS_PER_SECOND / rate))
        self.seed = seed
        self._texts: dict[tuple[str, str, str], tuple[str, ...]] = {}
        self._lock = threading.Lock()

    def stream_key(self, stream: Datastream) -> int:
        """64 bits that tie the jitter to (seed, datastream): blake2b, the same everywhere."""
        text = f"{self.seed}:{stream.datastream_id}".encode()
        return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "big")

    def timestamp(self, stream: Datastream, slot: int) -> int:
        """The collection timestamp of the message in ``slot``."""
        return (
            slot * self.period_ns + _mix(self.stream_key(stream) ^ (slot & _MASK)) % self.period_ns
        )

    def texts(self, stream: Datastream) -> tuple[str, ...]:
        """The message texts the stream cycles through (none without a fixture)."""
        key = (stream.exchange, stream.instrument, stream.stream_type)
        with self._lock:
            if key not in self._texts:
                self._texts[key] = _fixture_texts(stream)
            return self._texts[key]

    def messages(self, stream: Datastream, start_ns: int, end_ns: int) -> Iterator[tuple[int, str]]:
        texts = self.texts(stream)
        if not texts or end_ns <= start_ns:
            return
        key, period, cycle = self.stream_key(stream), self.period_ns, len(texts)
        # timestamp() inlined: this loop is the cost of every export of synthesised data.
        for slot in range(start_ns // period, (end_ns - 1) // period + 1):
            at = slot * period + _mix(key ^ (slot & _MASK)) % period
            if start_ns <= at < end_ns:
                yield at, texts[slot % cycle]

    def count(self, stream: Datastream, start_ns: int, end_ns: int) -> int:
        if not self.texts(stream) or end_ns <= start_ns:
            return 0
        first, last = start_ns // self.period_ns, (end_ns - 1) // self.period_ns
        inside = sum(start_ns <= self.timestamp(stream, slot) < end_ns for slot in {first, last})
        return max(0, last - first - 1) + inside


_MASK = (1 << 64) - 1


def _mix(value: int) -> int:
    """splitmix64's finaliser: 64 well-mixed bits of a 64-bit value, in integer arithmetic."""
    value = (value + 0x9E3779B97F4A7C15) & _MASK
    value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & _MASK
    return value ^ (value >> 31)


def _fixture_texts(stream: Datastream) -> tuple[str, ...]:
    path = FIXTURES / stream.exchange / f"{stream.stream_type}.jsonl"
    if not path.is_file():
        return ()
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    base = _base_asset(stream)
    texts = []
    for line in lines:
        if not line:
            continue
        if base and base != FIXTURE_BASE:
            line = line.replace(FIXTURE_BASE, base).replace(FIXTURE_BASE.lower(), base.lower())
        texts.append(line)
    return tuple(texts)


def _base_asset(stream: Datastream) -> str | None:
    """The instrument's base asset read from its symbol (``ETH-USD``, ``ETHUSDT``), or None."""
    symbol = stream.instrument
    if "-" in symbol:
        head = symbol.split("-")[0]
    else:
        quotes = [q for q in ("USDT", "USDC", "USD") if symbol.endswith(q) and symbol != q]
        head = symbol[: -len(quotes[0])] if quotes else ""
    return head if head.isalpha() and head.isupper() else None


class RecordedMessages:
    """Messages read from ``DIR/<exchange>/<instrument>/<stream_type>/`` files, held in memory."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._loaded: dict[tuple[str, str, str], tuple[list[int], list[str]]] = {}
        self._lock = threading.Lock()

    def _stream(self, stream: Datastream) -> tuple[list[int], list[str]]:
        key = (stream.exchange, stream.instrument, stream.stream_type)
        with self._lock:
            if key not in self._loaded:
                rows = sorted(_read_stream(self.root, *key), key=lambda row: row[0])
                self._loaded[key] = ([row[0] for row in rows], [row[1] for row in rows])
            return self._loaded[key]

    def messages(self, stream: Datastream, start_ns: int, end_ns: int) -> Iterator[tuple[int, str]]:
        times, texts = self._stream(stream)
        low, high = bisect.bisect_left(times, start_ns), bisect.bisect_left(times, end_ns)
        for index in range(low, max(low, high)):
            yield times[index], texts[index]

    def count(self, stream: Datastream, start_ns: int, end_ns: int) -> int:
        times, _ = self._stream(stream)
        return max(0, bisect.bisect_left(times, end_ns) - bisect.bisect_left(times, start_ns))


def _read_stream(
    root: Path, exchange: str, instrument: str, stream_type: str
) -> Iterator[tuple[int, str]]:
    """The stream's folder ``root/<exchange>/<instrument>/<stream_type>/``, then the vendor-named
    files ``root/<exchange>_<instrument>_<stream_type>_part_*.csv[.gz]`` (an export folder)."""
    # A symbol is one path component: "/" (BTC/USD) is written "_" in folder and file names.
    symbol = instrument.replace("/", "_")
    folder = root / exchange / symbol / stream_type
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.name.endswith(".jsonl"):
                yield from _read_jsonl(path)
            elif path.name.endswith((".csv", ".csv.gz")):
                yield from _read_csv(path)
    prefix = f"{exchange}_{symbol}_{stream_type}_part_"
    for path in sorted(root.iterdir()):
        if path.name.startswith(prefix) and path.name.endswith((".csv", ".csv.gz")):
            yield from _read_csv(path)


def _read_jsonl(path: Path) -> Iterator[tuple[int, str]]:
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                at, message = record["collection_timestamp_ns"], record["message"]
            except (ValueError, KeyError, TypeError) as problem:
                raise MessageFileError(f"{path}:{number}: {problem}") from None
            text = (
                message if isinstance(message, str) else json.dumps(message, separators=(",", ":"))
            )
            yield _timestamp(at, path, number), text


def _read_csv(path: Path) -> Iterator[tuple[int, str]]:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rb") as raw, io.TextIOWrapper(raw, encoding="utf-8", newline="") as text:
        rows = csv.reader(text)
        header = next(rows, None)
        if header is None or len(header) < 2 or header[0] != "collection_timestamp_ns":
            raise MessageFileError(
                f"{path}: the header must start collection_timestamp_ns,<message>"
            )
        for number, row in enumerate(rows, 2):
            if len(row) < 2:
                raise MessageFileError(f"{path}:{number}: expected two columns")
            yield _timestamp(row[0], path, number), row[1]


def _timestamp(value: object, path: Path, number: int) -> int:
    try:
        at = int(str(value))
    except ValueError:
        raise MessageFileError(f"{path}:{number}: {value!r} is not integer nanoseconds") from None
    if at < 0:
        raise MessageFileError(f"{path}:{number}: a negative timestamp")
    return at


class MessageFileError(ValueError):
    """A recorded message file that cannot be read."""


def message_source(folder: Path | None, rate: float, seed: int) -> MessageSource:
    """The recorded messages of ``folder``, or the synthesised ones without a folder."""
    return RecordedMessages(folder) if folder is not None else SynthesizedMessages(rate, seed)


def check_message_folder(folder: Path, catalog: SandboxCatalog) -> list[str]:
    """Problems with a ``--messages`` folder: missing, or a file that cannot be read."""
    if not folder.is_dir():
        return [f"messages folder {folder} is not a directory"]
    source = RecordedMessages(folder)
    try:
        for stream in catalog.datastreams:
            source.count(stream, 0, 2**63)
    except (OSError, MessageFileError) as problem:
        return [f"messages: {problem}"]
    return []

"""Where a sync writes, decided by the window alone (pure functions of names and times).

::

    DEST/
      .schemac-sync.sqlite                       the state (cursors, windows, files)
      .schemac-sync-staging/SPEC/DATASTREAM_ID/  downloads in progress (emptied before each window)
      EXCHANGE/INSTRUMENT/STREAM_TYPE/
        binance_BTCUSDT_trade_part_2026010110.csv.gz           the vendor's artifact name
        binance_BTCUSDT_trade_part_2026010110_from_20260101T101500Z.csv.gz

A window's files keep the vendor's artifact names (one per UTC hour with rows). A window that
does not start on an hour (sub-hour windows, or a first window after the window size changed)
gets ``_from_<its start>`` before the extension: two windows never overlap, so at most one of
the windows holding rows of an hour starts on that hour, and the names never collide. The same
window always gets the same names, so a window redone after a crash overwrites its own files.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

STAGING_DIR = ".schemac-sync-staging"
HOUR_NS = 3_600_000_000_000
NS_PER_SECOND = 1_000_000_000
# What a path component taken from the API may hold; anything else becomes "_".
_UNSAFE = re.compile(r"[^A-Za-z0-9._+-]")


class LayoutError(ValueError):
    """A name from the API that cannot be a file name here."""


def safe_component(text: str) -> str:
    """``text`` as one path component: no separator, no control character, not ``.``/``..``,
    not hidden."""
    cleaned = _UNSAFE.sub("_", text)
    if not cleaned or cleaned.strip(".") == "" or cleaned.startswith("."):
        cleaned = "_" + cleaned.lstrip(".")
    return cleaned[:200]


def partition_dir(destination: Path, exchange: str, instrument: str, stream_type: str) -> Path:
    return destination.joinpath(*(safe_component(p) for p in (exchange, instrument, stream_type)))


def staging_dir(destination: Path, spec: str, datastream_id: int) -> Path:
    return destination / STAGING_DIR / safe_component(spec) / str(datastream_id)


def window_tag(start_ns: int) -> str:
    """``""`` for a window starting on an hour, else ``_from_YYYYMMDDTHHMMSSZ`` (with
    ``nNNNNNNNNN`` before the Z when the start is not on a second)."""
    if start_ns % HOUR_NS == 0:
        return ""
    seconds, fraction = divmod(start_ns, NS_PER_SECOND)
    stamp = dt.datetime.fromtimestamp(seconds, dt.timezone.utc).strftime("%Y%m%dT%H%M%S")
    return f"_from_{stamp}{f'n{fraction:09d}' if fraction else ''}Z"


def window_file_name(artifact_name: str, start_ns: int) -> str:
    """The name on disk of an artifact of the window starting at ``start_ns``."""
    name = safe_component(Path(artifact_name).name)
    tag = window_tag(start_ns)
    if not tag:
        return name
    stem, dot, extension = name.partition(".")
    return f"{stem}{tag}{dot}{extension}"


def relative(path: Path, destination: Path) -> str:
    """``path`` as the state records it: relative to the destination, with ``/``."""
    return path.relative_to(destination).as_posix()

"""One window of one partition, exported and committed, safe to kill at any moment.

The steps, and what a run killed after each one finds when it starts again:

1. the pending entry is recorded with its idempotency key (derived from the datastream, the
   window, the schema version and the format): a restart finds it and uses the same key, so the
   server replays the export it made instead of making another;
2. the partition's staging folder is emptied (a killed download leaves its temporary file
   there) and the export is made, waited for and downloaded into it;
3. the final names of the window's files are added to the pending entry, then each file is
   renamed into place (same file system: atomic) and the folders are synced; files an earlier,
   uncommitted attempt of this partition placed that this one did not are removed;
4. the window, its files and the new cursor are committed in one transaction.

A kill before 4 leaves the cursor where it was: the window is done again, over its own files
(names are a function of the window, :mod:`.layout`), so no row is missing and none is there
twice. A kill after 4 leaves only the empty staging folder, emptied by the next window.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from schemac.feed.layout import partition_dir, relative, staging_dir, window_file_name
from schemac.feed.planner import Window
from schemac.feed.records import FileRecord, Pending, WindowRecord
from schemac.feed.sources import Stream
from schemac.feed.state import FeedState
from schemac.fileio import sync_folder

if TYPE_CHECKING:
    from schemac.remote.client import Remote
    from schemac.remote.exporting import ExportRequest


@dataclass(frozen=True)
class SchemaChoice:
    """What a spec's exports name as their schema: the published version pinned by its id (an
    export made with an id uses the version published at that moment)."""

    schema: str | Mapping[str, Any]  # the "sch_..." id (or what else an export may name)
    schema_id: str | None
    version: int  # the pinned version (0: none)

    @property
    def label(self) -> str:
        if self.schema_id is None:
            return str(self.schema) if isinstance(self.schema, str) else "inline"
        return f"{self.schema_id} v{self.version}"


@dataclass(frozen=True)
class Target:
    """Where a spec's windows go and how they are asked for."""

    spec: str
    destination: Path
    choice: SchemaChoice
    format: str
    format_options: Mapping[str, Any]


@dataclass(frozen=True)
class WindowDone:
    window: Window
    export_id: str
    files: tuple[FileRecord, ...]

    @property
    def bytes(self) -> int:
        return sum(f.bytes for f in self.files)


def request_of(target: Target, stream: Stream, window: Window) -> ExportRequest:
    from schemac.remote.exporting import ExportRequest

    return ExportRequest(
        stream.datastream_id,
        window.start_ns,
        window.end_ns,
        target.choice.schema,
        target.format,
        dict(target.format_options),
    )


def window_key(request: ExportRequest, choice: SchemaChoice, attempt: int) -> str:
    """The idempotency key of a window's export: the request (datastream, window, schema,
    format, options), the schema version it pins, and the attempt (a failed export is tried
    again under a new key: the old one would replay the failure)."""
    from schemac.remote.exporting import export_key

    key = export_key(request, choice.version)
    if attempt == 0:
        return key
    from schemac.remote.client import idempotency_key

    return idempotency_key("export-retry", key, choice.version, "", attempt)


def export_window(
    remote: Remote,
    state: FeedState,
    target: Target,
    stream: Stream,
    window: Window,
    *,
    now: Callable[[], int],
    progress: Callable[[str], None] | None = None,
) -> WindowDone:
    """Export ``window`` of ``stream`` into place and advance the cursor past it. A failed
    export raises (``RemoteError``); its pending entry then moves to the next attempt."""
    from schemac.remote.exporting import ExportFailed, export_and_download

    request = request_of(target, stream, window)
    choice = target.choice
    first_key = window_key(request, choice, 0)
    pending = state.begin_window(
        Pending(
            target.spec,
            stream.datastream_id,
            window.start_ns,
            window.end_ns,
            choice.schema_id,
            choice.version,
            0,
            first_key,
            first_key,
            now(),
        )
    )
    staging = staging_dir(target.destination, target.spec, stream.datastream_id)
    _empty(staging)
    try:
        result = export_and_download(
            remote, request, staging, idempotency_key=pending.idempotency_key, progress=progress
        )
    except ExportFailed:
        state.retry_window(pending, window_key(request, choice, pending.attempt + 1))
        raise
    placed = _place(state, pending, target, stream, window, staging, result.files)
    record = WindowRecord(
        target.spec,
        stream.datastream_id,
        window.start_ns,
        window.end_ns,
        result.export_id,
        choice.schema_id,
        choice.version,
        target.format,
        now(),
    )
    state.commit_window(record, placed, now_ns=now())
    _empty(staging)
    return WindowDone(window, result.export_id, tuple(placed))


def _place(
    state: FeedState,
    pending: Pending,
    target: Target,
    stream: Stream,
    window: Window,
    staging: Path,
    downloaded: Any,
) -> list[FileRecord]:
    """Rename the downloaded files into place; remove what an earlier attempt placed and this
    one did not. The names are recorded before any rename, so a kill halfway is undone."""
    folder = partition_dir(
        target.destination, stream.exchange, stream.instrument, stream.stream_type
    )
    moves = [
        (Path(f.path), folder / window_file_name(f.filename, window.start_ns), int(f.bytes))
        for f in downloaded
    ]
    records = [FileRecord(relative(final, target.destination), size) for _, final, size in moves]
    earlier = set(pending.placed)
    state.note_placed(pending, sorted(earlier | {r.path for r in records}))
    folder.mkdir(parents=True, exist_ok=True)
    for source, final, _ in moves:
        os.replace(source, final)
    for stale in sorted(earlier - {r.path for r in records}):
        (target.destination / stale).unlink(missing_ok=True)
    sync_folder(folder)  # the renames reach the disk before the cursor's commit does
    return records


def _empty(folder: Path) -> None:
    """``folder`` exists and holds nothing (a killed run's temporary files are removed)."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)


def remove_staging(destination: Path) -> None:
    """The staging folders, once a run is over (empty by then, unless a window failed)."""
    from schemac.feed.layout import STAGING_DIR

    shutil.rmtree(destination / STAGING_DIR, ignore_errors=True)

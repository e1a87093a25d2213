"""``schemac sync --status``: per partition, read from the state file alone (no request).

A row per partition a spec follows (and per one it no longer follows, marked removed): the
cursor, how far it is behind now, the last run, consecutive failures with the last error, the
schema version of its last window, and a window in flight (an export asked for whose files are
not committed yet).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from schemac.feed.report import duration_text, instant, moment
from schemac.feed.state import FeedState


@dataclass(frozen=True)
class StatusRow:
    spec: str
    datastream: str
    datastream_id: int
    cursor_ns: int
    lag_ns: int  # now - cursor
    last_run_ns: int | None
    failures: int
    last_error: str | None
    schema_id: str | None
    schema_version: int | None
    windows: int
    pending_start_ns: int | None
    removed: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "spec": self.spec,
            "datastream": self.datastream,
            "datastream_id": self.datastream_id,
            "cursor_ns": self.cursor_ns,
            "cursor": instant(self.cursor_ns),
            "lag_seconds": round(self.lag_ns / 1e9, 3),
            "last_run": instant(self.last_run_ns) if self.last_run_ns is not None else None,
            "failures": self.failures,
            "last_error": self.last_error,
            "schema_id": self.schema_id,
            "schema_version": self.schema_version,
            "windows": self.windows,
            "pending_from": (
                instant(self.pending_start_ns) if self.pending_start_ns is not None else None
            ),
            "removed": self.removed,
        }


def status_rows(state: FeedState, spec: str, now_ns: int) -> list[StatusRow]:
    rows = []
    for part in state.partitions(spec):
        windows = state.windows(spec, part.datastream_id)
        last = windows[-1] if windows else None
        pending = state.pending(spec, part.datastream_id)
        rows.append(
            StatusRow(
                spec,
                part.ref,
                part.datastream_id,
                part.cursor_ns,
                now_ns - part.cursor_ns,
                part.last_run_ns,
                part.failures,
                part.last_error,
                last.schema_id if last else None,
                last.schema_version if last else None,
                len(windows),
                pending.start_ns if pending else None,
                not part.active,
            )
        )
    return rows


HEADER = ("SPEC", "DATASTREAM", "CURSOR", "LAG", "LAST RUN", "FAILURES", "SCHEMA", "WINDOWS")


def status_cells(row: StatusRow) -> tuple[str, ...]:
    schema = f"{row.schema_id} v{row.schema_version}" if row.schema_id else "-"
    failures = str(row.failures)
    if row.last_error:
        failures += f" ({row.last_error[:60]})"
    datastream = row.datastream + (" (removed)" if row.removed else "")
    last_run = moment(row.last_run_ns) if row.last_run_ns is not None else "never"
    windows = str(row.windows)
    if row.pending_start_ns is not None:
        windows += f" (+1 in flight from {instant(row.pending_start_ns)})"
    return (
        row.spec,
        datastream,
        instant(row.cursor_ns),
        duration_text(row.lag_ns),
        last_run,
        failures,
        schema,
        windows,
    )

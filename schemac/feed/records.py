"""The rows of the feed's state file, as values (:mod:`.state` reads and writes them)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Partition:
    spec: str
    datastream_id: int
    ref: str
    cursor_ns: int
    first_seen_ns: int
    last_run_ns: int | None
    last_success_ns: int | None
    failures: int
    last_error: str | None
    removed_ns: int | None

    @property
    def active(self) -> bool:
        return self.removed_ns is None


@dataclass(frozen=True)
class WindowRecord:
    spec: str
    datastream_id: int
    start_ns: int
    end_ns: int
    export_id: str | None
    schema_id: str | None
    schema_version: int | None
    format: str
    committed_ns: int


@dataclass(frozen=True)
class FileRecord:
    path: str  # relative to the destination, with forward slashes
    bytes: int


@dataclass(frozen=True)
class Pending:
    spec: str
    datastream_id: int
    start_ns: int
    end_ns: int
    schema_id: str | None
    schema_version: int | None
    attempt: int
    request_key: str  # the key of attempt 0: names the request (window, schema, format)
    idempotency_key: str  # the key of this attempt
    created_ns: int
    # files an attempt renamed into place (relative paths), not committed yet: the next
    # attempt removes those it does not write again
    placed: tuple[str, ...] = ()

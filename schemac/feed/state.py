"""The feed's state: one SQLite file next to the destination (``DEST/.schemac-sync.sqlite``).

Written in transactions (WAL journal, ``synchronous=FULL``: a committed transaction survives a
crash of the process or of the machine), so that every question a restart asks has one answer:

- ``partitions``: per (spec, datastream) the **cursor** (the collection timestamp, ns, up to
  which the rows are on disk), when it was first seen, the last run, consecutive failures and
  the last error, and whether the spec still follows it (a datastream that left a filter's set
  keeps its row and cursor, marked removed, and resumes there if it comes back);
- ``windows``: per window exported, its range, the export and the schema id and version that
  produced it, and (``files``) every file written with its byte count;
- ``pending``: a window whose export was asked for but whose files are not committed yet, with
  the idempotency key its create uses, so that a restart resumes that export (the server
  replays the create) instead of making another.

:meth:`FeedState.commit_window` is the one place a cursor advances: the window, its files, the
cursor and the end of the pending entry in a single transaction, after the files are in place.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from schemac.feed.records import FileRecord, Partition, Pending, WindowRecord

STATE_FILE = ".schemac-sync.sqlite"
FORMAT_VERSION = 1
MAX_ERROR_CHARS = 2000  # a last error is kept whole up to this, then cut

_TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS partitions (
    spec TEXT NOT NULL, datastream_id INTEGER NOT NULL, ref TEXT NOT NULL,
    cursor_ns INTEGER NOT NULL, first_seen_ns INTEGER NOT NULL,
    last_run_ns INTEGER, last_success_ns INTEGER,
    failures INTEGER NOT NULL DEFAULT 0, last_error TEXT,
    removed_ns INTEGER,
    PRIMARY KEY (spec, datastream_id));
CREATE TABLE IF NOT EXISTS windows (
    spec TEXT NOT NULL, datastream_id INTEGER NOT NULL,
    start_ns INTEGER NOT NULL, end_ns INTEGER NOT NULL,
    export_id TEXT, schema_id TEXT, schema_version INTEGER, format TEXT NOT NULL,
    committed_ns INTEGER NOT NULL,
    PRIMARY KEY (spec, datastream_id, start_ns));
CREATE TABLE IF NOT EXISTS files (
    spec TEXT NOT NULL, datastream_id INTEGER NOT NULL, start_ns INTEGER NOT NULL,
    path TEXT NOT NULL, bytes INTEGER NOT NULL,
    PRIMARY KEY (spec, datastream_id, start_ns, path));
CREATE TABLE IF NOT EXISTS pending (
    spec TEXT NOT NULL, datastream_id INTEGER NOT NULL,
    start_ns INTEGER NOT NULL, end_ns INTEGER NOT NULL,
    schema_id TEXT, schema_version INTEGER, attempt INTEGER NOT NULL,
    request_key TEXT NOT NULL, idempotency_key TEXT NOT NULL, created_ns INTEGER NOT NULL,
    placed TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (spec, datastream_id));
"""


class StateError(Exception):
    """The state file cannot be used (not SQLite, a newer format, unwritable)."""


_PARTITION_COLUMNS = (
    "spec, datastream_id, ref, cursor_ns, first_seen_ns, last_run_ns, last_success_ns, "
    "failures, last_error, removed_ns"
)
_WINDOW_COLUMNS = (
    "spec, datastream_id, start_ns, end_ns, export_id, schema_id, schema_version, format, "
    "committed_ns"
)
_PENDING_COLUMNS = (
    "spec, datastream_id, start_ns, end_ns, schema_id, schema_version, attempt, "
    "request_key, idempotency_key, created_ns, placed"
)
_PENDING_SLOTS = ", ".join("?" * 11)


def state_path(destination: Path) -> Path:
    return destination / STATE_FILE


class FeedState:
    """The state of one destination; safe to share between the threads of one run."""

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = path
        try:
            if read_only:
                uri = f"{path.resolve().as_uri()}?mode=ro"
                self._db = sqlite3.connect(
                    uri, uri=True, check_same_thread=False, isolation_level=None
                )
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            self._lock = threading.Lock()
            self._prepare(read_only)
        except sqlite3.Error as error:
            raise StateError(f"{path}: {error}") from None

    def _prepare(self, read_only: bool) -> None:
        self._db.execute("PRAGMA busy_timeout = 10000")
        if not read_only:
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = FULL")
            with self._transaction() as db:
                for statement in _TABLES.split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(
                    "INSERT OR IGNORE INTO meta VALUES ('format_version', ?)",
                    (str(FORMAT_VERSION),),
                )
        row = self._db.execute("SELECT value FROM meta WHERE key = 'format_version'").fetchone()
        if row is None or int(row[0]) > FORMAT_VERSION:
            found = "none" if row is None else row[0]
            raise StateError(
                f"state format {found}; this schemac reads format {FORMAT_VERSION} "
                "(a newer schemac wrote it, or it is not a sync state file)"
            )

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> FeedState:
        return self

    def __exit__(self, *args: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _rows(self, sql: str, args: Sequence[object] = ()) -> list[tuple[object, ...]]:
        with self._lock:
            try:
                return list(self._db.execute(sql, args).fetchall())
            except sqlite3.Error as error:
                raise StateError(f"{self.path}: {error}") from None

    # -- partitions --------------------------------------------------------------------------

    def partitions(self, spec: str | None = None) -> list[Partition]:
        where, args = ("WHERE spec = ?", (spec,)) if spec is not None else ("", ())
        rows = self._rows(
            f"SELECT {_PARTITION_COLUMNS} FROM partitions {where} ORDER BY spec, ref", args
        )
        return [Partition(*row) for row in rows]  # type: ignore[arg-type]

    def partition(self, spec: str, datastream_id: int) -> Partition | None:
        rows = self._rows(
            f"SELECT {_PARTITION_COLUMNS} FROM partitions WHERE spec = ? AND datastream_id = ?",
            (spec, datastream_id),
        )
        return Partition(*rows[0]) if rows else None  # type: ignore[arg-type]

    def follow(
        self, spec: str, streams: Sequence[tuple[int, str]], *, cursor_ns: int, now_ns: int
    ) -> tuple[list[str], list[str]]:
        """Make ``streams`` (id, ref) the partitions ``spec`` follows, in one transaction: a new
        one starts at ``cursor_ns``; one that came back resumes at its old cursor; one no longer
        listed is marked removed (its cursor kept). Returns the refs added and removed."""
        wanted = dict(streams)
        added: list[str] = []
        removed: list[str] = []
        with self._transaction() as db:
            known = {
                row[0]: (row[1], row[2])
                for row in db.execute(
                    "SELECT datastream_id, ref, removed_ns FROM partitions WHERE spec = ?",
                    (spec,),
                )
            }
            for datastream_id, ref in wanted.items():
                if datastream_id not in known:
                    db.execute(
                        "INSERT INTO partitions (spec, datastream_id, ref, cursor_ns, "
                        "first_seen_ns) VALUES (?, ?, ?, ?, ?)",
                        (spec, datastream_id, ref, cursor_ns, now_ns),
                    )
                    added.append(ref)
                elif known[datastream_id][1] is not None:
                    db.execute(
                        "UPDATE partitions SET removed_ns = NULL, ref = ? "
                        "WHERE spec = ? AND datastream_id = ?",
                        (ref, spec, datastream_id),
                    )
                    added.append(ref)
            for datastream_id, (ref, removed_ns) in known.items():
                if datastream_id not in wanted and removed_ns is None:
                    db.execute(
                        "UPDATE partitions SET removed_ns = ? WHERE spec = ? AND datastream_id = ?",
                        (now_ns, spec, datastream_id),
                    )
                    removed.append(ref)
        return sorted(added), sorted(removed)

    def record_failure(self, spec: str, datastream_id: int, error: str, *, now_ns: int) -> None:
        """A window of the partition failed: one more consecutive failure, and why."""
        with self._transaction() as db:
            db.execute(
                "UPDATE partitions SET failures = failures + 1, last_error = ?, last_run_ns = ? "
                "WHERE spec = ? AND datastream_id = ?",
                (error[:MAX_ERROR_CHARS], now_ns, spec, datastream_id),
            )

    def record_run(self, spec: str, datastream_id: int, *, now_ns: int, advance_to: int) -> None:
        """A run of the partition ended well: its cursor moves to ``advance_to`` (past empty
        windows; never back) and its failures are cleared."""
        with self._transaction() as db:
            db.execute(
                "UPDATE partitions SET cursor_ns = MAX(cursor_ns, ?), last_run_ns = ?, "
                "last_success_ns = ?, failures = 0, last_error = NULL "
                "WHERE spec = ? AND datastream_id = ?",
                (advance_to, now_ns, now_ns, spec, datastream_id),
            )

    # -- windows -----------------------------------------------------------------------------

    def begin_window(self, pending: Pending) -> Pending:
        """Record that ``pending``'s export is about to be asked for. An entry for the same
        request already there (a run that died) is kept and returned, so that its idempotency
        key is used again; an entry for another request (the spec changed) is replaced, the
        files it placed carried over (the new attempt removes those it does not write)."""
        with self._transaction() as db:
            row = db.execute(
                f"SELECT {_PENDING_COLUMNS} FROM pending WHERE spec = ? AND datastream_id = ?",
                (pending.spec, pending.datastream_id),
            ).fetchone()
            if row is not None:
                old = _pending_of(row)
                if old.request_key == pending.request_key:
                    return old
                pending = replace(pending, placed=tuple(sorted({*old.placed, *pending.placed})))
            db.execute(
                f"INSERT OR REPLACE INTO pending ({_PENDING_COLUMNS}) VALUES ({_PENDING_SLOTS})",
                _pending_values(pending),
            )
        return pending

    def retry_window(self, pending: Pending, key: str) -> Pending:
        """The export of ``pending`` failed: the next try is a new attempt, with a new
        idempotency key (the old one would replay the failed export)."""
        return self._update_pending(
            replace(pending, attempt=pending.attempt + 1, idempotency_key=key)
        )

    def note_placed(self, pending: Pending, paths: Sequence[str]) -> Pending:
        """The files ``pending``'s attempt is about to rename into place (recorded first, so
        that a run killed halfway knows them)."""
        return self._update_pending(replace(pending, placed=tuple(paths)))

    def _update_pending(self, pending: Pending) -> Pending:
        with self._transaction() as db:
            db.execute(
                f"INSERT OR REPLACE INTO pending ({_PENDING_COLUMNS}) VALUES ({_PENDING_SLOTS})",
                _pending_values(pending),
            )
        return pending

    def pending(self, spec: str, datastream_id: int) -> Pending | None:
        rows = self._rows(
            f"SELECT {_PENDING_COLUMNS} FROM pending WHERE spec = ? AND datastream_id = ?",
            (spec, datastream_id),
        )
        return _pending_of(rows[0]) if rows else None

    def commit_window(
        self, record: WindowRecord, files: Sequence[FileRecord], *, now_ns: int
    ) -> None:
        """The window's files are in place: record them, end its pending entry and advance the
        cursor to the window's end, all in one transaction."""
        with self._transaction() as db:
            key = (record.spec, record.datastream_id, record.start_ns)
            db.execute(
                f"INSERT OR REPLACE INTO windows ({_WINDOW_COLUMNS}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    *key,
                    record.end_ns,
                    record.export_id,
                    record.schema_id,
                    record.schema_version,
                    record.format,
                    record.committed_ns,
                ),
            )
            db.execute(
                "DELETE FROM files WHERE spec = ? AND datastream_id = ? AND start_ns = ?", key
            )
            db.executemany(
                "INSERT INTO files VALUES (?, ?, ?, ?, ?)",
                [(*key, f.path, f.bytes) for f in files],
            )
            db.execute("DELETE FROM pending WHERE spec = ? AND datastream_id = ?", key[:2])
            db.execute(
                "UPDATE partitions SET cursor_ns = MAX(cursor_ns, ?), last_run_ns = ?, "
                "last_success_ns = ?, failures = 0, last_error = NULL "
                "WHERE spec = ? AND datastream_id = ?",
                (record.end_ns, now_ns, now_ns, *key[:2]),
            )

    def windows(self, spec: str, datastream_id: int | None = None) -> list[WindowRecord]:
        where = "WHERE spec = ?"
        args: list[object] = [spec]
        if datastream_id is not None:
            where, args = where + " AND datastream_id = ?", [spec, datastream_id]
        rows = self._rows(
            f"SELECT {_WINDOW_COLUMNS} FROM windows {where} ORDER BY datastream_id, start_ns",
            args,
        )
        return [WindowRecord(*row) for row in rows]  # type: ignore[arg-type]

    def files(self, spec: str, datastream_id: int, start_ns: int) -> list[FileRecord]:
        rows = self._rows(
            "SELECT path, bytes FROM files WHERE spec = ? AND datastream_id = ? AND start_ns = ? "
            "ORDER BY path",
            (spec, datastream_id, start_ns),
        )
        return [FileRecord(*row) for row in rows]  # type: ignore[arg-type]


def _pending_values(pending: Pending) -> tuple[object, ...]:
    return (
        pending.spec,
        pending.datastream_id,
        pending.start_ns,
        pending.end_ns,
        pending.schema_id,
        pending.schema_version,
        pending.attempt,
        pending.request_key,
        pending.idempotency_key,
        pending.created_ns,
        json.dumps(list(pending.placed)),
    )


def _pending_of(row: Sequence[object]) -> Pending:
    paths = json.loads(str(row[-1]))
    values: list[object] = [*row[:-1], tuple(str(p) for p in paths)]
    return Pending(*values)  # type: ignore[arg-type]

"""Export jobs and their artifacts, in the sandbox's SQLite store (so ``--state`` keeps them).

A job row holds everything its outcome depends on, fixed when it is created: the resolved
schema's content (a snapshot: publishing later does not change it, as the docs say), the time
ranges it covers (the request clipped to the account's spans at that moment), the delay and
whether it is drawn to fail. Artifacts are blobs, written once when the job is first seen
finished. Reached through ``Transaction.exports`` inside the store's one transaction.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

EXPORT_TABLES_SQL = """
CREATE TABLE IF NOT EXISTS export_jobs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    account TEXT NOT NULL,
    datastream_id INTEGER NOT NULL,
    start_ns INTEGER NOT NULL,
    end_ns INTEGER NOT NULL,
    format TEXT NOT NULL,
    format_options TEXT NOT NULL,
    schema TEXT,
    ranges TEXT NOT NULL,
    created_at REAL NOT NULL,
    delay REAL NOT NULL,
    doomed INTEGER NOT NULL,
    outcome TEXT,
    reason TEXT,
    ended_at REAL
);
CREATE INDEX IF NOT EXISTS export_jobs_by_account ON export_jobs (account, seq);
CREATE TABLE IF NOT EXISTS export_artifacts (
    id TEXT PRIMARY KEY,
    export_id TEXT NOT NULL,
    part INTEGER NOT NULL,
    filename TEXT NOT NULL,
    size INTEGER NOT NULL,
    content BLOB NOT NULL,
    UNIQUE (export_id, part)
);
"""


@dataclass(frozen=True)
class ExportRecord:
    """A job as stored. ``outcome`` is None until it is known (``succeeded``, ``failed``,
    ``canceled``); ``ended_at`` is when it was canceled (a finished job ends at
    ``created_at + delay``). ``schema`` is None for raw."""

    id: str
    account: str
    datastream_id: int
    start_ns: int
    end_ns: int
    format: str
    format_options: dict[str, Any]
    schema: dict[str, Any] | None
    ranges: list[tuple[int, int]]
    created_at: float
    delay: float
    doomed: bool
    outcome: str | None = None
    reason: str | None = None
    ended_at: float | None = None


@dataclass(frozen=True)
class ArtifactInfo:
    id: str
    export_id: str
    part: int
    filename: str
    size: int


class ExportRows:
    """The export tables, inside one transaction of the store."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection

    def insert(self, job: ExportRecord) -> None:
        self._db.execute(
            "INSERT INTO export_jobs (id, account, datastream_id, start_ns, end_ns, format,"
            " format_options, schema, ranges, created_at, delay, doomed, outcome, reason,"
            " ended_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                job.id,
                job.account,
                job.datastream_id,
                job.start_ns,
                job.end_ns,
                job.format,
                _dump(job.format_options),
                _dump(job.schema) if job.schema is not None else None,
                _dump(job.ranges),
                job.created_at,
                job.delay,
                int(job.doomed),
                job.outcome,
                job.reason,
                job.ended_at,
            ),
        )

    def get(self, account: str, export_id: str) -> ExportRecord | None:
        row = self._db.execute(
            "SELECT * FROM export_jobs WHERE account = ? AND id = ?", (account, export_id)
        ).fetchone()
        return _record(row) if row is not None else None

    def page(self, account: str, after_seq: int, limit: int) -> list[tuple[int, ExportRecord]]:
        """Up to ``limit`` jobs created after ``after_seq``, in creation order."""
        rows = self._db.execute(
            "SELECT * FROM export_jobs WHERE account = ? AND seq > ? ORDER BY seq LIMIT ?",
            (account, after_seq, limit),
        ).fetchall()
        return [(row["seq"], _record(row)) for row in rows]

    def seq_of(self, export_id: str) -> int:
        row = self._db.execute("SELECT seq FROM export_jobs WHERE id = ?", (export_id,)).fetchone()
        return int(row[0])

    def count(self, account: str) -> int:
        row = self._db.execute(
            "SELECT COUNT(*) FROM export_jobs WHERE account = ?", (account,)
        ).fetchone()
        return int(row[0])

    def finish(
        self, export_id: str, outcome: str, reason: str | None, ended_at: float | None
    ) -> None:
        self._db.execute(
            "UPDATE export_jobs SET outcome = ?, reason = ?, ended_at = ? WHERE id = ?",
            (outcome, reason, ended_at, export_id),
        )

    def set_doomed(self, export_id: str, doomed: bool) -> None:
        self._db.execute("UPDATE export_jobs SET doomed = ? WHERE id = ?", (int(doomed), export_id))

    def delete(self, export_id: str) -> None:
        self._db.execute("DELETE FROM export_artifacts WHERE export_id = ?", (export_id,))
        self._db.execute("DELETE FROM export_jobs WHERE id = ?", (export_id,))

    def add_artifact(self, artifact: ArtifactInfo, content: bytes) -> None:
        self._db.execute(
            "INSERT INTO export_artifacts (id, export_id, part, filename, size, content)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                artifact.id,
                artifact.export_id,
                artifact.part,
                artifact.filename,
                artifact.size,
                content,
            ),
        )

    def artifacts(self, export_id: str) -> list[ArtifactInfo]:
        rows = self._db.execute(
            "SELECT id, export_id, part, filename, size FROM export_artifacts"
            " WHERE export_id = ? ORDER BY part",
            (export_id,),
        ).fetchall()
        return [ArtifactInfo(r[0], r[1], r[2], r[3], r[4]) for r in rows]

    def artifact_content(self, artifact_id: str) -> tuple[ArtifactInfo, bytes] | None:
        row = self._db.execute(
            "SELECT id, export_id, part, filename, size, content FROM export_artifacts"
            " WHERE id = ?",
            (artifact_id,),
        ).fetchone()
        if row is None:
            return None
        return ArtifactInfo(row[0], row[1], row[2], row[3], row[4]), bytes(row[5])


def _dump(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def _record(row: sqlite3.Row) -> ExportRecord:
    return ExportRecord(
        id=row["id"],
        account=row["account"],
        datastream_id=row["datastream_id"],
        start_ns=row["start_ns"],
        end_ns=row["end_ns"],
        format=row["format"],
        format_options=json.loads(row["format_options"]),
        schema=json.loads(row["schema"]) if row["schema"] is not None else None,
        ranges=[(int(a), int(b)) for a, b in json.loads(row["ranges"])],
        created_at=row["created_at"],
        delay=row["delay"],
        doomed=bool(row["doomed"]),
        outcome=row["outcome"],
        reason=row["reason"],
        ended_at=row["ended_at"],
    )

"""Durable state: custom schemas (published content and draft) and idempotency records.

One interface, two places: a file (``--state FILE``) or memory. Both are SQLite (stdlib
``sqlite3``; memory is ``:memory:``), so the in-memory sandbox runs exactly the code that the
persistent one runs. One connection guarded by one lock serialises every transaction: a
mutation and its idempotency record commit together or not at all, and two racing creates of
the same (name, category) cannot both pass the uniqueness check. Built-in schemas are not
stored; they come from a data file (see ``builtins.py``).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from schemac.sandbox.exportstore import EXPORT_TABLES_SQL, ExportRows
from schemac.sandbox.subscription_store import SUBSCRIPTION_SQL, SubscriptionQueries

_SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS export_schemas (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    account TEXT NOT NULL,
    name TEXT NOT NULL,
    stream_category TEXT NOT NULL,
    created_at TEXT NOT NULL,
    version INTEGER NOT NULL,
    content TEXT NOT NULL,
    draft TEXT,
    UNIQUE (account, stream_category, name)
);
CREATE TABLE IF NOT EXISTS idempotency_records (
    account TEXT NOT NULL,
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status INTEGER NOT NULL,
    body TEXT,
    created_at REAL NOT NULL,
    PRIMARY KEY (account, key)
);
CREATE INDEX IF NOT EXISTS idempotency_by_age ON idempotency_records (created_at);
"""


@dataclass(frozen=True)
class StoredSchema:
    """A custom schema as stored: its latest published content and its draft, if any."""

    id: str
    account: str
    name: str
    stream_category: str
    created_at: str
    version: int
    content: dict[str, Any]
    draft: dict[str, Any] | None


@dataclass(frozen=True)
class SchemaSummary:
    """What a list item shows of a custom schema: no content, no draft (never decoded)."""

    id: str
    name: str
    stream_category: str
    created_at: str
    version: int
    has_draft: bool


@dataclass(frozen=True)
class IdempotencyRecord:
    fingerprint: str
    status: int
    body: Any
    created_at: float


class Transaction(SubscriptionQueries):
    """Reads and writes inside one SQLite transaction. Obtain through ``Store.transaction()``.

    The queries on subscriptions and spans are ``subscription_store.SubscriptionQueries``."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection

    @property
    def exports(self) -> ExportRows:
        """The export jobs and their artifacts (``exportstore.py``)."""
        return ExportRows(self._db)

    def list_summaries(self, account: str) -> list[SchemaSummary]:
        """The account's schemas in creation order, as the list endpoint shows them: the
        content and draft columns are neither read into Python nor decoded."""
        rows = self._db.execute(
            "SELECT id, name, stream_category, created_at, version, draft IS NOT NULL"
            " FROM export_schemas WHERE account = ? ORDER BY seq",
            (account,),
        ).fetchall()
        return [SchemaSummary(row[0], row[1], row[2], row[3], row[4], bool(row[5])) for row in rows]

    def get_schema(self, account: str, schema_id: str) -> StoredSchema | None:
        row = self._db.execute(
            "SELECT * FROM export_schemas WHERE account = ? AND id = ?", (account, schema_id)
        ).fetchone()
        return _schema_from(row) if row else None

    def find_by_name(self, account: str, stream_category: str, name: str) -> StoredSchema | None:
        row = self._db.execute(
            "SELECT * FROM export_schemas WHERE account = ? AND stream_category = ? AND name = ?",
            (account, stream_category, name),
        ).fetchone()
        return _schema_from(row) if row else None

    def insert_schema(self, schema: StoredSchema) -> None:
        self._db.execute(
            "INSERT INTO export_schemas"
            " (id, account, name, stream_category, created_at, version, content, draft)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                schema.id,
                schema.account,
                schema.name,
                schema.stream_category,
                schema.created_at,
                schema.version,
                _dump(schema.content),
                _dump(schema.draft) if schema.draft is not None else None,
            ),
        )

    def save_schema(self, schema: StoredSchema) -> None:
        """Write back the mutable parts (version, content, draft) of an existing schema."""
        self._db.execute(
            "UPDATE export_schemas SET version = ?, content = ?, draft = ? WHERE id = ?",
            (
                schema.version,
                _dump(schema.content),
                _dump(schema.draft) if schema.draft is not None else None,
                schema.id,
            ),
        )

    def delete_schema(self, schema_id: str) -> None:
        self._db.execute("DELETE FROM export_schemas WHERE id = ?", (schema_id,))

    def get_idempotency(
        self, account: str, key: str, not_before: float
    ) -> IdempotencyRecord | None:
        """The record for (account, key) unless it is older than ``not_before`` (expired)."""
        row = self._db.execute(
            "SELECT fingerprint, status, body, created_at FROM idempotency_records"
            " WHERE account = ? AND key = ? AND created_at >= ?",
            (account, key, not_before),
        ).fetchone()
        if row is None:
            return None
        body = json.loads(row["body"]) if row["body"] is not None else None
        return IdempotencyRecord(row["fingerprint"], row["status"], body, row["created_at"])

    def put_idempotency(
        self, account: str, key: str, record: IdempotencyRecord, expired_before: float
    ) -> None:
        # Expired records are dropped here so that the table stays as small as 24 h of traffic.
        self._db.execute("DELETE FROM idempotency_records WHERE created_at < ?", (expired_before,))
        self._db.execute(
            "INSERT OR REPLACE INTO idempotency_records"
            " (account, key, fingerprint, status, body, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (
                account,
                key,
                record.fingerprint,
                record.status,
                _dump(record.body) if record.body is not None else None,
                record.created_at,
            ),
        )


class Store:
    """The sandbox's state, in memory (``path=None``) or in a SQLite file."""

    def __init__(self, path: Path | None = None) -> None:
        target = ":memory:" if path is None else str(path)
        # isolation_level=None: transactions are opened and closed explicitly below.
        self._db = sqlite3.connect(target, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._lock = threading.Lock()
        if path is not None:
            # WAL + FULL sync: an acknowledged commit survives a killed process (and power loss).
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA_SQL + SUBSCRIPTION_SQL + EXPORT_TABLES_SQL)

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """One atomic unit of work: commits when the block ends, rolls back if it raises."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield Transaction(self._db)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._db.close()


def _dump(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def _schema_from(row: sqlite3.Row) -> StoredSchema:
    return StoredSchema(
        id=row["id"],
        account=row["account"],
        name=row["name"],
        stream_category=row["stream_category"],
        created_at=row["created_at"],
        version=row["version"],
        content=json.loads(row["content"]),
        draft=json.loads(row["draft"]) if row["draft"] is not None else None,
    )

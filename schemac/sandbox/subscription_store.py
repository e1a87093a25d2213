"""Stored subscriptions and their spans: the tables, and the transaction's queries on them.

A subscription is ``active`` (one open span), ``paused`` (every span closed) or ``deleted``
(gone from the API, every span closed; its spans still say what the account collected). Times
are integer nanoseconds since the epoch, whole microseconds (the API writes them as ISO-8601
with six fractional digits, so nothing is lost in the round trip).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

SUBSCRIPTION_SQL = """
CREATE TABLE IF NOT EXISTS subscriptions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    account TEXT NOT NULL,
    datastream_id INTEGER NOT NULL,
    status TEXT NOT NULL,
    created_ns INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS subscriptions_by_stream ON subscriptions (account, datastream_id);
CREATE TABLE IF NOT EXISTS subscription_spans (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    subscription TEXT NOT NULL,
    started_ns INTEGER NOT NULL,
    ended_ns INTEGER
);
CREATE INDEX IF NOT EXISTS spans_by_subscription ON subscription_spans (subscription);
"""

LIVE = ("active", "paused")


@dataclass(frozen=True)
class StoredSubscription:
    seq: int
    id: str
    account: str
    datastream_id: int
    status: str
    created_ns: int


@dataclass(frozen=True)
class StoredSpan:
    id: str
    started_ns: int
    ended_ns: int | None


class SubscriptionQueries:
    """The subscription half of ``store.Transaction`` (which provides ``_db``)."""

    _db: sqlite3.Connection

    def insert_subscription(self, subscription: StoredSubscription) -> None:
        self._db.execute(
            "INSERT INTO subscriptions (id, account, datastream_id, status, created_ns)"
            " VALUES (?, ?, ?, ?, ?)",
            (
                subscription.id,
                subscription.account,
                subscription.datastream_id,
                subscription.status,
                subscription.created_ns,
            ),
        )

    def get_subscription(self, account: str, subscription_id: str) -> StoredSubscription | None:
        """The account's subscription with this id, unless it is deleted."""
        row = self._db.execute(
            "SELECT * FROM subscriptions WHERE account = ? AND id = ? AND status != 'deleted'",
            (account, subscription_id),
        ).fetchone()
        return _subscription(row) if row else None

    def live_subscription(self, account: str, datastream_id: int) -> StoredSubscription | None:
        """The account's active or paused subscription to the datastream (at most one)."""
        row = self._db.execute(
            "SELECT * FROM subscriptions WHERE account = ? AND datastream_id = ?"
            " AND status != 'deleted' ORDER BY seq DESC LIMIT 1",
            (account, datastream_id),
        ).fetchone()
        return _subscription(row) if row else None

    def list_subscriptions(
        self, account: str, after_seq: int, limit: int
    ) -> tuple[list[StoredSubscription], int]:
        """Up to ``limit`` live subscriptions after ``after_seq`` in creation order, and how
        many live subscriptions the account has in all."""
        rows = self._db.execute(
            "SELECT * FROM subscriptions WHERE account = ? AND status != 'deleted' AND seq > ?"
            " ORDER BY seq LIMIT ?",
            (account, after_seq, limit),
        ).fetchall()
        (total,) = self._db.execute(
            "SELECT COUNT(*) FROM subscriptions WHERE account = ? AND status != 'deleted'",
            (account,),
        ).fetchone()
        return [_subscription(row) for row in rows], int(total)

    def set_subscription_status(self, subscription_id: str, status: str) -> None:
        self._db.execute(
            "UPDATE subscriptions SET status = ? WHERE id = ?", (status, subscription_id)
        )

    def open_span(self, subscription_id: str, span_id: str, started_ns: int) -> None:
        self._db.execute(
            "INSERT INTO subscription_spans (id, subscription, started_ns) VALUES (?, ?, ?)",
            (span_id, subscription_id, started_ns),
        )

    def close_span(self, subscription_id: str, ended_ns: int) -> None:
        """End the subscription's open span, if it has one."""
        self._db.execute(
            "UPDATE subscription_spans SET ended_ns = MAX(started_ns, ?)"
            " WHERE subscription = ? AND ended_ns IS NULL",
            (ended_ns, subscription_id),
        )

    def spans_of_subscription(self, subscription_id: str) -> list[StoredSpan]:
        rows = self._db.execute(
            "SELECT id, started_ns, ended_ns FROM subscription_spans WHERE subscription = ?"
            " ORDER BY seq",
            (subscription_id,),
        ).fetchall()
        return [StoredSpan(row[0], row[1], row[2]) for row in rows]

    def latest_span_end(self, account: str, datastream_id: int) -> int | None:
        """Where the account's last closed span of this datastream ended (None: no span)."""
        row = self._db.execute(
            "SELECT MAX(s.ended_ns) FROM subscription_spans s JOIN subscriptions u"
            " ON s.subscription = u.id WHERE u.account = ? AND u.datastream_id = ?",
            (account, datastream_id),
        ).fetchone()
        return None if row is None or row[0] is None else int(row[0])

    def spans_of(self, account: str, datastream_id: int) -> list[tuple[int, int | None]]:
        """What the account collected of the datastream: (start_ns, end_ns or None while
        ongoing) over all its subscriptions to it, deleted ones included, ascending, with
        overlapping or touching spans merged and empty ones dropped."""
        rows = self._db.execute(
            "SELECT s.started_ns, s.ended_ns FROM subscription_spans s JOIN subscriptions u"
            " ON s.subscription = u.id WHERE u.account = ? AND u.datastream_id = ?"
            " ORDER BY s.started_ns",
            (account, datastream_id),
        ).fetchall()
        merged: list[tuple[int, int | None]] = []
        for start, end in rows:
            if end is not None and end <= start:
                continue
            if merged and (merged[-1][1] is None or merged[-1][1] >= start):
                last_start, last_end = merged[-1]
                merged[-1] = (
                    last_start,
                    None if last_end is None or end is None else max(last_end, end),
                )
            else:
                merged.append((start, end))
        return merged

    def subscription_status(self, account: str, datastream_id: int) -> str | None:
        """``active`` or ``paused`` for the account's live subscription to the datastream,
        None when it has none (an export is then refused with 403)."""
        live = self.live_subscription(account, datastream_id)
        return None if live is None else live.status


def _subscription(row: sqlite3.Row) -> StoredSubscription:
    return StoredSubscription(
        row["seq"],
        row["id"],
        row["account"],
        row["datastream_id"],
        row["status"],
        row["created_ns"],
    )

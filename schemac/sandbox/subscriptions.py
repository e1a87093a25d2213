"""The subscription endpoints: create, list, get, pause, resume, spans, delete.

A subscription collects its datastream while active; each active stretch is a span
(``spn_...``). Choices the vendor's docs leave open (docs/sandbox.md):

- one live (active or paused) subscription per datastream per account: a second create is
  409 ``already_exists`` with the existing one's id in ``details.id``;
- a new subscription's first span starts ``backfill`` seconds before it is created (default
  3 days, 0 is faithful), but never before the end of an earlier span of the same datastream,
  so that spans never overlap;
- pause and resume are idempotent no-ops when already paused or active (200 with the
  subscription either way);
- a deleted subscription is gone: get, pause, resume, spans and delete answer 404, and it is
  not listed; its spans still count as collected history.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from schemac.sandbox.catalog import Datastream
from schemac.sandbox.config import SandboxConfig
from schemac.sandbox.endpoints import Call, Work, json_body
from schemac.sandbox.models_catalog import parse_create_subscription
from schemac.sandbox.paging import iso_ns, now_ns, page_body, page_limit, page_position, page_token
from schemac.sandbox.responses import Response, error
from schemac.sandbox.store import Transaction
from schemac.sandbox.subscription_store import StoredSpan, StoredSubscription

SUBSCRIPTION_PAGE_DEFAULT = 50
SUBSCRIPTION_PAGE_MAX = 100

# The work on one of the account's live subscriptions, found by the call's id.
_Change = Callable[[Transaction, StoredSubscription], Response]


def create(call: Call, config: SandboxConfig) -> Work:
    datastream_id = parse_create_subscription(json_body(call.body))

    def work(tx: Transaction) -> Response:
        stream = call.data.catalog.datastream(datastream_id)
        if stream is None:
            return error(404, "not_found", f"Datastream {datastream_id} not found")
        live = tx.live_subscription(call.account, datastream_id)
        if live is not None:
            return error(
                409,
                "already_exists",
                f"A subscription to datastream {datastream_id} already exists ({live.status})",
                {"datastream_id": datastream_id, "id": live.id, "status": live.status},
            )
        now = now_ns(config.clock())
        start = now - round(config.backfill * 1_000_000) * 1000
        earlier_end = tx.latest_span_end(call.account, datastream_id)
        if earlier_end is not None:
            start = max(start, min(earlier_end, now))
        subscription = StoredSubscription(
            0, "sub_" + uuid.uuid4().hex, call.account, datastream_id, "active", now
        )
        tx.insert_subscription(subscription)
        tx.open_span(subscription.id, "spn_" + uuid.uuid4().hex, start)
        body = {
            "id": subscription.id,
            "status": subscription.status,
            "datastream": stream.as_json(),
            "created_at": iso_ns(now),
            "spans": [],
        }
        return Response(201, body)

    return work


def list_subscriptions(call: Call, config: SandboxConfig) -> Work:
    limit = page_limit(call.query, SUBSCRIPTION_PAGE_DEFAULT, SUBSCRIPTION_PAGE_MAX)
    after = page_position(call.query, "subscriptions")

    def work(tx: Transaction) -> Response:
        found, total = tx.list_subscriptions(call.account, after, limit + 1)
        shown = found[:limit]
        next_token = page_token("subscriptions", shown[-1].seq) if len(found) > limit else None
        items = [_item(call, subscription) for subscription in shown]
        rest = {"total": total, "limit": limit, "next_page_token": next_token}
        return Response(200, page_body(items, rest))

    return work


def get(call: Call, config: SandboxConfig) -> Work:
    return _change(call, lambda tx, subscription: Response(200, _item(call, subscription)))


def pause(call: Call, config: SandboxConfig) -> Work:
    def change(tx: Transaction, subscription: StoredSubscription) -> Response:
        if subscription.status == "active":
            tx.close_span(subscription.id, now_ns(config.clock()))
            tx.set_subscription_status(subscription.id, "paused")
        return Response(200, _item(call, subscription, "paused"))

    return _change(call, change)


def resume(call: Call, config: SandboxConfig) -> Work:
    def change(tx: Transaction, subscription: StoredSubscription) -> Response:
        if subscription.status == "paused":
            now = now_ns(config.clock())
            earlier_end = tx.latest_span_end(call.account, subscription.datastream_id)
            start = now if earlier_end is None else max(now, earlier_end)
            tx.open_span(subscription.id, "spn_" + uuid.uuid4().hex, start)
            tx.set_subscription_status(subscription.id, "active")
        return Response(200, _item(call, subscription, "active"))

    return _change(call, change)


def delete(call: Call, config: SandboxConfig) -> Work:
    def change(tx: Transaction, subscription: StoredSubscription) -> Response:
        tx.close_span(subscription.id, now_ns(config.clock()))
        tx.set_subscription_status(subscription.id, "deleted")
        return Response(204)

    return _change(call, change)


def list_spans(call: Call, config: SandboxConfig) -> Work:
    """The subscription's spans, oldest first, as a bare array (as the client reads them)."""

    def change(tx: Transaction, subscription: StoredSubscription) -> Response:
        return Response(200, [_span(span) for span in tx.spans_of_subscription(subscription.id)])

    return _change(call, change)


def _change(call: Call, change: _Change) -> Work:
    subscription_id = call.params["subscription_id"]

    def work(tx: Transaction) -> Response:
        subscription = tx.get_subscription(call.account, subscription_id)
        if subscription is None:
            return error(404, "not_found", f"Subscription {subscription_id} not found")
        return change(tx, subscription)

    return work


def _item(call: Call, subscription: StoredSubscription, status: str | None = None) -> Any:
    stream = call.data.catalog.datastream(subscription.datastream_id)
    return {
        "id": subscription.id,
        "datastream_id": subscription.datastream_id,
        "status": status or subscription.status,
        "created_at": iso_ns(subscription.created_ns),
        "datastream": _stream_json(stream, subscription.datastream_id),
    }


def _stream_json(stream: Datastream | None, datastream_id: int) -> dict[str, Any]:
    # A datastream a later start's catalog no longer has (a --catalog file dropped): its id
    # is all that is known.
    if stream is not None:
        return stream.as_json()
    return {
        "datastream_id": datastream_id,
        "exchange": "",
        "instrument": "",
        "stream_type": "",
        "wire_format": "",
    }


def _span(span: StoredSpan) -> dict[str, Any]:
    return {
        "id": span.id,
        "started_at": iso_ns(span.started_ns),
        "ended_at": None if span.ended_ns is None else iso_ns(span.ended_ns),
    }

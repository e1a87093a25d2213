"""Subscriptions: what ``schemac subscribe`` asks for and ``schemac subscriptions`` lists.

An export covers only the spans of a subscription to its datastream, so a subscription comes
before the first export. Subscribing is safe to repeat: the account's subscriptions are listed
first and a live one (active or paused) is reported, not duplicated; a create that lost its
response is retried with the same ``Idempotency-Key`` within the run, and a re-run after a crash
finds the subscription by listing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from schemac.remote.client import Remote
    from schemac.remote.datastreams import Datastream

PAGE_LIMIT = 100  # the documented maximum of the subscriptions list
MAX_PAGES = 10_000
LIVE = frozenset({"active", "paused"})

Subscription = dict[str, Any]  # the API's Subscription, as a plain dict


@dataclass(frozen=True)
class Subscribed:
    """The outcome of subscribing to one datastream."""

    datastream: Datastream
    subscription_id: str
    status: str
    created: bool  # False: a live subscription was already there


def list_subscriptions(remote: Remote) -> list[Subscription]:
    """Every subscription of the account (every page), in the API's order."""
    from schemac.remote.client import RemoteError
    from schemac.remote.transport import official_client

    client = official_client(remote)
    found: list[Subscription] = []
    token: str | None = None
    for _ in range(MAX_PAGES):
        page = remote.call(
            "/subscriptions",
            "GET",
            lambda token=token: client.subscriptions.list(  # type: ignore[misc]
                limit=PAGE_LIMIT, page_token=token
            ),
        )
        found += [item.model_dump(mode="json") for item in page.items]
        token = page.next_page_token
        if token is None:
            return found
    raise RemoteError(f"GET /subscriptions: no last page after {MAX_PAGES} pages")


def live_subscription(subscriptions: list[Subscription], datastream_id: int) -> Subscription | None:
    """The active or paused subscription to ``datastream_id``, if there is one."""
    for subscription in subscriptions:
        if subscription["datastream_id"] == datastream_id and subscription["status"] in LIVE:
            return subscription
    return None


def subscribe(remote: Remote, stream: Datastream, known: list[Subscription]) -> Subscribed:
    """Subscribe to ``stream`` unless ``known`` (the account's subscriptions) has a live one."""
    from schemac.remote.client import RemoteError
    from schemac.remote.transport import official_client

    datastream_id = int(stream["datastream_id"])
    live = live_subscription(known, datastream_id)
    if live is not None:
        return Subscribed(stream, str(live["id"]), str(live["status"]), created=False)
    client = official_client(remote)
    key = str(uuid.uuid4())  # one logical create: Remote.call's retries send the same key
    try:
        made = remote.call(
            "/subscriptions",
            "POST",
            lambda: client.subscriptions.create(datastream_id, idempotency_key=key),
        )
    except RemoteError as error:
        if error.code != "already_exists":
            raise
        # Made meanwhile (another run, or a create whose response was lost): find it.
        live = live_subscription(list_subscriptions(remote), datastream_id)
        if live is None:
            raise
        return Subscribed(stream, str(live["id"]), str(live["status"]), created=False)
    return Subscribed(stream, made.id, made.status.value, created=True)

"""The catalog, subscription and availability endpoints go through the same pipeline as the
export-schema ones: request ids, rate limits, fault injection and idempotency keys."""

from __future__ import annotations

import httpx
import pytest
from ticksupply import Client
from ticksupply.exceptions import NotFoundError, RateLimitError

from schemac.sandbox import start_sandbox

from .conftest import API_KEY
from .helpers import new_key

CATALOG_CALLS = (
    "/exchanges",
    "/exchanges/binance/instruments",
    "/exchanges/binance/instruments/BTCUSDT/datastreams",
    "/datastreams",
    "/subscriptions",
    "/availability?datastream_id=1011",
)


def test_every_new_endpoint_counts_against_the_rate_limit_and_carries_a_request_id() -> None:
    with start_sandbox(rate_limit_per_minute=len(CATALOG_CALLS)) as sandbox:
        headers = {"X-Api-Key": API_KEY}
        for call in CATALOG_CALLS:
            response = httpx.get(sandbox.url + call, headers=headers)
            assert response.status_code == 200, (call, response.text)
            assert response.headers["X-Request-Id"].startswith("req_")
            assert "X-RateLimit-Remaining-Minute" in response.headers
        with sandbox.client() as client, pytest.raises(RateLimitError) as limited:
            client.datastreams.list()
        assert limited.value.retry_after is not None and limited.value.retry_after > 0


def test_keyed_subscription_calls_are_exactly_once_through_faults(no_retry_wait: None) -> None:
    """The client's own retries with one key per call: every create, pause and delete takes
    effect once, although responses are lost after the work was committed."""
    with (
        start_sandbox(fault_rate=0.3, fault_seed=5) as sandbox,
        sandbox.client(max_retries=10) as client,
    ):
        streams = [s.datastream_id for s in client.datastreams.list(stream_type="trade").items]
        created = [
            client.subscriptions.create(stream, idempotency_key=new_key()) for stream in streams
        ]
        for subscription in created[:3]:
            client.subscriptions.pause(subscription.id, idempotency_key=new_key())
        for subscription in created[3:5]:
            client.subscriptions.delete(subscription.id, idempotency_key=new_key())
        listed = list(client.subscriptions.list_all(limit=4))
        counts = sandbox.fault_counts
    assert counts["internal_after_commit"] > 0 and counts["drop_connection"] > 0
    assert [s.id for s in listed] == [s.id for s in created[:3] + created[5:]]
    assert [s.status.value for s in listed[:3]] == ["paused"] * 3
    assert all(s.status.value == "active" for s in listed[3:])


def test_a_replayed_delete_answers_as_the_first_did(client: Client) -> None:
    created = client.subscriptions.create(1011)
    key = new_key()
    client.subscriptions.delete(created.id, idempotency_key=key)
    client.subscriptions.delete(created.id, idempotency_key=key)  # replayed 204, not a 404
    with pytest.raises(NotFoundError):  # a new request, for a deleted subscription
        client.subscriptions.delete(created.id, idempotency_key=new_key())

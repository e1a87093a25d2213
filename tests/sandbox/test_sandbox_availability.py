"""GET /v1/availability through the official client: the account's spans clipped to now, each
with the exact number of messages the sandbox holds in it."""

from __future__ import annotations

import httpx
import pytest
from ticksupply import Client
from ticksupply.exceptions import NotFoundError

from schemac.sandbox import Sandbox, start_sandbox

from .conftest import API_KEY, OTHER_API_KEY
from .helpers import FakeClock

BTC_TRADES = 1011
SECOND = 1_000_000_000
DAY = 24 * 3600 * SECOND


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def timed(clock: FakeClock) -> Sandbox:
    with start_sandbox([API_KEY, OTHER_API_KEY], clock=clock, message_rate=0.5) as sandbox:
        yield sandbox


def _now(clock: FakeClock) -> int:
    return int(clock.now) * SECOND


def test_availability_covers_the_backfilled_span_up_to_now(
    timed: Sandbox, clock: FakeClock
) -> None:
    stream = timed.catalog.datastream(BTC_TRADES)
    assert stream is not None
    with timed.client() as client:
        client.subscriptions.create(BTC_TRADES)
        clock.advance(90)
        found = client.availability.get(BTC_TRADES)
    now = _now(clock)
    start = now - 90 * SECOND - 3 * DAY
    assert found.datastream.datastream_id == BTC_TRADES
    assert [(r.from_ns, r.to_ns) for r in found.ranges] == [(start, now)]
    rows = found.ranges[0].rows_estimate
    assert rows == len(list(timed.messages.messages(stream, start, now)))
    assert rows in (3 * 24 * 3600 // 2 + 45, 3 * 24 * 3600 // 2 + 44)
    assert int(found.updated_at.timestamp()) == int(clock.now)


def test_pauses_split_the_ranges(timed: Sandbox, clock: FakeClock) -> None:
    created_at = _now(clock)
    with timed.client() as client:
        created = client.subscriptions.create(BTC_TRADES)
        clock.advance(100)
        client.subscriptions.pause(created.id)
        clock.advance(100)
        client.subscriptions.resume(created.id)
        clock.advance(100)
        found = client.availability.get(BTC_TRADES)
    assert [(r.from_ns, r.to_ns) for r in found.ranges] == [
        (created_at - 3 * DAY, created_at + 100 * SECOND),
        (created_at + 200 * SECOND, created_at + 300 * SECOND),
    ]
    stream = timed.catalog.datastream(BTC_TRADES)
    assert stream is not None
    for r in found.ranges:
        assert r.rows_estimate == timed.messages.count(stream, r.from_ns, r.to_ns) > 0


def test_raw_ranges_are_nanosecond_strings(timed: Sandbox) -> None:
    with timed.client() as client:
        client.subscriptions.create(BTC_TRADES)
    response = httpx.get(
        f"{timed.url}/availability",
        params={"datastream_id": BTC_TRADES},
        headers={"X-Api-Key": API_KEY},
    )
    (item,) = response.json()["ranges"]
    assert isinstance(item["from"], str) and item["from"].isdigit()
    assert isinstance(item["to"], str) and isinstance(item["rows_estimate"], int)


def test_without_a_subscription_nothing_is_available(client: Client, other_client: Client) -> None:
    other_client.subscriptions.create(BTC_TRADES)  # another account's data is not ours
    found = client.availability.get(BTC_TRADES)
    assert found.ranges == [] and found.datastream.stream_type == "trade"


def test_a_deleted_subscription_keeps_its_history(timed: Sandbox, clock: FakeClock) -> None:
    with timed.client() as client:
        created = client.subscriptions.create(BTC_TRADES)
        clock.advance(10)
        client.subscriptions.delete(created.id)
        clock.advance(1000)
        (only,) = client.availability.get(BTC_TRADES).ranges
    assert only.to_ns == _now(clock) - 1000 * SECOND


def test_an_ingestion_delay_holds_back_the_newest_data(clock: FakeClock) -> None:
    with (
        start_sandbox(clock=clock, backfill=0, ingestion_delay=30) as sandbox,
        sandbox.client() as client,
    ):
        client.subscriptions.create(BTC_TRADES)
        clock.advance(20)
        assert client.availability.get(BTC_TRADES).ranges == []
        clock.advance(20)
        (only,) = client.availability.get(BTC_TRADES).ranges
    assert (only.from_ns, only.to_ns) == (_now(clock) - 40 * SECOND, _now(clock) - 30 * SECOND)


def test_an_unknown_datastream_is_404(client: Client) -> None:
    with pytest.raises(NotFoundError):
        client.availability.get(424242)


@pytest.mark.parametrize("value", [None, "", "abc", "-1", "0", "1.5", "99999999999999999999"])
def test_a_bad_datastream_id_is_invalid_argument(sandbox: Sandbox, value: str | None) -> None:
    params = {} if value is None else {"datastream_id": value}
    response = httpx.get(
        f"{sandbox.url}/availability", params=params, headers={"X-Api-Key": API_KEY}
    )
    assert response.status_code == 400
    assert response.json()["error"]["details"]["field"] == "datastream_id"

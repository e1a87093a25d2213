"""Subscriptions through the official client: each documented call, its errors, idempotent
create, spans over pause/resume/delete, and persistence across a restart with --state."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

import httpx
import pytest
from ticksupply import Client
from ticksupply.exceptions import ConflictError, InvalidArgumentError, NotFoundError

from schemac.sandbox import Sandbox, start_sandbox
from schemac.sandbox.api import account_of

from .conftest import API_KEY, OTHER_API_KEY
from .helpers import FakeClock, new_key

BTC_TRADES = 1011  # binance:BTCUSDT:trade
ETH_TRADES = 1021  # binance:ETHUSDT:trade
SUBSCRIPTION_ID = re.compile(r"sub_[a-f0-9]{32}")
SPAN_ID = re.compile(r"spn_[a-f0-9]{32}")
DAY = 24 * 60 * 60


def _at(clock: FakeClock, seconds_later: float = 0.0) -> datetime:
    return datetime.fromtimestamp(clock.now + seconds_later, tz=timezone.utc)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def timed(clock: FakeClock) -> Sandbox:
    with start_sandbox([API_KEY, OTHER_API_KEY], clock=clock) as sandbox:
        yield sandbox


def test_create_starts_collection_with_a_backfilled_span(timed: Sandbox, clock: FakeClock) -> None:
    with timed.client() as client:
        created = client.subscriptions.create(BTC_TRADES)
        assert SUBSCRIPTION_ID.fullmatch(created.id)
        assert created.status.value == "active" and created.spans == []
        assert created.datastream.datastream_id == BTC_TRADES
        assert (created.datastream.exchange, created.datastream.instrument) == (
            "binance",
            "BTCUSDT",
        )
        assert created.created_at == _at(clock)
        (span,) = client.subscriptions.list_spans(created.id)
        assert SPAN_ID.fullmatch(span.id)
        assert span.started_at == _at(clock, -3 * DAY) and span.ended_at is None


def test_backfill_zero_starts_at_subscribe_time(clock: FakeClock) -> None:
    with start_sandbox(clock=clock, backfill=0) as sandbox, sandbox.client() as client:
        created = client.subscriptions.create(BTC_TRADES)
        assert client.subscriptions.list_spans(created.id)[0].started_at == _at(clock)


def test_get_returns_the_subscription(client: Client) -> None:
    created = client.subscriptions.create(BTC_TRADES)
    got = client.subscriptions.get(created.id)
    assert (got.id, got.datastream_id, got.status.value) == (created.id, BTC_TRADES, "active")
    assert got.created_at == created.created_at
    assert got.datastream is not None and got.datastream.stream_type == "trade"


def test_get_of_an_unknown_or_malformed_id(client: Client) -> None:
    with pytest.raises(NotFoundError):
        client.subscriptions.get("sub_" + "0" * 32)
    with pytest.raises(InvalidArgumentError) as raised:
        client.subscriptions.get("sub_nothex")
    assert raised.value.details is not None and raised.value.details["field"] == "subscription_id"


def test_create_of_an_unknown_datastream_is_404(client: Client) -> None:
    with pytest.raises(NotFoundError) as raised:
        client.subscriptions.create(999_999)
    assert "999999" in raised.value.message


@pytest.mark.parametrize(
    "body", ['{"datastream_id": "1011"}', "{}", '{"datastream_id": 0}', "[1011]", "not json"]
)
def test_create_with_a_bad_body_is_invalid_argument(sandbox: Sandbox, body: str) -> None:
    response = httpx.post(
        f"{sandbox.url}/subscriptions", content=body, headers={"X-Api-Key": API_KEY}
    )
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == "invalid_argument"


def test_a_second_live_subscription_to_a_datastream_is_a_conflict(client: Client) -> None:
    first = client.subscriptions.create(BTC_TRADES)
    with pytest.raises(ConflictError) as raised:
        client.subscriptions.create(BTC_TRADES)
    assert raised.value.code == "already_exists"
    assert raised.value.details is not None and raised.value.details["id"] == first.id
    client.subscriptions.pause(first.id)
    with pytest.raises(ConflictError):
        client.subscriptions.create(BTC_TRADES)


def test_create_with_an_idempotency_key_replays(client: Client) -> None:
    key = new_key()
    first = client.subscriptions.create(BTC_TRADES, idempotency_key=key)
    again = client.subscriptions.create(BTC_TRADES, idempotency_key=key)
    assert again == first
    assert [s.id for s in client.subscriptions.list_all()] == [first.id]
    with pytest.raises(ConflictError):  # the same key for another request
        client.subscriptions.create(ETH_TRADES, idempotency_key=key)


def test_pause_and_resume_are_idempotent_and_make_spans(timed: Sandbox, clock: FakeClock) -> None:
    with timed.client() as client:
        created = client.subscriptions.create(BTC_TRADES)
        clock.advance(60)
        client.subscriptions.pause(created.id)
        clock.advance(60)
        client.subscriptions.pause(created.id)  # already paused: no-op
        assert client.subscriptions.get(created.id).status.value == "paused"
        clock.advance(60)
        client.subscriptions.resume(created.id)
        clock.advance(60)
        client.subscriptions.resume(created.id)  # already active: no-op
        assert client.subscriptions.get(created.id).status.value == "active"
        spans = client.subscriptions.list_spans(created.id)
        assert [(s.started_at, s.ended_at) for s in spans] == [
            (_at(clock, -240 - 3 * DAY), _at(clock, -180)),
            (_at(clock, -60), None),
        ]


def test_delete_stops_collection_and_then_the_subscription_is_gone(
    timed: Sandbox, clock: FakeClock
) -> None:
    with timed.client() as client:
        created = client.subscriptions.create(BTC_TRADES)
        clock.advance(10)
        client.subscriptions.delete(created.id)
        for call in (
            client.subscriptions.get,
            client.subscriptions.resume,
            client.subscriptions.pause,
            client.subscriptions.list_spans,
            client.subscriptions.delete,
        ):
            with pytest.raises(NotFoundError):
                call(created.id)
        assert list(client.subscriptions.list_all()) == []
        with timed.app.store.transaction() as tx:
            account = account_of(API_KEY)
            assert tx.subscription_status(account, BTC_TRADES) is None
            assert tx.spans_of(account, BTC_TRADES) == [
                (int((clock.now - 10 - 3 * DAY) * 1e9), int(clock.now * 1e9))
            ]


def test_resubscribing_starts_a_fresh_span_after_the_old_one(
    timed: Sandbox, clock: FakeClock
) -> None:
    with timed.client() as client:
        old = client.subscriptions.create(BTC_TRADES)
        clock.advance(DAY)
        client.subscriptions.delete(old.id)
        clock.advance(DAY)
        new = client.subscriptions.create(BTC_TRADES)
        assert new.id != old.id
        (span,) = client.subscriptions.list_spans(new.id)
        # The backfill reaches back 3 days, but not into what the old subscription covered.
        assert span.started_at == _at(clock, -DAY) and span.ended_at is None
        with timed.app.store.transaction() as tx:
            account = account_of(API_KEY)
            assert tx.subscription_status(account, BTC_TRADES) == "active"
            spans = tx.spans_of(account, BTC_TRADES)
        now = int(clock.now * 1e9)
        day = DAY * 10**9
        # What was collected: the old span and the new one touch, so they read as one.
        assert spans == [(now - 2 * day - 3 * day, None)]


def test_list_paginates_and_list_all_walks_every_page(client: Client, other_client: Client) -> None:
    created = [client.subscriptions.create(n).id for n in range(1011, 1017)]
    created += [client.subscriptions.create(n).id for n in (2011, 2012, 3011)]
    other_client.subscriptions.create(BTC_TRADES)
    page = client.subscriptions.list(limit=4)
    assert (page.total, page.limit, len(page.items), page.has_next) == (9, 4, 4, True)
    assert [s.id for s in client.subscriptions.list_all(limit=2)] == created
    assert [s.id for s in client.subscriptions.list_all()] == created
    default = client.subscriptions.list()
    assert default.limit == 50 and default.next_page_token is None
    # Deleting or adding between pages neither repeats nor skips what is left.
    first = client.subscriptions.list(limit=3)
    client.subscriptions.delete(first.items[0].id)
    added = client.subscriptions.create(4011).id
    rest = client.subscriptions.list(limit=100, page_token=first.next_page_token)
    assert [s.id for s in rest.items] == [*created[3:], added]
    assert rest.total == 9


def test_list_rejects_a_limit_over_100(client: Client) -> None:
    with pytest.raises(InvalidArgumentError):
        client.subscriptions.list(limit=101)


def test_accounts_see_only_their_own_subscriptions(client: Client, other_client: Client) -> None:
    mine = client.subscriptions.create(BTC_TRADES)
    with pytest.raises(NotFoundError):
        other_client.subscriptions.get(mine.id)
    with pytest.raises(NotFoundError):
        other_client.subscriptions.pause(mine.id)
    theirs = other_client.subscriptions.create(BTC_TRADES)  # their own, no conflict
    assert theirs.id != mine.id


def test_subscriptions_survive_a_restart_with_state(tmp_path: Path) -> None:
    state = tmp_path / "sandbox.db"
    clock = FakeClock()
    key = new_key()
    with start_sandbox(state=state, clock=clock) as sandbox, sandbox.client() as client:
        kept = client.subscriptions.create(BTC_TRADES, idempotency_key=key)
        paused = client.subscriptions.create(ETH_TRADES)
        clock.advance(30)
        client.subscriptions.pause(paused.id)
        spans_before = client.subscriptions.list_spans(paused.id)
        listed_before = list(client.subscriptions.list_all())
    with start_sandbox(state=state, clock=clock) as sandbox, sandbox.client() as client:
        assert list(client.subscriptions.list_all()) == listed_before
        assert client.subscriptions.list_spans(paused.id) == spans_before
        assert client.subscriptions.create(BTC_TRADES, idempotency_key=key) == kept
        client.subscriptions.resume(paused.id)
        assert len(client.subscriptions.list_spans(paused.id)) == 2


@pytest.mark.asyncio
async def test_the_async_clients_documented_example(sandbox: Sandbox) -> None:
    """The subscriptions resource's docstring example, with the async client."""
    from ticksupply import AsyncClient

    async with AsyncClient(API_KEY, base_url=sandbox.url, max_retries=0) as client:
        sub = await client.subscriptions.create(datastream_id=BTC_TRADES)
        await client.subscriptions.pause(sub.id)
        await client.subscriptions.resume(sub.id)
        listed = [(s.id, s.status.value) async for s in client.subscriptions.list_all()]
        assert listed == [(sub.id, "active")]
        assert len(await client.subscriptions.list_spans(sub.id)) == 2
        await client.subscriptions.delete(sub.id)
        with pytest.raises(NotFoundError):
            await client.subscriptions.get(sub.id)

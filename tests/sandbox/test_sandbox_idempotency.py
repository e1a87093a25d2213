"""Idempotency-Key on POST and DELETE: replay, conflicts, format, scope, expiry, in-flight."""

from __future__ import annotations

import threading
import time
import uuid

import httpx
import pytest
from ticksupply import Client
from ticksupply.exceptions import ConflictError, InvalidArgumentError, NotFoundError

from schemac.sandbox import Sandbox, start_sandbox
from schemac.sandbox.pauses import PausePoints

from .conftest import API_KEY
from .helpers import PRICE_COLUMN, TS_COLUMN, FakeClock, create_body, new_key


def _custom_ids(client: Client) -> list[str]:
    return [item.id for item in client.export_schemas.list() if not item.is_built_in]


def test_create_replays_the_original_response(client: Client) -> None:
    key = new_key()
    first = client.export_schemas.create("s", "trade", columns=[TS_COLUMN], idempotency_key=key)
    second = client.export_schemas.create("s", "trade", columns=[TS_COLUMN], idempotency_key=key)
    assert second.model_dump() == first.model_dump()
    assert _custom_ids(client) == [first.id]


def test_replay_is_marked_and_keeps_status_and_body(sandbox: Sandbox) -> None:
    headers = {"X-Api-Key": API_KEY, "Idempotency-Key": new_key()}
    with httpx.Client(base_url=sandbox.url, headers=headers) as http:
        first = http.post("/export-schemas", json=create_body())
        second = http.post("/export-schemas", json=create_body())
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json() == second.json()
    assert "Idempotent-Replayed" not in first.headers
    assert second.headers["Idempotent-Replayed"] == "true"
    assert first.headers["X-Request-Id"] != second.headers["X-Request-Id"]


def test_fingerprint_ignores_json_key_order_and_whitespace(sandbox: Sandbox) -> None:
    headers = {
        "X-Api-Key": API_KEY,
        "Idempotency-Key": new_key(),
        "Content-Type": "application/json",
    }
    compact = (
        b'{"name":"s","stream_category":"trade",'
        b'"columns":[{"output_column":"ts","meta":{"value":"collection_timestamp_ns"}}]}'
    )
    reordered = (
        b'{ "columns": [ {"meta": {"value": "collection_timestamp_ns"}, "output_column": "ts"} ],'
        b' "stream_category": "trade", "name": "s" }'
    )
    with httpx.Client(base_url=sandbox.url, headers=headers) as http:
        first = http.post("/export-schemas", content=compact)
        second = http.post("/export-schemas", content=reordered)
    assert second.status_code == 201 and second.json()["id"] == first.json()["id"]


@pytest.mark.parametrize("change", ["body", "path", "method"])
def test_same_key_for_another_request_is_409(client: Client, change: str) -> None:
    key = new_key()
    schema = client.export_schemas.create("s", "trade", columns=[TS_COLUMN], idempotency_key=key)
    with pytest.raises(ConflictError) as raised:
        if change == "body":
            client.export_schemas.create("s", "trade", columns=[PRICE_COLUMN], idempotency_key=key)
        elif change == "path":
            client.export_schemas.create_draft(schema.id, idempotency_key=key)
        else:
            client.export_schemas.delete(schema.id, idempotency_key=key)
    assert raised.value.http_status == 409 and raised.value.code == "already_exists"
    assert raised.value.details == {"idempotency_key": key, "reason": "fingerprint_mismatch"}
    assert client.export_schemas.get(schema.id).has_draft is False


def test_keys_are_scoped_per_account(client: Client, other_client: Client) -> None:
    key = new_key()
    mine = client.export_schemas.create("s", "trade", columns=[TS_COLUMN], idempotency_key=key)
    theirs = other_client.export_schemas.create(
        "s", "trade", columns=[PRICE_COLUMN], idempotency_key=key
    )
    assert mine.id != theirs.id


def test_the_four_uuid_spellings_name_the_same_key(client: Client) -> None:
    value = uuid.uuid4()
    spellings = [str(value), value.hex, f"{{{value}}}", f"urn:uuid:{value}", str(value).upper()]
    results = [
        client.export_schemas.create("s", "trade", columns=[TS_COLUMN], idempotency_key=spelling)
        for spelling in spellings
    ]
    assert len({result.id for result in results}) == 1
    # Any UUID version is a valid key, not only v4.
    v1 = client.export_schemas.create(
        "t", "trade", columns=[TS_COLUMN], idempotency_key=str(uuid.uuid1())
    )
    assert v1.name == "t"


@pytest.mark.parametrize(
    "key",
    [
        "retry-1",
        "",
        "0" * 31,
        "0" * 33,
        "3f2b8c1e-7d4a-4e6b-9c0d-5a1f2e3b4c5d" + "0",
        "1234-5678-1234-5678-1234-5678-1234-5678",
        "{" + "3f2b8c1e-7d4a-4e6b-9c0d-5a1f2e3b4c5d",
        "urn:uuid:" + "3f2b8c1e7d4a4e6b9c0d5a1f2e3b4c5d",
        "u" * 129,
    ],
)
def test_invalid_keys_are_400(client: Client, key: str) -> None:
    with pytest.raises(InvalidArgumentError) as raised:
        client.export_schemas.create("s", "trade", columns=[TS_COLUMN], idempotency_key=key)
    assert raised.value.details == {"field": "Idempotency-Key"}
    assert _custom_ids(client) == []


def test_delete_replay_returns_204_instead_of_404(client: Client) -> None:
    schema = client.export_schemas.create("s", "trade", columns=[TS_COLUMN])
    key = new_key()
    client.export_schemas.delete(schema.id, idempotency_key=key)
    client.export_schemas.delete(schema.id, idempotency_key=key)  # replayed 204, no error
    with pytest.raises(NotFoundError):
        client.export_schemas.delete(schema.id, idempotency_key=new_key())


def test_publish_replay_never_publishes_twice(client: Client) -> None:
    schema = client.export_schemas.create("s", "trade", columns=[TS_COLUMN])
    client.export_schemas.create_draft(schema.id, columns=[PRICE_COLUMN])
    key = new_key()
    first = client.export_schemas.publish_draft(schema.id, idempotency_key=key)
    client.export_schemas.create_draft(schema.id, columns=[TS_COLUMN, PRICE_COLUMN])
    second = client.export_schemas.publish_draft(schema.id, idempotency_key=key)
    assert first.version == second.version == 2
    current = client.export_schemas.get(schema.id)
    assert (current.version, current.has_draft) == (2, True)


def test_draft_and_discard_replays(client: Client) -> None:
    schema = client.export_schemas.create("s", "trade", columns=[TS_COLUMN])
    draft_key, discard_key = new_key(), new_key()
    client.export_schemas.create_draft(schema.id, columns=[PRICE_COLUMN], idempotency_key=draft_key)
    client.export_schemas.discard_draft(schema.id, idempotency_key=discard_key)
    replayed = client.export_schemas.create_draft(
        schema.id, columns=[PRICE_COLUMN], idempotency_key=draft_key
    )
    assert replayed.has_draft is True  # the original response...
    assert client.export_schemas.get(schema.id).has_draft is False  # ...but no new draft
    client.export_schemas.discard_draft(schema.id, idempotency_key=discard_key)


def test_outcomes_of_the_work_are_replayed_even_when_errors(client: Client) -> None:
    original = client.export_schemas.create("s", "trade", columns=[TS_COLUMN])
    key = new_key()
    with pytest.raises(ConflictError):
        client.export_schemas.create("s", "trade", columns=[TS_COLUMN], idempotency_key=key)
    client.export_schemas.delete(original.id)
    with pytest.raises(ConflictError) as raised:
        client.export_schemas.create("s", "trade", columns=[TS_COLUMN], idempotency_key=key)
    assert raised.value.details is not None and raised.value.details["id"] == original.id


def test_validation_failures_do_not_use_up_the_key(client: Client) -> None:
    key = new_key()
    with pytest.raises(InvalidArgumentError):
        client.export_schemas.create("s", "trade", columns=[], idempotency_key=key)
    created = client.export_schemas.create("s", "trade", columns=[TS_COLUMN], idempotency_key=key)
    assert created.version == 1


def test_keys_expire_after_24_hours() -> None:
    clock = FakeClock()
    with start_sandbox(clock=clock) as sandbox, sandbox.client() as client:
        key = new_key()
        first = client.export_schemas.create("a", "trade", columns=[TS_COLUMN], idempotency_key=key)
        clock.advance(24 * 3600 - 1)
        again = client.export_schemas.create("a", "trade", columns=[TS_COLUMN], idempotency_key=key)
        assert again.id == first.id
        clock.advance(2)
        # Expired: the key is free for another request, and the old request would run again.
        other = client.export_schemas.create("b", "trade", columns=[TS_COLUMN], idempotency_key=key)
        assert other.id != first.id and other.name == "b"


def _post_in_thread(sandbox: Sandbox, key: str, results: list[httpx.Response]) -> threading.Thread:
    def post() -> None:
        headers = {"X-Api-Key": API_KEY, "Idempotency-Key": key}
        results.append(
            httpx.post(f"{sandbox.url}/export-schemas", json=create_body(), headers=headers)
        )

    thread = threading.Thread(target=post)
    thread.start()
    return thread


def test_a_retry_during_the_original_waits_for_its_response() -> None:
    with start_sandbox(mutation_delay=0.4) as sandbox:
        key, results = new_key(), list[httpx.Response]()
        first = _post_in_thread(sandbox, key, results)
        time.sleep(0.1)
        second = _post_in_thread(sandbox, key, results)
        first.join()
        second.join()
        assert [r.status_code for r in results] == [201, 201]
        assert results[0].json() == results[1].json()
        # Either may finish first; exactly one of them is the replay.
        assert sorted("Idempotent-Replayed" in r.headers for r in results) == [False, True]
        with sandbox.client() as client:
            assert len(_custom_ids(client)) == 1


def test_a_retry_that_waits_too_long_gets_409_in_progress() -> None:
    # The original is held (pause point) until the retry has given up: no race on timing.
    pauses = PausePoints(lambda arrival: arrival.method == "POST")
    # The pauses exit first: a failing assertion releases what is held before the stop.
    with start_sandbox(idempotency_wait=0.1, pause_points=pauses) as sandbox, pauses:
        key, waited, original = new_key(), list[httpx.Response](), list[httpx.Response]()
        first = _post_in_thread(sandbox, key, original)
        held = pauses.next_held(timeout=10)
        assert held is not None  # the original owns the key and has not done its work
        second = _post_in_thread(sandbox, key, waited)
        second.join()
        held.release()
        first.join()
        assert original[0].status_code == 201
        assert waited[0].status_code == 409
        assert waited[0].json()["error"]["details"] == {
            "idempotency_key": key,
            "reason": "in_progress",
        }

"""Each documented exports call through the official client, over real HTTP: create (times in
every documented spelling, idempotent), get, list (and ``list_all``), cancel, delete, download,
and the artifact URLs the sandbox serves; the status moving over a fake clock; failures."""

from __future__ import annotations

import gzip
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from ticksupply import (
    ConflictError,
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
)

from schemac.sandbox import Sandbox, start_sandbox

from .conftest import API_KEY, OTHER_API_KEY
from .helpers import FakeClock

HOUR_NS = 3600 * 10**9
NOW = 1_767_225_600  # 2026-01-01T00:00:00Z: the fake clock's start


def _window(hours_back: int = 2, hours: int = 2) -> tuple[int, int]:
    start = (NOW - hours_back * 3600) * 10**9
    return start, start + hours * HOUR_NS


def trades_of(client: Any) -> int:
    """binance:BTCUSDT:trade, found as a user finds it."""
    found = client.datastreams.list(exchange="binance", instrument="BTCUSDT", stream_type="trade")
    return int(found.items[0].datastream_id)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(float(NOW))


@pytest.fixture
def timed(clock: FakeClock) -> Iterator[Sandbox]:
    """A sandbox on a fake clock whose exports take 10 s."""
    with start_sandbox([API_KEY, OTHER_API_KEY], clock=clock, export_delay=10) as sandbox:
        yield sandbox


@pytest.fixture
def client(timed: Sandbox) -> Iterator[Any]:
    with timed.client(API_KEY) as official:
        official.subscriptions.create(datastream_id=trades_of(official))
        yield official


def test_an_export_is_queued_then_running_then_succeeded_as_the_clock_moves(
    client: Any, clock: FakeClock
) -> None:
    start, end = _window()
    job = client.exports.create(trades_of(client), start, end)
    assert job.id.startswith("exp_") and len(job.id) == 36
    assert (job.datastream_id, job.start_time, job.end_time) == (trades_of(client), start, end)
    assert (job.status.value, job.format, job.started_at) == ("queued", "csv", None)
    clock.advance(5)
    running = client.exports.get(job.id)
    assert running.status.value == "running" and running.started_at is not None
    assert running.finished_at is None
    with pytest.raises(InvalidArgumentError) as early:
        client.exports.get_download(job.id)
    assert early.value.details == {"export_id": job.id, "status": "running"}
    clock.advance(5)
    done = client.exports.get(job.id)
    assert done.status.value == "succeeded" and done.finished_at is not None
    assert done.reason is None


def test_the_download_lists_one_part_per_hour_served_from_signed_urls(
    client: Any, clock: FakeClock, timed: Sandbox
) -> None:
    start, end = _window(hours_back=3, hours=3)
    job = client.exports.create(trades_of(client), start, end)
    clock.advance(10)
    download = client.exports.get_download(job.id)
    assert download.count == 3 == len(download.artifacts)
    assert [a.filename for a in download.artifacts] == [
        "binance_BTCUSDT_trade_part_2025123121.csv.gz",
        "binance_BTCUSDT_trade_part_2025123122.csv.gz",
        "binance_BTCUSDT_trade_part_2025123123.csv.gz",
    ]
    assert download.total_bytes == sum(a.bytes for a in download.artifacts)
    first = download.artifacts[0]
    assert first.id.startswith("art_")
    assert first.url.startswith(timed.url.removesuffix("/v1") + "/artifacts/")
    response = httpx.get(first.url)  # no API key: the signature is the permission
    assert response.status_code == 200
    assert response.headers["Content-Length"] == str(first.bytes) == str(len(response.content))
    assert response.headers["Content-Type"] == "application/gzip"
    lines = gzip.decompress(response.content).decode().splitlines()
    assert lines[0] == "collection_timestamp_ns,raw"
    times = [int(line.split(",", 1)[0]) for line in lines[1:]]
    assert times == sorted(times) and start <= times[0] and times[-1] < start + HOUR_NS
    assert len(times) > 3000  # one message a second, by default


def test_artifact_urls_expire_after_five_minutes_and_refuse_tampering(
    client: Any, clock: FakeClock
) -> None:
    job = client.exports.create(trades_of(client), *_window())
    clock.advance(10)
    url = client.exports.get_download(job.id).artifacts[0].url
    clock.advance(300)
    assert httpx.get(url).status_code == 200
    assert httpx.head(url).headers["Content-Length"] == httpx.get(url).headers["Content-Length"]
    assert httpx.get(url.replace("signature=", "signature=0")).status_code == 403
    assert httpx.post(url).status_code == 405
    clock.advance(1)
    expired = httpx.get(url)
    assert expired.status_code == 403
    assert expired.json()["error"]["code"] == "permission_denied"
    fresh = client.exports.get_download(job.id).artifacts[0].url  # a new call: new URLs
    assert httpx.get(fresh).status_code == 200


def test_list_pages_in_creation_order_and_list_all_walks_every_page(client: Any) -> None:
    stream = trades_of(client)
    created = [client.exports.create(stream, *_window(hours=1)).id for _ in range(5)]
    page = client.exports.list(limit=2)
    assert [job.id for job in page.items] == created[:2]
    assert (page.total, page.limit, page.has_next) == (5, 2, True)
    second = client.exports.list(limit=2, page_token=page.next_page_token)
    assert [job.id for job in second.items] == created[2:4]
    assert [job.id for job in client.exports.list_all(limit=2)] == created
    assert client.exports.list().limit == 50
    with pytest.raises(InvalidArgumentError):
        client.exports.list(limit=101)
    with pytest.raises(InvalidArgumentError):
        client.exports.list(page_token="nonsense")


def test_cancel_stops_a_queued_export_and_refuses_a_finished_one(
    client: Any, clock: FakeClock
) -> None:
    job = client.exports.create(trades_of(client), *_window())
    client.exports.cancel(job.id)
    client.exports.cancel(job.id)  # idempotent: still canceled
    clock.advance(60)
    canceled = client.exports.get(job.id)
    assert canceled.status.value == "canceled" and canceled.started_at is None
    assert canceled.finished_at is not None
    with pytest.raises(InvalidArgumentError):
        client.exports.get_download(job.id)
    done = client.exports.create(trades_of(client), *_window())
    clock.advance(10)
    with pytest.raises(InvalidArgumentError) as refused:
        client.exports.cancel(done.id)
    assert refused.value.details["status"] == "succeeded"


def test_delete_removes_the_export_and_its_files(client: Any, clock: FakeClock) -> None:
    job = client.exports.create(trades_of(client), *_window())
    clock.advance(10)
    url = client.exports.get_download(job.id).artifacts[0].url
    key = str(uuid.uuid4())
    client.exports.delete(job.id, idempotency_key=key)
    client.exports.delete(job.id, idempotency_key=key)  # replayed: no error
    with pytest.raises(NotFoundError):
        client.exports.get(job.id)
    with pytest.raises(NotFoundError):
        client.exports.delete(job.id)
    assert httpx.get(url).status_code == 404
    queued = client.exports.create(trades_of(client), *_window())
    client.exports.delete(queued.id)  # in any status
    assert client.exports.list().total == 0


def test_create_with_an_idempotency_key_makes_one_export(client: Any) -> None:
    key = str(uuid.uuid4())
    start, end = _window()
    first = client.exports.create(trades_of(client), start, end, idempotency_key=key)
    again = client.exports.create(trades_of(client), start, end, idempotency_key=key)
    assert again.id == first.id
    assert client.exports.list().total == 1
    with pytest.raises(ConflictError):
        client.exports.create(trades_of(client), start, end + 1, idempotency_key=key)


def test_an_export_needs_a_known_datastream_and_a_live_subscription(
    client: Any, timed: Sandbox
) -> None:
    with pytest.raises(NotFoundError):
        client.exports.create(999_999, *_window())
    mine = client.exports.create(trades_of(client), *_window())
    with timed.client(OTHER_API_KEY) as other:
        with pytest.raises(PermissionDeniedError):
            other.exports.create(trades_of(client), *_window())
        with pytest.raises(NotFoundError):  # exports belong to an account
            other.exports.get(mine.id)


def test_a_paused_subscription_still_exports_and_a_deleted_one_does_not(client: Any) -> None:
    subscription = client.subscriptions.list().items[0]
    client.subscriptions.pause(subscription.id)
    assert client.exports.create(trades_of(client), *_window()).status.value == "queued"
    client.subscriptions.delete(subscription.id)
    with pytest.raises(PermissionDeniedError):
        client.exports.create(trades_of(client), *_window())


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2025-12-31T22:00:00Z", "2025-12-31T23:00:00.000000000Z"),
        ("2025-12-31T23:00:00+01:00", "1767222000000000000"),
        (1767218400000000000, "2026-01-01T00:00:00+01:00"),
    ],
)
def test_every_documented_time_spelling_is_read_as_nanoseconds(
    client: Any, start: object, end: object
) -> None:
    job = client.exports.create(trades_of(client), start, end)
    assert (job.start_time, job.end_time) == (1767218400000000000, 1767222000000000000)


def test_bad_times_are_400_naming_the_field(client: Any) -> None:
    for start, end, field in [
        ("yesterday", "2026-01-01T00:00:00Z", "start_time"),
        ("2025-12-31T23:00:00", "2026-01-01T00:00:00Z", "start_time"),  # no zone
        ("2026-01-01T00:00:00Z", "2025-12-31T00:00:00Z", "end_time"),
    ]:
        with pytest.raises(InvalidArgumentError) as bad:
            client.exports.create(trades_of(client), start, end)
        assert bad.value.details["field"] == field


def test_export_fail_rate_fails_a_seeded_share_of_exports_with_a_reason(
    clock: FakeClock,
) -> None:
    statuses = []
    for _ in range(2):
        with (
            start_sandbox(clock=clock, export_delay=0, export_fail_rate=0.5, fault_seed=7) as box,
            box.client() as client,
        ):
            client.subscriptions.create(datastream_id=trades_of(client))
            jobs = [client.exports.create(trades_of(client), *_window(hours=1)) for _ in range(20)]
            failed = [job for job in jobs if job.status.value == "failed"]
            assert 0 < len(failed) < 20
            assert all("--export-fail-rate" in (job.reason or "") for job in failed)
            with pytest.raises(InvalidArgumentError):
                client.exports.get_download(failed[0].id)
            statuses.append([job.status.value for job in jobs])
    assert statuses[0] == statuses[1]  # the same seed, the same failures


def test_format_and_options_through_the_http_layer(timed: Sandbox) -> None:
    """The client has no ``format``: a plain POST names it (schemac's export command does the
    same through the client's HTTP layer)."""
    start, end = _window()
    with httpx.Client(base_url=timed.url, headers={"X-Api-Key": API_KEY}, timeout=10) as http:
        stream = http.get("/datastreams", params={"exchange": "binance"}).json()["items"][0]
        body = {"datastream_id": stream["datastream_id"], "start_time": start, "end_time": end}
        assert http.post("/subscriptions", json={"datastream_id": body["datastream_id"]})
        csv_job = http.post("/exports", json=body).json()
        assert (csv_job["format"], csv_job["format_options"]) == ("csv", {})
        parquet = http.post("/exports", json={**body, "format": "parquet"})
        assert parquet.status_code == 202
        assert parquet.json()["format_options"] == {"compression": "zstd"}
        fetched = http.get(f"/exports/{parquet.json()['id']}").json()
        assert fetched["format_options"] == {"compression": "zstd"}  # echoed on every response
        for options, fmt in [
            ({"compression": "zstd"}, "csv"),
            ({"compression": "brotli"}, "parquet"),
            ({"level": 3}, "parquet"),
        ]:
            bad = http.post("/exports", json={**body, "format": fmt, "format_options": options})
            assert bad.status_code == 400, bad.text
            assert bad.json()["error"]["code"] == "invalid_argument"
            assert bad.json()["error"]["details"]["field"].startswith("format_options")


def test_a_malformed_export_id_is_400_and_an_unknown_one_404(client: Any) -> None:
    with pytest.raises(InvalidArgumentError):
        client.exports.get("exp_nope")
    with pytest.raises(NotFoundError):
        client.exports.get("exp_" + "0" * 32)


def test_an_export_holds_what_availability_reports_and_nothing_newer(clock: FakeClock) -> None:
    with (
        start_sandbox(clock=clock, export_delay=0, ingestion_delay=600) as sandbox,
        sandbox.client() as client,
    ):
        stream = trades_of(client)
        client.subscriptions.create(datastream_id=stream)
        collected = client.availability.get(datastream_id=stream).ranges[-1]
        job = client.exports.create(stream, *_window(hours_back=1, hours=1))  # up to now
        rows = 0
        for artifact in client.exports.get_download(job.id).artifacts:
            lines = gzip.decompress(httpx.get(artifact.url).content).decode().splitlines()[1:]
            rows += len(lines)
            assert all(int(line.split(",", 1)[0]) < collected.to_ns for line in lines)
        assert collected.to_ns == (NOW - 600) * 10**9
        in_window = client.availability.get(datastream_id=stream)
        assert rows == sandbox.messages.count(
            sandbox.catalog.datastream(stream),  # type: ignore[arg-type]
            (NOW - 3600) * 10**9,
            in_window.ranges[-1].to_ns,
        )


def test_artifact_urls_are_outside_rate_limits_and_faults(
    clock: FakeClock, no_retry_wait: None
) -> None:
    with (
        start_sandbox(
            clock=clock, export_delay=0, fault_rate=0.3, fault_seed=3, rate_limit_per_minute=12
        ) as sandbox,
        sandbox.client(max_retries=10) as client,
    ):
        client.subscriptions.create(datastream_id=trades_of(client))
        job = client.exports.create(trades_of(client), *_window(hours=1))
        url = client.exports.get_download(job.id).artifacts[0].url
        faults_before = sum(sandbox.fault_counts.values())
        assert [httpx.get(url).status_code for _ in range(30)] == [200] * 30
        assert sum(sandbox.fault_counts.values()) == faults_before

"""Injected faults are reproducible, and idempotent retries make them harmless."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TypeVar

import pytest
from ticksupply import Client
from ticksupply.exceptions import NetworkError, ServerError

from schemac.sandbox import start_sandbox

from .helpers import PRICE_COLUMN, TS_COLUMN, new_key

T = TypeVar("T")


def _retry(operation: Callable[..., T], journal: list[str], *, keyed: bool = True) -> T:
    """Call ``operation`` until it gets an answer, passing the same ``idempotency_key`` each
    time (when ``keyed``), as a careful caller would. Records each failure in ``journal``."""
    key = new_key()
    for _ in range(30):
        try:
            return operation(idempotency_key=key) if keyed else operation()
        except ServerError as failure:
            journal.append(f"{failure.http_status}")
        except NetworkError:
            journal.append("dropped")
    raise AssertionError("no answer after many retries")


def _workload(client: Client, journal: list[str]) -> list[str]:
    """Create, draft and publish ten schemas, then delete three, retrying through faults."""
    resource = client.export_schemas
    ids = []
    for index in range(10):
        schema = _retry(partial(resource.create, f"schema_{index}", "trade", [TS_COLUMN]), journal)
        ids.append(schema.id)
        _retry(
            partial(resource.create_draft, schema.id, columns=[TS_COLUMN, PRICE_COLUMN]), journal
        )
        published = _retry(partial(resource.publish_draft, schema.id), journal)
        assert published.version == 2
    for schema_id in ids[:3]:
        _retry(partial(resource.delete, schema_id), journal)
    return ids


def _final_state(client: Client) -> list[tuple[str, int, bool]]:
    items = _retry(client.export_schemas.list, [], keyed=False)
    return [(item.name, item.version, item.has_draft) for item in items if not item.is_built_in]


def test_faults_happen_and_retries_with_a_key_never_repeat_work() -> None:
    with start_sandbox(fault_rate=0.3, fault_seed=7) as sandbox, sandbox.client() as client:
        journal: list[str] = []
        _workload(client, journal)
        counts = sandbox.fault_counts
        state = _final_state(client)
    assert counts["unavailable"] > 0
    assert counts["drop_connection"] > 0
    assert counts["internal_after_commit"] > 0
    assert journal.count("503") >= 1 and journal.count("500") >= 1 and "dropped" in journal
    # Ten creates and ten publishes, each exactly once, despite the lost responses.
    assert state == [(f"schema_{index}", 2, False) for index in range(3, 10)]


def test_the_same_seed_gives_the_same_faults() -> None:
    runs: list[tuple[list[str], dict[str, int]]] = []
    for _ in range(2):
        with start_sandbox(fault_rate=0.3, fault_seed=7) as sandbox, sandbox.client() as client:
            journal: list[str] = []
            _workload(client, journal)
            runs.append((journal, sandbox.fault_counts))
    assert runs[0] == runs[1]
    with start_sandbox(fault_rate=0.3, fault_seed=8) as sandbox, sandbox.client() as client:
        journal = []
        _workload(client, journal)
    assert journal != runs[0][0]


def test_the_official_clients_own_retries_succeed_through_faults(no_retry_wait: None) -> None:
    with (
        start_sandbox(fault_rate=0.3, fault_seed=11) as sandbox,
        sandbox.client(max_retries=8) as client,
    ):
        resource = client.export_schemas
        for index in range(8):
            schema = resource.create(f"s{index}", "trade", [TS_COLUMN], idempotency_key=new_key())
            resource.create_draft(schema.id, columns=[PRICE_COLUMN], idempotency_key=new_key())
            assert resource.publish_draft(schema.id, idempotency_key=new_key()).version == 2
        assert sum(sandbox.fault_counts.values()) > 0
        listing = resource.list()
    custom = sorted((i.name, i.version) for i in listing if not i.is_built_in)
    assert custom == [(f"s{index}", 2) for index in range(8)]


def _fault_kinds(seed: int, rate: float, requests: int) -> list[str | None]:
    from schemac.sandbox.faults import FaultInjector

    injector = FaultInjector(rate, seed)
    return [None if (fault := injector.draw()) is None else fault.value for _ in range(requests)]


def test_without_a_key_a_lost_create_comes_back_as_a_conflict() -> None:
    """Why keys matter: the first create is committed but its response lost; a retry without a
    key cannot tell, and the sandbox answers it as a second create (409)."""
    from ticksupply.exceptions import ConflictError

    seed = next(
        seed
        for seed in range(10_000)
        if _fault_kinds(seed, 0.5, 2) == ["internal_after_commit", None]
    )
    with start_sandbox(fault_rate=0.5, fault_seed=seed) as sandbox, sandbox.client() as client:
        with pytest.raises(ServerError) as lost:
            client.export_schemas.create("s", "trade", [TS_COLUMN])
        assert lost.value.http_status == 500
        with pytest.raises(ConflictError):
            client.export_schemas.create("s", "trade", [TS_COLUMN])


def test_fault_rate_one_fails_every_request_and_zero_none() -> None:
    with start_sandbox(fault_rate=1.0, fault_seed=1) as sandbox, sandbox.client() as client:
        for _ in range(5):
            with pytest.raises((ServerError, NetworkError)):
                client.export_schemas.list()
        assert sum(sandbox.fault_counts.values()) == 5
    with start_sandbox() as sandbox, sandbox.client() as client:
        for _ in range(20):
            client.export_schemas.list()
        assert sum(sandbox.fault_counts.values()) == 0

"""Many clients at once: state stays consistent, races resolve to one winner."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import pytest
from ticksupply.exceptions import APIError, ConflictError, NotFoundError

from schemac.sandbox import Sandbox, start_sandbox

from .helpers import PRICE_COLUMN, TS_COLUMN, columns

THREADS = 8
T = TypeVar("T")


@pytest.fixture(params=["memory", "file"])
def busy_sandbox(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Sandbox]:
    state = tmp_path / "state.db" if request.param == "file" else None
    # Limits out of the way: these tests send more than the default 200 requests a minute.
    with start_sandbox(
        state=state, rate_limit_per_minute=10**6, rate_limit_per_hour=10**6
    ) as sandbox:
        yield sandbox


def _all_at_once(task: Callable[[int], T]) -> list[T | APIError]:
    """Run ``task(index)`` in THREADS threads released together; API errors are results."""
    barrier = threading.Barrier(THREADS)

    def run(index: int) -> T | APIError:
        barrier.wait()
        try:
            return task(index)
        except APIError as failure:
            return failure

    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(run, range(THREADS)))


def test_racing_creates_of_one_name_give_one_201_and_the_rest_409(busy_sandbox: Sandbox) -> None:
    clients = [busy_sandbox.client() for _ in range(THREADS)]
    results = _all_at_once(
        lambda index: clients[index].export_schemas.create("contested", "trade", [TS_COLUMN])
    )
    kinds = Counter(type(result).__name__ for result in results)
    assert kinds == Counter({"ExportSchemaWithVersion": 1, "ConflictError": THREADS - 1})
    listing = clients[0].export_schemas.list()
    for client in clients:
        client.close()
    assert [item.name for item in listing if not item.is_built_in] == ["contested"]


def test_parallel_draft_and_publish_cycles_on_separate_schemas(busy_sandbox: Sandbox) -> None:
    cycles = 5

    def work(index: int) -> int:
        with busy_sandbox.client() as client:
            resource = client.export_schemas
            schema = resource.create(f"schema_{index}", "trade", [TS_COLUMN])
            for cycle in range(cycles):
                resource.create_draft(schema.id)
                resource.update_draft(schema.id, columns=[TS_COLUMN, *columns(cycle + 1)])
                resource.publish_draft(schema.id)
            return resource.get(schema.id).version

    assert _all_at_once(work) == [1 + cycles] * THREADS
    with busy_sandbox.client() as client:
        for item in client.export_schemas.list():
            if not item.is_built_in:
                full = client.export_schemas.get(item.id)
                assert (full.version, full.has_draft, len(full.columns)) == (6, False, 6)


def test_racing_publishes_on_one_schema_count_exactly(busy_sandbox: Sandbox) -> None:
    with busy_sandbox.client() as client:
        shared = client.export_schemas.create("shared", "trade", [TS_COLUMN])

    def work(index: int) -> list[str]:
        outcomes = []
        with busy_sandbox.client() as client:
            for _ in range(4):
                client.export_schemas.create_draft(shared.id, columns=[PRICE_COLUMN])
                try:
                    client.export_schemas.publish_draft(shared.id)
                    outcomes.append("published")
                except NotFoundError:
                    outcomes.append("draft already taken")
        return outcomes

    results = _all_at_once(work)
    answered = [result for result in results if not isinstance(result, APIError)]
    assert len(answered) == THREADS
    published = sum(outcomes.count("published") for outcomes in answered)
    assert published >= 1
    with busy_sandbox.client() as client:
        assert client.export_schemas.get(shared.id).version == 1 + published


def test_mixed_traffic_never_gives_a_server_error(busy_sandbox: Sandbox) -> None:
    def work(index: int) -> Counter[str]:
        seen: Counter[str] = Counter()
        with busy_sandbox.client() as client:
            resource = client.export_schemas
            for round_ in range(6):
                name = f"n{round_ % 3}"  # threads collide on three names
                calls: list[Callable[[], Any]] = [
                    partial(resource.create, name, "quote", [TS_COLUMN]),
                    resource.list,
                ]
                for item in resource.list():
                    if not item.is_built_in:
                        calls += [
                            partial(resource.create_draft, item.id),
                            partial(resource.publish_draft, item.id),
                            partial(resource.delete, item.id),
                        ]
                for call in calls[index % 2 :: 2]:
                    try:
                        call()
                        seen["ok"] += 1
                    except (ConflictError, NotFoundError) as failure:
                        seen[failure.code] += 1
        return seen

    results = _all_at_once(work)
    answered = [result for result in results if not isinstance(result, APIError)]
    assert len(answered) == THREADS
    total: Counter[str] = Counter()
    for seen in answered:
        total.update(seen)
    assert total["ok"] > 0


def test_the_rate_limit_holds_exactly_under_concurrency() -> None:
    from ticksupply.exceptions import RateLimitError

    from .helpers import FakeClock

    with start_sandbox(rate_limit_per_minute=100, clock=FakeClock()) as sandbox:

        def work(index: int) -> Counter[str]:
            seen: Counter[str] = Counter()
            with sandbox.client() as client:
                for _ in range(30):
                    try:
                        client.export_schemas.list()
                        seen["ok"] += 1
                    except RateLimitError:
                        seen["limited"] += 1
            return seen

        total: Counter[str] = Counter()
        for seen in _all_at_once(work):
            assert not isinstance(seen, APIError)
            total.update(seen)
    assert total == Counter({"ok": 100, "limited": THREADS * 30 - 100})

"""One request budget per session: sized from the rate-limit headers, shared by the parallel
workers, Retry-After honoured with jitter; and the remote commands back to back at the API's
default limits (200 a minute)."""

from __future__ import annotations

import random
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from remote.conftest import API_KEY, Env
from remote.helpers_remote import trades_yaml
from remote.request_log import RequestLog
from remote.virtual_clock import VirtualClock
from schemac.remote import client as client_module
from schemac.remote.budget import BudgetSpent, RequestBudget
from schemac.remote.client import Remote, RemoteError, RetryPolicy
from schemac.remote.plan import fetch_remote
from schemac.sandbox import Sandbox, start_sandbox
from schemac.sandbox.api import account_of
from schemac.sandbox.store import StoredSchema

START = 1_800_000_000.0
CONTENT = {"columns": [{"output_column": "ts", "meta": {"value": "collection_timestamp_ns"}}]}


def test_waiting_workers_get_one_slot_each_never_the_same() -> None:
    waits: list[float] = []
    lock = threading.Lock()

    def sleep(seconds: float) -> None:
        with lock:
            waits.append(seconds)

    budget = RequestBudget(clock=lambda: 100.0, sleep=sleep)
    budget.observe({"X-RateLimit-Limit-Minute": "60", "X-RateLimit-Remaining-Minute": "0"})
    workers = [threading.Thread(target=budget.acquire) for _ in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    # 60 a minute: one slot a second; the eight workers wake 1 s apart, not together.
    assert sorted(waits) == [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]


def test_retry_after_holds_every_worker_with_seeded_jitter() -> None:
    def holds(seed: int) -> list[float]:
        waits: list[float] = []
        budget = RequestBudget(clock=lambda: 50.0, sleep=waits.append, rng=random.Random(seed))
        budget.observe({"X-RateLimit-Limit-Minute": "120", "X-RateLimit-Remaining-Minute": "90"})
        hold = budget.pause(2.0)
        assert 2.0 <= hold <= 2.5  # Retry-After plus up to 25 %
        for _ in range(3):
            budget.acquire()
        assert waits == pytest.approx([hold, hold + 0.5, hold + 1.0])  # then one slot each
        return waits

    assert holds(7) == holds(7)  # deterministic for a seed
    assert holds(7) != holds(8)  # two sessions told the same Retry-After part ways


@pytest.mark.parametrize(
    ("reset", "expected"),
    [
        ("30", 30.0),  # older docs: seconds until the window resets
        ("soon", 0.01),  # malformed: ignored; the refill rate (100 a second) decides
    ],
)
def test_an_exhausted_bucket_waits_for_its_reset(reset: str, expected: float) -> None:
    waits: list[float] = []
    budget = RequestBudget(clock=lambda: 1_000_000.0, sleep=waits.append)
    budget.observe(
        {
            "X-RateLimit-Limit-Minute": "6000",
            "X-RateLimit-Remaining-Minute": "0",
            "X-RateLimit-Reset-Minute": reset,
        }
    )
    budget.acquire()
    assert waits == pytest.approx([expected])


def test_an_absolute_reset_time_is_waited_for() -> None:
    waits: list[float] = []
    now = 1_800_000_000.0
    budget = RequestBudget(clock=lambda: now, sleep=waits.append)
    budget.observe(
        {
            "X-RateLimit-Limit-Hour": "10000",
            "X-RateLimit-Remaining-Hour": "0",
            "X-RateLimit-Reset-Hour": str(int(now) + 45),  # current docs: a Unix time
        }
    )
    budget.acquire()
    assert waits == pytest.approx([45.0])
    assert budget.limit("Hour") == 10000 and budget.limit("Minute") == 200  # the default


def test_a_slot_beyond_the_longest_wait_is_reported_not_slept() -> None:
    waits: list[float] = []
    budget = RequestBudget(clock=lambda: 0.0, sleep=waits.append)
    budget.observe(
        {
            "X-RateLimit-Limit-Hour": "10000",
            "X-RateLimit-Remaining-Hour": "0",
            "X-RateLimit-Reset-Hour": "1800",
        }
    )
    with pytest.raises(BudgetSpent, match="spent for 1800 s"):
        budget.acquire()
    assert waits == []


def test_an_hour_budget_spent_fails_the_request_at_once_with_a_message() -> None:
    clock = VirtualClock()
    with start_sandbox([API_KEY], rate_limit_per_hour=2, clock=clock.time) as sandbox:
        log = RequestLog(sandbox)
        budget = RequestBudget(clock=clock.time, sleep=clock.sleep)
        with Remote(API_KEY, sandbox.url, budget=budget) as remote:
            remote.list_schemas()
            remote.list_schemas()
            with pytest.raises(RemoteError, match=r"budget is spent for 1800 s; try again later"):
                remote.list_schemas()
    assert len(log) == 2 and clock.slept == 0.0  # no third request, no hour-long sleep


def _sandbox_with_schemas(count: int, clock: VirtualClock, per_minute: int) -> Sandbox:
    sandbox = start_sandbox([API_KEY], rate_limit_per_minute=per_minute, clock=clock.time)
    with sandbox.app.store.transaction() as tx:
        for i in range(count):
            schema_id = "sch_" + uuid.uuid4().hex
            tx.insert_schema(
                StoredSchema(
                    schema_id, account_of(API_KEY), f"s{i}", "trade", "2026-01-01T00:00:00Z", 1,
                    CONTENT, None,
                )
            )  # fmt: skip
    return sandbox


def test_parallel_gets_share_the_limit_learnt_from_the_headers() -> None:
    clock = VirtualClock()
    with _sandbox_with_schemas(40, clock, 30) as sandbox:
        log = RequestLog(sandbox)
        budget = RequestBudget(clock=clock.time, sleep=clock.sleep, rng=random.Random(1))
        with Remote(API_KEY, sandbox.url, budget=budget) as remote:
            schemas = fetch_remote(remote, None)
    assert all(schema.body is not None for schema in schemas) and len(schemas) == 40
    # 41 requests at 30 a minute: 30 at once, then one every 2 s, none refused.
    assert log.statuses(429) == 0 and remote.rate_limited == 0
    assert log.statuses(200) == 41
    assert clock.slept >= 20.0


def test_a_budget_spent_elsewhere_costs_one_429_not_a_storm() -> None:
    clock = VirtualClock()
    with _sandbox_with_schemas(24, clock, 30) as sandbox:
        log = RequestLog(sandbox)
        other = sandbox.client(API_KEY)  # another program on the same account spends it all
        for _ in range(30):
            other.export_schemas.list()
        other.close()
        budget = RequestBudget(clock=clock.time, sleep=clock.sleep, rng=random.Random(2))
        retry = RetryPolicy(attempts=3)
        with Remote(API_KEY, sandbox.url, budget=budget, retry=retry) as remote:
            schemas = fetch_remote(remote, None)
    assert all(schema.body is not None for schema in schemas)
    # The list meets the empty bucket once; from its Retry-After and headers on, the eight
    # workers take their turns: no second 429, although 3 tries each would have allowed it.
    assert remote.rate_limited == 1 and log.statuses(429) == 1


# -- the remote commands back to back, 150 schemas, the API's default limits -----------------


@pytest.fixture
def project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[Env]:
    """A project of 150 schemas and a sandbox at its default limits, on a virtual clock shared
    with the sessions of the commands (their budgets sleep on it)."""
    clock = VirtualClock(START)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "schemac.toml").write_text("")
    folder = tmp_path / "schemas"
    folder.mkdir()
    for i in range(150):
        (folder / f"s{i}.yaml").write_text(trades_yaml(name=f"s{i}"))
    seeded = random.Random(13)

    def new_budget(sleep: object) -> RequestBudget:
        return RequestBudget(clock=clock.time, sleep=clock.sleep, rng=seeded)

    monkeypatch.setattr(client_module, "new_budget", new_budget)
    with start_sandbox([API_KEY], clock=clock.time) as sandbox:
        assert sandbox.config.rate_limit_per_minute == 200
        monkeypatch.setenv("TICKSUPPLY_API_KEY", API_KEY)
        monkeypatch.setenv("TICKSUPPLY_BASE_URL", sandbox.url)
        yield Env(tmp_path, sandbox, capsys)


def _run(project: Env, *commands: list[str]) -> list[int]:
    """Run ``commands`` back to back, each exiting 0; the requests each one made."""
    log = RequestLog(project.sandbox)
    counts = []
    for command in commands:
        before = len(log)
        result = project.run(*command)
        assert result.code == 0, (command, result.err[-2000:])
        answers = log.since(before)
        # A new session knows the account's budget only from its first answer: that first
        # request may meet a bucket the previous command emptied (and then waits Retry-After);
        # no later request of the session is ever refused.
        refused = [i for i, (_, _, status) in enumerate(answers) if status == 429]
        assert refused in ([], [0]), (command, refused)
        counts.append(len(answers) - len(refused))
    return counts


PUBLISH, PLAN, STATUS = ["publish", "--all", "--yes"], ["plan"], ["status"]


def test_publish_plan_status_plan_of_150_at_default_limits(
    project: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    # With the cache: 154 requests. The publish fills it, so each read command only lists.
    assert _run(project, PUBLISH, PLAN, STATUS, PLAN) == [151, 1, 1, 1]
    cached = project.root / ".schemac" / "cache" / "remote"
    assert len(list(cached.glob("sch_*.json"))) == 150
    # Without it, 453 more requests where the budget holds 200 and refills 200 a minute: the
    # commands wait for their turns (two minutes of the virtual clock); none fails.
    monkeypatch.setenv("SCHEMAC_NO_CACHE", "1")
    assert _run(project, PLAN, STATUS, PLAN) == [151, 151, 151]
    assert project.sandbox.config.clock() - START >= 120.0  # 407 requests past the 200

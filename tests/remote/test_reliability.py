"""Faults, racing publishers and API-key masking, against the sandbox."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from remote.conftest import API_KEY, FAST, Env
from remote.helpers_remote import FEE_COLUMN, trades_yaml
from schemac.cli import main
from schemac.remote.apply import apply_plan
from schemac.remote.budget import RequestBudget
from schemac.remote.client import Masker, Remote, RemoteError, RetryPolicy, describe_error
from schemac.remote.content import same_content
from schemac.remote.local import LocalSchema, compile_text
from schemac.remote.plan import build_plan, fetch_remote
from schemac.sandbox import start_sandbox

PATIENT = RetryPolicy(attempts=30, initial=0.001, cap=0.01)


def local(text: str) -> LocalSchema:
    from schemac.config import Config
    from schemac.core.loader import load_text
    from schemac.core.parse import parse_document
    from schemac.render.wire import to_wire

    root, _ = load_text("x.yaml", text)
    schema, _ = parse_document(root, "x.yaml", Config())
    assert schema is not None
    return LocalSchema(schema, to_wire(schema))


def seed(remote: Remote, texts: list[str]) -> None:
    """Publish ``texts`` as version 1 (fault-tolerant: retries until done)."""
    plan = build_plan(
        [local(t) for t in texts], fetch_remote(remote, None), include_remote_only=False
    )
    result = apply_plan(remote, plan.schemas)
    assert not result.failed, [o.message for o in result.failed]


@pytest.mark.parametrize("seed_value", range(12))
def test_publish_all_under_faults_converges_exactly(
    seed_value: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "schemac.toml").write_text("")
    (tmp_path / "schemas").mkdir()
    old = [trades_yaml(name=f"s{i}") for i in range(4)]
    new = {
        "s0": trades_yaml(name="s0"),  # unchanged: stays v1
        "s1": trades_yaml(FEE_COLUMN, name="s1"),  # changed: v2
        "s2": trades_yaml(FEE_COLUMN, name="s2"),
        "s3": trades_yaml(name="s3"),
        "n0": trades_yaml(name="n0"),  # new: v1
        "n1": trades_yaml(FEE_COLUMN, name="n1"),
    }
    expected = {"s0": 1, "s1": 2, "s2": 2, "s3": 1, "n0": 1, "n1": 1}
    for name, text in new.items():
        (tmp_path / "schemas" / f"{name}.yaml").write_text(text)
    with start_sandbox([API_KEY], fault_rate=0.3, fault_seed=seed_value) as sandbox:
        with Remote(API_KEY, sandbox.url, retry=PATIENT) as remote:
            seed(remote, old)
        monkeypatch.setenv("TICKSUPPLY_API_KEY", API_KEY)
        monkeypatch.setenv("TICKSUPPLY_BASE_URL", sandbox.url)
        codes = []
        for _ in range(20):  # re-run until it succeeds, as an operator (or CI) would
            codes.append(main(["publish", "--all", "--yes", "--retries", "3", *FAST]))
            if codes[-1] == 0:
                break
        assert codes[-1] == 0, codes
        assert sum(sandbox.fault_counts.values()) > 0
        with Remote(API_KEY, sandbox.url, retry=PATIENT) as remote:
            remote_schemas = {s.name: s for s in fetch_remote(remote, None)}
    assert set(remote_schemas) == set(expected)
    for name, version in expected.items():
        schema = remote_schemas[name]
        assert schema.version == version, (name, codes)
        assert not schema.has_draft, name
        body, _ = compile_text(new[name], "x.yaml")
        assert body is not None and same_content(schema.body or {}, body), name
    capsys.readouterr()


# Racing publishers: tests/remote/test_race.py plays every interleaving of two publishers'
# requests (sandbox pause points) and runs the free race 200 times.


def test_stale_plan_is_refused_with_remote_moved(env) -> None:  # type: ignore[no-untyped-def]
    env.write("trades.yaml", trades_yaml())
    assert env.run("publish", "--all", "--yes").code == 0
    with Remote(API_KEY, env.sandbox.url, retry=PATIENT) as remote:
        plan = build_plan(
            [local(trades_yaml(FEE_COLUMN))], fetch_remote(remote, None), include_remote_only=False
        )
        with env.client() as client:  # another writer publishes after our plan
            item = client.export_schemas.list()[-1]
            client.export_schemas.create_draft(item.id)
            client.export_schemas.publish_draft(item.id)
        result = apply_plan(remote, plan.schemas)
    (outcome,) = result.outcomes
    assert outcome.status == "moved" and "moved from 1 to 2" in outcome.message
    with env.client() as client:
        item = client.export_schemas.list()[-1]
        assert item.version == 2 and not item.has_draft  # our draft was discarded


def test_api_key_never_appears_in_any_output(env, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    env.write("trades.yaml", trades_yaml())
    outputs = []
    for args in (
        ["status", "-v"],
        ["plan", "-v"],
        ["publish", "--all", "--yes", "-v"],
        ["pull", "--all", "--dir", str(tmp_path / "p"), "-v"],
        ["plan", "-v", "--api-url", "http://127.0.0.1:9/v1", "--retries", "2"],
        ["plan", "-v", "--api-url", f"http://127.0.0.1:9/{API_KEY}/v1", "--retries", "1"],
    ):
        result = env.run(*args)
        outputs.append(result.out + result.err)
    assert "no response (ConnectError" in outputs[4]
    assert all(API_KEY not in text for text in outputs)
    mask = Masker([API_KEY])
    from ticksupply.exceptions import NetworkError

    assert API_KEY not in describe_error(NetworkError(f"failed with {API_KEY}"), mask)


def test_plan_closes_the_client_when_fetching_fails(
    env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    env.write("trades.yaml", trades_yaml())
    closed: list[bool] = []
    real_close = Remote.close

    def close(self: Remote) -> None:
        closed.append(True)
        real_close(self)

    def fail(*args: Any, **kwargs: Any) -> Any:
        raise RemoteError("GET /export-schemas failed: boom")

    monkeypatch.setattr(Remote, "close", close)
    monkeypatch.setattr("schemac.remote.plan.fetch_remote", fail)
    for command in (["plan"], ["publish", "--all", "--yes"]):
        closed.clear()
        result = env.run(*command)
        assert result.code == 1 and "boom" in result.err
        assert closed == [True]


# -- 429: the client waits what Retry-After says -------------------------------------------------


def test_rate_limited_request_waits_retry_after_and_succeeds() -> None:
    now = [1_000_000.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:  # no real sleep: the sandbox's clock moves instead
        waits.append(seconds)
        now[0] += seconds

    with start_sandbox([API_KEY], rate_limit_per_minute=2, clock=lambda: now[0]) as sandbox:
        budget = RequestBudget(clock=lambda: now[0], sleep=sleep)
        remote = Remote(API_KEY, sandbox.url, retry=RetryPolicy(attempts=3), budget=budget)
        with remote:
            for _ in range(3):
                remote.list_schemas()
    assert waits == [30.0]  # one token per 30 s at 2 a minute
    # The budget learnt the limit from the headers: the third list waited for its slot
    # instead of being refused.
    assert remote.requests["GET"] == 3 and remote.rate_limited == 0


def test_rate_limit_beyond_the_retries_fails_with_a_message() -> None:
    now = [1_000_000.0]
    with start_sandbox([API_KEY], rate_limit_per_minute=1, clock=lambda: now[0]) as sandbox:
        remote = Remote(API_KEY, sandbox.url, retry=RetryPolicy(attempts=2), sleep=lambda s: None)
        with remote:
            remote.list_schemas()
            with pytest.raises(RemoteError, match=r"after 2 tries.*429"):
                remote.list_schemas()

"""Regression tests for the review of the remote workflow: file names from outside, pull
collisions, publish --format json, diff identity, client cleanup, transform types, 429."""

from __future__ import annotations

import json
from typing import Any

import pytest

from remote.conftest import API_KEY, Env
from remote.helpers_remote import trades_yaml
from schemac.remote.client import Remote, RemoteError, RetryPolicy
from schemac.remote.diff import diff_contents
from schemac.remote.local import compile_text
from schemac.sandbox import start_sandbox

# -- import / pull: the file name comes from the schema, which comes from outside -------------


@pytest.mark.parametrize("name", ["../../escape", "a/b", "a\\b", ".hidden", "x\x00y", ".."])
def test_import_refuses_a_name_that_is_not_a_plain_file_name(env: Env, name: str) -> None:
    body, _ = compile_text(trades_yaml(), "t.yaml")
    assert body is not None
    (env.root / "hostile.json").write_text(json.dumps({**body, "name": name}))
    result = env.run("import", "hostile.json", "--dir", "out/inner")
    assert result.code == 1
    assert "not usable as a file name" in result.err
    assert not (env.root / "out").exists()  # nothing written, not even the folder
    assert not (env.root.parent / "escape.yaml").exists()
    assert sorted(p.name for p in env.root.iterdir()) == ["hostile.json", "schemac.toml"]


def test_import_refuses_a_target_that_resolves_outside_the_folder(
    env: Env, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside") / "victim.yaml"
    outside.write_text("keep me\n")
    (env.root / "out").mkdir()
    (env.root / "out" / "trades.yaml").symlink_to(outside)
    body, _ = compile_text(trades_yaml(), "t.yaml")
    (env.root / "trades.json").write_text(json.dumps(body))
    result = env.run("import", "trades.json", "--dir", "out", "--force")
    assert result.code == 1 and "is outside out" in result.err
    assert outside.read_text() == "keep me\n"


def _quotes_yaml() -> str:
    return "name: trades\ncategory: quote\ncolumns:\n  t:\n    meta: collection_timestamp_ns\n"


def test_pull_force_never_overwrites_another_schemas_file(env: Env) -> None:
    env.write("trades@trade.yaml", trades_yaml())
    env.write("trades@quote.yaml", _quotes_yaml())
    published = env.run("publish", "--all", "--yes")
    assert published.code == 0, published.out + published.err
    pulled = env.root / "pulled"
    # One at a time: the collision is known from the account, not from this pull.
    assert env.run("pull", "trades@trade", "--dir", "pulled").code == 0
    assert sorted(p.name for p in pulled.iterdir()) == ["trades@trade.yaml"]
    result = env.run("pull", "trades@quote", "--dir", "pulled", "--force")
    assert result.code == 0, result.err
    assert sorted(p.name for p in pulled.iterdir()) == ["trades@quote.yaml", "trades@trade.yaml"]
    assert "category: trade" in (pulled / "trades@trade.yaml").read_text()
    assert "category: quote" in (pulled / "trades@quote.yaml").read_text()


def test_pull_rewrites_the_file_that_holds_the_schema_and_keeps_others(env: Env) -> None:
    env.write("trades@trade.yaml", trades_yaml())
    env.write("trades@quote.yaml", _quotes_yaml())
    assert env.run("publish", "--all", "--yes").code == 0
    pulled = env.root / "pulled"
    pulled.mkdir()
    # The user keeps the trade schema in trades.yaml (an older layout): it is updated in place.
    (pulled / "trades.yaml").write_text(trades_yaml() + "# mine\n")
    result = env.run("pull", "trades@trade", "--dir", "pulled", "--force")
    assert result.code == 0 and "wrote     pulled/trades.yaml" in result.out
    assert not (pulled / "trades@trade.yaml").exists()
    # The quote schema never lands in trades.yaml, and a file holding another schema where
    # the quote schema would go is kept, even with --force.
    (pulled / "trades@quote.yaml").write_text(trades_yaml(name="other"))
    refused = env.run("pull", "trades@quote", "--dir", "pulled", "--force")
    assert refused.code == 1
    assert (
        "holds another schema (other@trade)" in refused.err and "even with --force" in refused.err
    )
    assert "name: other" in (pulled / "trades@quote.yaml").read_text()
    assert "category: trade" in (pulled / "trades.yaml").read_text()


def test_import_uses_name_at_category_when_the_folder_has_the_name_in_another_category(
    env: Env,
) -> None:
    env.write("trades.yaml", trades_yaml())
    body, _ = compile_text(_quotes_yaml(), "q.yaml")
    (env.root / "quotes.json").write_text(json.dumps(body))
    result = env.run("import", "quotes.json", "--dir", "schemas", "--force")
    assert result.code == 0, result.err
    assert "category: trade" in (env.root / "schemas" / "trades.yaml").read_text()
    assert "category: quote" in (env.root / "schemas" / "trades@quote.yaml").read_text()


# -- publish --format json: stdout is one JSON document ----------------------------------------


def test_publish_json_prints_exactly_one_document(env: Env) -> None:
    env.write("trades.yaml", trades_yaml())
    first = env.run("publish", "--all", "--yes", "--format", "json")
    assert first.code == 0, first.err
    document = json.loads(first.out)
    assert document["result"] == "applied"
    assert [(o["name"], o["status"], o["version"]) for o in document["outcomes"]] == [
        ("trades", "created", 1)
    ]
    assert document["schemas"][0]["action"] == "create"
    again = env.run("publish", "--all", "--yes", "--format", "json")
    assert again.code == 0
    assert json.loads(again.out)["result"] == "nothing to publish"
    assert "Nothing to publish" in again.err
    without_price = trades_yaml().replace("  price:\n    type: decimal(18)\n    from: data.p\n", "")
    env.write("trades.yaml", without_price)  # a column removed: breaking
    refused = env.run("publish", "--all", "--yes", "--format", "json")
    assert refused.code == 1
    assert json.loads(refused.out)["result"] == "refused"
    dry = env.run("publish", "--all", "--allow-breaking", "--dry-run", "--format", "json")
    assert dry.code == 0 and json.loads(dry.out)["result"] == "dry run"


# -- diff --against: the baseline is matched by (name, category) --------------------------------


def _git_base(env: Env) -> None:
    env.git("init", "-q")
    env.git("config", "user.email", "t@example.com")
    env.git("config", "user.name", "t")
    env.write("trades.yaml", trades_yaml())
    env.git("add", ".")
    env.git("commit", "-qm", "base")


def test_diff_reports_a_renamed_schema_as_removed_and_added(env: Env) -> None:
    _git_base(env)
    env.write("trades.yaml", trades_yaml(name="trades2"))
    result = env.run("diff", "--against", "HEAD", "--format", "json")
    assert result.code == 1, result.out
    rows = {(r["name"], r["status"], r["breaking"]) for r in json.loads(result.out)["files"]}
    assert rows == {("trades2", "added", False), ("trades", "removed", True)}


def test_diff_ignores_a_file_rename_that_keeps_the_schema(env: Env) -> None:
    _git_base(env)
    (env.root / "schemas" / "trades.yaml").rename(env.root / "schemas" / "trades@trade.yaml")
    result = env.run("diff", "--against", "HEAD", "--format", "json")
    assert result.code == 0, result.out
    (row,) = json.loads(result.out)["files"]
    assert row["status"] == "unchanged" and row["was"] == "schemas/trades.yaml"
    assert "No breaking changes" in env.run("diff", "--against", "HEAD").out


# -- plan closes the client when the fetch fails -----------------------------------------------


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


# -- transform output types come from schemac.types ---------------------------------------------


def _with_transform(transform: str | None, type_: str = "string") -> dict[str, Any]:
    rule: dict[str, Any] = {"json": {"path": "data.S", "type": type_}}
    if transform is not None:
        rule["transform"] = transform
    return {
        "name": "t",
        "stream_category": "trade",
        "columns": [{"output_column": "side", "data": {"binance": rule}}],
    }


def _verdicts(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, bool]]:
    return [(c.kind, c.breaking) for c in diff_contents(old, new, "clickhouse").changes]


def test_transform_output_type_change_is_breaking() -> None:
    base = _with_transform("toString({v})")
    assert _verdicts(base, _with_transform("toInt64({v})")) == [("transform_changed", True)]
    assert _verdicts(base, _with_transform("lower({v})")) == [("transform_changed", False)]
    # Declared type string -> i64 under toString: the output is still a string.
    assert _verdicts(base, _with_transform("toString({v})", "i64")) == [("type_changed", False)]
    # Unknown types are never proof of a change, and never a crash.
    assert _verdicts(base, _with_transform("no_such_fn({v})")) == [("transform_changed", False)]
    assert _verdicts(base, _with_transform("((( {v}")) == [("transform_changed", False)]
    assert _verdicts(_with_transform(None), _with_transform("toInt64({v})")) == [
        ("transform_changed", True)
    ]


# -- 429: the client waits what Retry-After says -------------------------------------------------


def test_rate_limited_request_waits_retry_after_and_succeeds() -> None:
    now = [1_000_000.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:  # no real sleep: the sandbox's clock moves instead
        waits.append(seconds)
        now[0] += seconds

    with start_sandbox([API_KEY], rate_limit_per_minute=2, clock=lambda: now[0]) as sandbox:
        remote = Remote(API_KEY, sandbox.url, retry=RetryPolicy(attempts=3), sleep=sleep)
        with remote:
            for _ in range(3):
                remote.list_schemas()
    assert waits == [30.0]  # one token per 30 s at 2 a minute
    assert remote.requests["GET"] == 4  # three lists, one of them twice


def test_rate_limit_beyond_the_retries_fails_with_a_message() -> None:
    now = [1_000_000.0]
    with start_sandbox([API_KEY], rate_limit_per_minute=1, clock=lambda: now[0]) as sandbox:
        remote = Remote(API_KEY, sandbox.url, retry=RetryPolicy(attempts=2), sleep=lambda s: None)
        with remote:
            remote.list_schemas()
            with pytest.raises(RemoteError, match=r"after 2 tries.*429"):
                remote.list_schemas()

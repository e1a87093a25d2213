"""plan, publish and status against the sandbox over HTTP, through the official client."""

from __future__ import annotations

import json
from typing import Any

from remote.conftest import API_KEY, Env
from remote.helpers_remote import FEE_COLUMN, trades_yaml
from schemac.remote.content import same_content, wire_from_response
from schemac.remote.local import compile_text


def remote_of(env: Env, name: str = "trades") -> tuple[dict, object]:
    with env.client() as client:
        item = next(i for i in client.export_schemas.list() if i.name == name)
        return wire_from_response(client.export_schemas.get(item.id)), item


def local_body(text: str) -> dict:
    body, problems = compile_text(text, "x.yaml")
    assert body is not None, problems
    return body


def test_create_then_unchanged_republish_writes_nothing(env: Env) -> None:
    env.write("trades.yaml", trades_yaml())
    result = env.run("plan", "--detailed-exitcode")
    assert result.code == 2, result.err
    assert "+ create   trades (trade): 3 columns" in result.out
    result = env.run("publish", "--all", "--yes")
    assert result.code == 0, result.err
    assert "created   trades (trade): v1" in result.out
    body, item = remote_of(env)
    assert item.version == 1 and not item.has_draft
    assert same_content(body, local_body(trades_yaml()))
    writes = env.writes()
    env.log.clear()
    result = env.run("publish", "--all", "--yes")
    assert result.code == 0 and "Nothing to publish" in result.out
    assert env.writes() == 0 and writes == 1
    assert env.run("plan", "--detailed-exitcode").code == 0


def test_compatible_update_goes_draft_verify_publish(env: Env) -> None:
    env.write("trades.yaml", trades_yaml())
    assert env.run("publish", "trades", "--yes").code == 0
    env.write("trades.yaml", trades_yaml(FEE_COLUMN))
    plan = env.run("plan", "trades")
    assert "~ update   trades (trade): v1 -> v2, compatible" in plan.out
    assert (
        "column `fee` added at the end (column 4; decimal(8) from binance, bybit_linear)"
        in plan.out
    )
    env.log.clear()
    result = env.run("publish", "trades", "--yes")
    assert result.code == 0, result.err
    assert "published trades (trade): v2" in result.out
    requests = [line.split('"')[1] for line in env.log]
    assert [r.rsplit(" ", 1)[0] for r in requests if not r.startswith("GET")] == [
        f"POST /v1/export-schemas/{remote_of(env)[1].id}/draft",
        f"POST /v1/export-schemas/{remote_of(env)[1].id}/publish",
    ]
    body, item = remote_of(env)
    assert item.version == 2 and not item.has_draft
    assert same_content(body, local_body(trades_yaml(FEE_COLUMN)))


def test_breaking_change_is_refused_unless_allowed(env: Env) -> None:
    env.write("trades.yaml", trades_yaml())
    assert env.run("publish", "--all", "--yes").code == 0
    env.write("trades.yaml", trades_yaml().replace("  price:", "  last_price:"))
    result = env.run("publish", "--all", "--yes")
    assert result.code == 1
    assert "refused: trades (trade): breaking change (pass --allow-breaking)" in result.err
    assert remote_of(env)[1].version == 1
    plan = json.loads(env.run("plan", "--format", "json").out)
    (row,) = plan["schemas"]
    assert row["breaking"] is True and row["action"] == "update"
    assert row["changes"][0]["kind"] == "column_renamed"
    assert "column `price` renamed to `last_price`  (breaking)" in env.run("plan").out
    result = env.run("publish", "--all", "--yes", "--allow-breaking")
    assert result.code == 0, result.err
    assert remote_of(env)[1].version == 2


def test_a_breaking_rule_turned_off_is_not_breaking(env: Env) -> None:
    env.write("trades.yaml", trades_yaml())
    assert env.run("publish", "--all", "--yes").code == 0
    moved = trades_yaml().replace("  price:\n    type: decimal(18)\n    from: data.p\n", "")
    env.write("trades.yaml", moved + "  price:\n    type: decimal(18)\n    from: data.p\n")
    assert env.run("publish", "--all", "--yes").code == 1  # column-moved is on by default
    (env.root / "schemac.toml").write_text('severity = { column-moved = "off" }\n')
    plan = json.loads(env.run("plan", "--format", "json").out)
    (row,) = plan["schemas"]
    assert row["breaking"] is False
    assert {c["kind"]: (c["code"], c["breaking"]) for c in row["changes"]} == {
        "column_moved": ("SC703", False)
    }
    assert "moved (column 2 -> 3)\n" in env.run("plan").out  # listed, not marked breaking
    result = env.run("publish", "--all", "--yes")
    assert result.code == 0, result.err
    assert remote_of(env)[1].version == 2


def test_foreign_draft_is_kept_unless_replace_draft(env: Env) -> None:
    env.write("trades.yaml", trades_yaml())
    assert env.run("publish", "--all", "--yes").code == 0
    _, item = remote_of(env)
    with env.client() as client:  # someone else's work in progress
        client.export_schemas.create_draft(item.id)
    env.write("trades.yaml", trades_yaml(FEE_COLUMN))
    status = env.run("status")
    assert "draft pending (not schemac's)" in status.out
    result = env.run("publish", "--all", "--yes")
    assert result.code == 1 and "--replace-draft" in result.err
    assert remote_of(env)[1].has_draft and remote_of(env)[1].version == 1
    assert env.run("publish", "--all", "--yes", "--replace-draft").code == 0
    assert remote_of(env)[1].version == 2 and not remote_of(env)[1].has_draft


def test_own_draft_is_reused_and_draft_only_stops_before_publish(env: Env) -> None:
    env.write("trades.yaml", trades_yaml())
    assert env.run("publish", "--all", "--yes").code == 0
    env.write("trades.yaml", trades_yaml(FEE_COLUMN))
    result = env.run("publish", "--all", "--yes", "--draft-only")
    assert result.code == 0, result.err
    assert "draft verified" in result.out
    _, item = remote_of(env)
    assert item.version == 1 and item.has_draft
    assert "a draft with this exact content is on the remote (reused)" in env.run("plan").out
    env.log.clear()
    assert env.run("publish", "--all", "--yes").code == 0
    posts = [line for line in env.log if '"POST ' in line]
    assert len(posts) == 1 and "/publish" in posts[0]  # the draft was reused, not re-sent
    assert remote_of(env)[1].version == 2


def test_validation_errors_stop_before_any_request(env: Env) -> None:
    env.write("trades.yaml", trades_yaml())
    env.write("bad.yaml", "name: bad\ncategory: trade\ncolumns:\n  a:\n    from: x\n")
    result = env.run("publish", "--all", "--yes")
    assert result.code == 1
    assert "nothing was sent" in result.err
    # The findings are printed in the one text format of every command.
    assert "schemas/bad.yaml:5:11: error[SC305] column `a` reads `x`" in result.err
    assert env.log == []


def test_non_interactive_publish_without_yes_refuses(env: Env) -> None:
    env.write("trades.yaml", trades_yaml())
    result = env.run("publish", "--all")
    assert result.code == 2 and "--yes" in result.err
    assert env.writes() == 0
    dry = env.run("publish", "--all", "--dry-run")
    assert dry.code == 0 and "Dry run" in dry.out and env.writes() == 0


def test_ambiguous_name_asks_for_category(env: Env) -> None:
    env.write("trades.yaml", trades_yaml())
    meta_only = "name: trades\ncategory: quote\ncolumns:\n  t:\n    meta: collection_timestamp_ns\n"
    env.write("trades@quote.yaml", meta_only)
    result = env.run("publish", "trades", "--yes")
    assert result.code == 2
    assert "trades@trade, trades@quote" in result.err
    assert env.run("publish", "trades@quote", "--yes").code == 0


def test_status_states(env: Env) -> None:
    env.git("init", "-q")
    env.git("config", "user.email", "t@example.com")
    env.git("config", "user.name", "t")
    env.write("trades.yaml", trades_yaml())
    env.write("ahead.yaml", trades_yaml(name="ahead"))
    env.write("drift.yaml", trades_yaml(name="drift"))
    env.git("add", ".")
    env.git("commit", "-qm", "one")
    assert env.run("publish", "--all", "--yes").code == 0
    env.write("ahead.yaml", trades_yaml(FEE_COLUMN, name="ahead"))  # the repository moved on
    env.write("local.yaml", trades_yaml(name="local"))
    _, drift = remote_of(env, "drift")
    with env.client() as client:  # changed outside the repository
        body = local_body(trades_yaml(FEE_COLUMN, name="drift"))
        client.export_schemas.update(drift.id, body["columns"], unfold=body["unfold"])
        client.export_schemas.create(
            "remote",
            "trade",
            [{"output_column": "t", "meta": {"value": "collection_timestamp_ns"}}],
        )
    lines = env.run("status").out.splitlines()
    text = "\n".join(lines)
    assert "in sync         trades (trade)" in text
    assert "local ahead     ahead (trade)" in text
    assert "remote drifted  drift (trade)" in text
    assert "local-only      local (trade)" in text
    assert "remote-only     remote (trade)" in text
    data = json.loads(env.run("status", "--format", "json").out)
    assert {r["name"]: r["state"] for r in data["schemas"]}["drift"] == "remote drifted"


def test_missing_api_key_is_a_usage_error(env: Env, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("TICKSUPPLY_API_KEY")
    env.write("trades.yaml", trades_yaml())
    result = env.run("plan")
    assert result.code == 2 and "TICKSUPPLY_API_KEY" in result.err
    assert API_KEY not in result.err


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


# -- the policy as library functions: data in, data out -----------------------------------------


def _plan_of(*actions: tuple[str, bool, bool]) -> Any:
    """A plan with one schema per (action, breaking, foreign draft)."""
    from schemac.checks.changes import Change, ContentDiff
    from schemac.remote.plan import Plan, RemoteSchema, SchemaPlan
    from schemac.rules.breaking import COLUMN_REMOVED

    schemas = []
    for index, (action, breaking, foreign) in enumerate(actions):
        name = f"s{index}"
        changes = [Change.breaking_change(COLUMN_REMOVED, "gone")] if breaking else []
        remote = RemoteSchema(f"sch_{index}", name, "trade", 3, foreign, {}, {"columns": []})
        schemas.append(SchemaPlan(name, "trade", action, None, remote, ContentDiff(changes)))
    return Plan(schemas)


def test_publish_refusals_are_plain_data() -> None:
    from schemac.remote.publish import changes_of, refusals

    plan = _plan_of(("update", True, False), ("update", False, True), ("no change", True, False))
    changes = changes_of(plan)
    assert [p.name for p in changes] == ["s0", "s1"]
    assert refusals(changes, allow_breaking=False, replace_draft=False) == [
        "s0 (trade): breaking change (pass --allow-breaking)",
        "s1 (trade): a draft schemac did not make is on the remote (pass --replace-draft)",
    ]
    assert refusals(changes, allow_breaking=True, replace_draft=True) == []


def test_status_classification_is_plain_data() -> None:
    from schemac.cli.remote.render import status_text
    from schemac.remote.status import classify

    plan = _plan_of(("update", False, False), ("update", False, True), ("no change", False, False))
    rows = classify(plan, lambda p: p.name == "s0")
    assert [(r.name, r.state, r.draft) for r in rows] == [
        ("s0", "local ahead", None),
        ("s1", "remote drifted", "foreign"),
        ("s2", "in sync", None),
    ]
    assert rows[1].as_json() == {
        "name": "s1",
        "category": "trade",
        "state": "remote drifted",
        "version": 3,
        "id": "sch_1",
        "draft": "foreign",
    }
    assert "remote drifted  s1 (trade) v3  draft pending (not schemac's)" in status_text(rows)
    assert status_text([]) == "No schemas, locally or on the remote.\n"


def test_make_plan_is_library_data(env: Env) -> None:
    from schemac.config import load_config
    from schemac.remote.cache import RemoteCache
    from schemac.remote.client import Remote
    from schemac.remote.local import load_local
    from schemac.remote.plan import make_plan

    env.write("a.yaml", trades_yaml(name="a"))
    env.write("b.yaml", trades_yaml(name="b"))
    assert env.run("publish", "--all", "--yes").code == 0
    env.write("a.yaml", trades_yaml(FEE_COLUMN, name="a"))
    (env.root / "schemas" / "b.yaml").unlink()
    config = load_config()
    local = load_local(None, config)
    env.capsys.readouterr()
    no_cache = RemoteCache(None)  # count the gets a plan needs without the content cache
    with Remote(API_KEY, env.sandbox.url, cache=no_cache) as remote:
        every = make_plan(local, remote, config, every_schema=True)
        gets = remote.requests["GET"]
    with Remote(API_KEY, env.sandbox.url, cache=no_cache) as remote:
        chosen = make_plan(local, remote, config, every_schema=False)
        assert remote.requests["GET"] == gets - 1  # b's content is not fetched
    assert [(p.name, p.action) for p in every.schemas] == [("a", "update"), ("b", "remote-only")]
    assert [(p.name, p.action) for p in chosen.schemas] == [("a", "update")]
    assert env.capsys.readouterr() == ("", "")  # the library prints nothing

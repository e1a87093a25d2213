"""`schemac delete`, end to end against the sandbox: a plan line first, idempotent, a pending
draft refused unless --force-draft, never without --yes off a terminal."""

from __future__ import annotations

from remote.conftest import API_KEY, Env
from remote.helpers_remote import trades_yaml
from remote.test_publish import remote_of


def _names(env: Env) -> list[str]:
    with env.client() as client:
        return [i.name for i in client.export_schemas.list() if not i.is_built_in]


def _deletes(env: Env) -> list[str]:
    return [line for line in env.log if '"DELETE ' in line]


def test_delete_shows_the_plan_then_deletes_once(env: Env) -> None:
    env.write("trades.yaml", trades_yaml())
    env.write("other.yaml", trades_yaml(name="other"))
    assert env.run("publish", "--all", "--yes").code == 0
    _, item = remote_of(env)
    plan_line = f"- delete   trades (trade): v1, {item.id}"
    refused = env.run("delete", "trades")  # not a terminal, no --yes
    assert refused.code == 2 and "--yes" in refused.err
    assert refused.out.splitlines()[0] == plan_line
    dry = env.run("delete", "trades", "--dry-run")
    assert dry.code == 0 and "Dry run: nothing was deleted." in dry.out
    assert sorted(_names(env)) == ["other", "trades"]
    assert _deletes(env) == []
    result = env.run("delete", "trades", "--yes")
    assert result.code == 0, result.err
    assert result.out.splitlines() == [plan_line, "deleted   trades (trade)"]
    assert result.err.splitlines() == [
        f"API: {env.sandbox.url} (from TICKSUPPLY_BASE_URL)",
        "note: schemas/trades.yaml still declares trades (trade): `publish --all` would create "
        "it again; delete or rename the file too",
    ]
    assert _names(env) == ["other"]
    assert len(_deletes(env)) == 1


def test_deleting_a_missing_schema_is_success_with_a_note(env: Env) -> None:
    result = env.run("delete", "nothere", "--yes")
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        "= absent   nothere: not on the account (nothing to delete)",
        "Nothing to delete.",
    ]
    assert _deletes(env) == []


def test_a_schema_with_a_pending_draft_is_refused_unless_force_draft(env: Env) -> None:
    env.write("trades.yaml", trades_yaml())
    assert env.run("publish", "--all", "--yes").code == 0
    _, item = remote_of(env)
    with env.client() as client:
        client.export_schemas.create_draft(item.id)
    refused = env.run("delete", "trades", "--yes")
    assert refused.code == 1
    assert f"! refused  trades (trade): a draft is pending on {item.id}" in refused.out
    assert "--force-draft" in refused.out and "nothing was deleted" in refused.err
    assert _names(env) == ["trades"] and _deletes(env) == []
    forced = env.run("delete", "trades", "--yes", "--force-draft")
    assert forced.code == 0, forced.err
    assert "and its pending draft" in forced.out.splitlines()[0]
    assert _names(env) == []


def test_a_built_in_schema_is_refused_and_an_ambiguous_name_asks_for_a_category(
    env: Env,
) -> None:
    with env.client() as client:
        built_in = next(i for i in client.export_schemas.list() if i.is_built_in)
    refused = env.run("delete", built_in.name, "--yes")
    assert refused.code == 1 and "built-ins cannot be deleted" in refused.out
    env.write("trades.yaml", trades_yaml())
    meta_only = "name: trades\ncategory: quote\ncolumns:\n  t:\n    meta: collection_timestamp_ns\n"
    env.write("trades@quote.yaml", meta_only)
    assert env.run("publish", "--all", "--yes").code == 0
    ambiguous = env.run("delete", "trades", "--yes")
    assert ambiguous.code == 2 and "trades@trade, trades@quote" in ambiguous.err
    assert env.run("delete", "trades@quote", "--yes").code == 0
    assert _names(env) == ["trades"]


def test_a_delete_that_finds_the_schema_gone_is_what_was_asked(env: Env) -> None:
    from schemac.remote.client import Remote
    from schemac.remote.delete import DELETE, delete_one, plan_deletes

    env.write("trades.yaml", trades_yaml())
    assert env.run("publish", "--all", "--yes").code == 0
    with Remote(API_KEY, env.sandbox.url) as remote:
        (plan,) = plan_deletes(remote.list_schemas(), ["trades"], force_draft=False)
        assert plan.action == DELETE
        assert delete_one(remote, plan) is True
        # A re-run sends the same idempotency key: the server replays its answer.
        assert delete_one(remote, plan) is True
    assert _names(env) == []
    env.write("other.yaml", trades_yaml(name="other"))
    assert env.run("publish", "other", "--yes").code == 0
    with Remote(API_KEY, env.sandbox.url) as remote:
        (plan,) = plan_deletes(remote.list_schemas(), ["other"], force_draft=False)
        with env.client() as client:  # someone else deletes it first
            client.export_schemas.delete(plan.id)
        assert delete_one(remote, plan) is False

"""pull and import (remote/wire -> YAML files) and diff --against a git revision."""

from __future__ import annotations

import json
from typing import Any

import pytest

from remote.conftest import Env
from remote.helpers_remote import FEE_COLUMN, trades_yaml
from schemac.remote.content import same_content, wire_from_response
from schemac.remote.diff import diff_contents
from schemac.remote.local import compile_text


def test_pull_writes_files_that_compile_to_the_remote_content(env: Env) -> None:
    env.write("trades.yaml", trades_yaml())
    assert env.run("publish", "--all", "--yes").code == 0
    result = env.run("pull", "--all", "--dir", "pulled")
    assert result.code == 0 and "wrote pulled/trades.yaml" in result.out
    text = (env.root / "pulled" / "trades.yaml").read_text()
    with env.client() as client:
        (item,) = client.export_schemas.list()[-1:]
        remote = wire_from_response(client.export_schemas.get(item.id))
    body, _ = compile_text(text, "trades.yaml")
    assert body is not None and same_content(body, remote)
    assert env.run("pull", "trades", "--dir", "pulled").out == "in sync pulled/trades.yaml\n"
    (env.root / "pulled" / "trades.yaml").write_text(text.replace("decimal(18)", "decimal(8)"))
    refused = env.run("pull", "trades", "--dir", "pulled")
    assert refused.code == 1
    assert "pulled/trades.yaml exists with other content; --force overwrites it" in refused.err
    assert env.run("pull", "trades", "--dir", "pulled", "--force").code == 0
    assert (env.root / "pulled" / "trades.yaml").read_text() == text
    assert env.run("pull", "nope").code == 2


def test_import_turns_wire_json_into_yaml(env: Env) -> None:
    body, _ = compile_text(trades_yaml(), "t.yaml")
    (env.root / "trades.json").write_text(json.dumps({**body, "id": "sch_" + "0" * 32}))
    result = env.run("import", "trades.json", "--dir", "out")
    assert result.code == 0, result.err
    again, _ = compile_text((env.root / "out" / "trades.yaml").read_text(), "trades.yaml")
    assert again == body
    (env.root / "bad.json").write_text('{"columns": 3}')
    assert env.run("import", "bad.json").code == 1


def test_diff_against_a_git_revision(env: Env) -> None:
    env.git("init", "-q")
    env.git("config", "user.email", "t@example.com")
    env.git("config", "user.name", "t")
    env.write("trades.yaml", trades_yaml())
    env.write("gone.yaml", trades_yaml(name="gone"))
    env.git("add", ".")
    env.git("commit", "-qm", "base")
    env.write("trades.yaml", trades_yaml(FEE_COLUMN))
    result = env.run("diff", "--against", "HEAD")
    assert result.code == 0, result.out + result.err
    assert "changed   trades (trade): compatible" in result.out
    (env.root / "schemas" / "gone.yaml").unlink()
    result = env.run("diff", "--against", "HEAD", "--format", "json")
    assert result.code == 1
    data = json.loads(result.out)
    assert data["breaking"] is True
    assert [f["status"] for f in data["files"]] == ["changed", "removed"]
    assert env.run("diff", "--against", "no-such-ref").code == 2


def test_classification_rules() -> None:
    def body(text: str) -> dict:
        compiled, problems = compile_text(text, "x.yaml")
        assert compiled is not None, problems
        return compiled

    base = body(trades_yaml())
    kinds = lambda new: [(c.kind, c.breaking) for c in diff_contents(base, new).changes]  # noqa: E731
    assert kinds(body(trades_yaml(FEE_COLUMN))) == [("column_added", False)]
    moved = trades_yaml().replace("  price:\n    type: decimal(18)\n    from: data.p\n", "")
    moved += "  price:\n    type: decimal(18)\n    from: data.p\n"
    assert ("column_moved", True) in kinds(body(moved))
    inserted = trades_yaml().replace("  price:", FEE_COLUMN + "  price:")
    assert kinds(body(inserted)) == [("column_inserted", True)]
    assert kinds(body(trades_yaml().replace("decimal(18)", "decimal(8)"))) == [
        ("type_changed", True),
        ("type_changed", True),
    ]
    assert kinds(body(trades_yaml().replace("data.p", "data.price"))) == [
        ("path_changed", False),
        ("path_changed", False),
    ]
    relabelled = trades_yaml().replace("true: sell", "true: SELL")
    assert kinds(body(relabelled)) == [("transform_changed", False)]
    retyped = trades_yaml().replace("true: sell, false: buy", "true: 1, false: 0")
    assert kinds(body(retyped)) == [("transform_changed", True)]
    assert kinds(body(trades_yaml().replace("bybit_linear: data\n", "bybit_linear: data.x\n"))) == [
        ("unfold_changed", True)
    ]
    assert kinds(body(trades_yaml().replace("format: ms", "format: ns"))) == [
        ("meta_format_changed", True)
    ]
    no_format = body(trades_yaml().replace("    format: ms\n", ""))
    assert diff_contents(no_format, body(trades_yaml().replace("format: ms", "format: ns"))).empty


# -- file names come from the schema, which comes from outside ---------------------------------


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
    (pulled / "trades.yaml").write_text(trades_yaml(FEE_COLUMN) + "# mine\n")
    result = env.run("pull", "trades@trade", "--dir", "pulled", "--force")
    assert result.code == 0 and "wrote pulled/trades.yaml" in result.out
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


def test_diff_does_not_call_a_change_under_a_rule_turned_off_breaking(env: Env) -> None:
    _git_base(env)
    env.write("trades.yaml", trades_yaml(name="trades2").replace("format: ms", "format: us"))
    assert env.run("diff", "--against", "HEAD").code == 1
    (env.root / "schemac.toml").write_text('ignore = ["schema-removed"]\n')
    result = env.run("diff", "--against", "HEAD", "--format", "json")
    assert result.code == 0, result.out
    removed = next(r for r in json.loads(result.out)["files"] if r["status"] == "removed")
    assert removed["breaking"] is False and removed["changes"][0]["code"] == "SC711"
    text = env.run("diff", "--against", "HEAD").out
    # trades2 added, trades removed (a change under a rule turned off): each counted as printed.
    assert text.endswith("2 schemas differ from HEAD: 1 change, none breaking.\n"), text


def test_diff_ignores_a_file_rename_that_keeps_the_schema(env: Env) -> None:
    _git_base(env)
    (env.root / "schemas" / "trades.yaml").rename(env.root / "schemas" / "trades@trade.yaml")
    result = env.run("diff", "--against", "HEAD", "--format", "json")
    assert result.code == 0, result.out
    (row,) = json.loads(result.out)["files"]
    assert row["status"] == "unchanged" and row["was"] == "schemas/trades.yaml"
    assert env.run("diff", "--against", "HEAD").out == "No changes against HEAD.\n"


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


def test_file_names_are_decided_from_every_holder_of_a_name() -> None:
    from schemac.remote.files import file_stems, unsafe_file_part

    stems = file_stems({("trades", "trade"), ("trades", "quote"), ("klines", "kline")})
    assert stems == {
        ("trades", "trade"): "trades@trade",
        ("trades", "quote"): "trades@quote",
        ("klines", "kline"): "klines",
    }
    assert unsafe_file_part("a/b") == "it contains a path separator"
    assert unsafe_file_part("trades") is None


def test_write_schemas_reports_each_body(tmp_path: Any) -> None:
    from schemac.remote.files import REFUSED, UNCHANGED, WROTE, write_schemas

    body, _ = compile_text(trades_yaml(), "t.yaml")
    assert body is not None
    first = write_schemas([body], tmp_path, force=False, dialect="clickhouse")
    assert [(r.status, r.target) for r in first] == [(WROTE, tmp_path / "trades.yaml")]
    again = write_schemas(
        [body, {**body, "name": ".."}], tmp_path, force=False, dialect="clickhouse"
    )
    assert [r.status for r in again] == [UNCHANGED, REFUSED]
    assert "not usable as a file name (it contains `..`)" in again[1].message

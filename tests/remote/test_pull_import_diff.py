"""pull and import (remote/wire -> YAML files) and diff --against a git revision."""

from __future__ import annotations

import json

from remote.conftest import Env
from remote.helpers_remote import FEE_COLUMN, trades_yaml
from schemac.remote.content import same_content, wire_from_response
from schemac.remote.diff import diff_contents
from schemac.remote.local import compile_text


def test_pull_writes_files_that_compile_to_the_remote_content(env: Env) -> None:
    env.write("trades.yaml", trades_yaml())
    assert env.run("publish", "--all", "--yes").code == 0
    result = env.run("pull", "--all", "--dir", "pulled")
    assert result.code == 0 and "wrote     pulled/trades.yaml" in result.out
    text = (env.root / "pulled" / "trades.yaml").read_text()
    with env.client() as client:
        (item,) = client.export_schemas.list()[-1:]
        remote = wire_from_response(client.export_schemas.get(item.id))
    body, _ = compile_text(text, "trades.yaml")
    assert body is not None and same_content(body, remote)
    assert env.run("pull", "trades", "--dir", "pulled").out.startswith("unchanged")
    (env.root / "pulled" / "trades.yaml").write_text(text + "# mine\n")
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

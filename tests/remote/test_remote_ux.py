"""What a newcomer stumbled on with the remote commands (issue 9), end to end against the
sandbox on loopback: which API a command talks to, a broken file that blocked everything, pull
in a repository that is in sync, status --detailed-exitcode, diff's count, publish's json."""

from __future__ import annotations

import json
import socket

import pytest

from remote.conftest import Env
from remote.helpers_remote import FEE_COLUMN, trades_yaml
from remote.test_publish import remote_of

# A schema whose one column has no type: one error (SC115).
BAD = "name: bad\ncategory: trade\nexchanges: [binance]\ncolumns:\n  a:\n    from: x\n"
UNREADABLE = "name: [unclosed\n"  # not YAML: no schema can be read from it


def _dead_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# -- which API --------------------------------------------------------------------------------


def test_remote_commands_name_the_api_before_any_request(env: Env) -> None:
    env.write("trades.yaml", trades_yaml())
    result = env.run("publish", "--all", "--yes")
    assert result.code == 0, result.err
    assert result.err.splitlines()[0] == f"API: {env.sandbox.url} (from TICKSUPPLY_BASE_URL)"
    for command in (["status"], ["plan"], ["pull", "--all", "--dir", "pulled"]):
        assert f"API: {env.sandbox.url} (from TICKSUPPLY_BASE_URL)" in env.run(*command).err
    explicit = env.run("plan", "--api-url", env.sandbox.url)
    assert f"API: {env.sandbox.url} (from --api-url)" in explicit.err


def test_without_a_base_url_they_say_it_is_production(
    env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every request goes to a proxy that is not there, so nothing reaches production.
    for name in ("TICKSUPPLY_BASE_URL", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    for name in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.setenv(name, f"http://127.0.0.1:{_dead_port()}")
    env.write("trades.yaml", trades_yaml())
    result = env.run("status", "--retries", "1")
    assert result.code == 1
    assert result.err.splitlines()[0] == (
        "API: https://api.ticksupply.com/v1 (production: TICKSUPPLY_BASE_URL is not set)"
    )
    assert env.log == []


# -- one broken file does not block the others ---------------------------------------------------


def test_status_reports_each_file_and_a_broken_one_as_a_row(env: Env) -> None:
    env.write("trades.yaml", trades_yaml())
    env.write("bad.yaml", BAD.replace("from: x", "meta: collection_timestamp_ns"))
    assert env.run("publish", "--all", "--yes").code == 0
    env.write("bad.yaml", BAD)  # broken after it was published
    env.write("unreadable.yaml", UNREADABLE)
    result = env.run("status")
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[0].startswith("in sync         trades (trade)")
    assert "invalid         bad (trade)" in lines[1] and "v1" in lines[1]
    assert lines[1].endswith("1 error in schemas/bad.yaml")
    assert lines[2].startswith("invalid         schemas/unreadable.yaml")
    assert len(lines) == 3  # bad is not also listed as remote-only
    # The findings, as `validate` prints them: the same renderer, with its summary.
    assert "schemas/bad.yaml:6:11: error[SC115]" in result.err
    assert "schemas/unreadable.yaml:" in result.err
    assert "in 3 files." in result.err
    rows = json.loads(env.run("status", "--format", "json").out)["schemas"]
    assert [(r["name"], r["state"], r.get("file"), r.get("errors")) for r in rows] == [
        ("trades", "in sync", None, None),
        ("bad", "invalid", "schemas/bad.yaml", 1),
        (None, "invalid", "schemas/unreadable.yaml", 1),
    ]
    assert rows[1]["version"] == 1
    quiet = env.run("status", "-q", "--no-color")
    assert "Found" not in quiet.err and "\x1b[" not in quiet.err and "error[SC115]" in quiet.err


def test_plan_and_publish_of_a_name_need_only_that_schema_clean(env: Env) -> None:
    env.write("trades.yaml", trades_yaml())
    env.write("bad.yaml", BAD)
    env.write("unreadable.yaml", UNREADABLE)
    plan = env.run("plan", "trades", "--detailed-exitcode")
    assert plan.code == 2, plan.err
    assert "+ create   trades (trade)" in plan.out
    published = env.run("publish", "trades", "--yes")
    assert published.code == 0, published.err
    assert "created   trades (trade): v1" in published.out
    # The named schema itself broken: its findings, nothing sent.
    env.log.clear()
    blocked = env.run("publish", "bad", "--yes")
    assert blocked.code == 1
    assert "schemas/bad.yaml:6:11: error[SC115]" in blocked.err
    assert "nothing was sent" in blocked.err and env.log == []
    assert "unreadable" not in blocked.err  # an unrelated file is not reported
    # Every schema: every file must be clean.
    assert env.run("publish", "--all", "--yes").code == 1 and env.log == []


def test_a_cross_file_error_blocks_the_schemas_it_involves(env: Env) -> None:
    env.write("trades.yaml", trades_yaml())
    env.write("copy.yaml", trades_yaml())  # declares `trades` again: SC401 in copy.yaml
    env.write("other.yaml", trades_yaml(name="other"))
    result = env.run("plan", "trades")
    assert result.code == 1
    assert "error[SC401]" in result.err and "nothing was sent" in result.err
    assert env.log == []
    assert env.run("plan", "other").code == 0


# -- pull in a repository that is in sync ---------------------------------------------------------


def test_pull_all_in_sync_exits_0_and_leaves_files_alone(env: Env) -> None:
    text = "# our trades, kept by hand\n" + trades_yaml().replace(
        "unfold:\n  bybit_linear: data", "unfold:\n  bybit_*: data  # a glob"
    )
    assert "bybit_*" in text
    path = env.write("trades.yaml", text)
    assert env.run("publish", "--all", "--yes").code == 0
    result = env.run("pull", "--all")
    assert result.code == 0, result.err
    assert result.out == "in sync schemas/trades.yaml\n"
    assert path.read_text() == text
    assert env.run("pull", "--all", "--force").out == "in sync schemas/trades.yaml\n"
    assert path.read_text() == text


# -- status --detailed-exitcode --------------------------------------------------------------


def test_status_detailed_exitcode(env: Env) -> None:
    env.write("trades.yaml", trades_yaml())
    assert env.run("publish", "--all", "--yes").code == 0
    assert env.run("status", "--detailed-exitcode").code == 0
    assert env.run("status").code == 0
    env.write("trades.yaml", trades_yaml(FEE_COLUMN))
    assert env.run("status", "--detailed-exitcode").code == 2
    assert env.run("status").code == 0
    env.write("trades.yaml", trades_yaml())
    _, item = remote_of(env)
    with env.client() as client:  # a draft pending is drift too
        client.export_schemas.create_draft(item.id)
    assert env.run("status", "--detailed-exitcode").code == 2
    env.write("bad.yaml", BAD)
    assert env.run("status", "--detailed-exitcode").code == 1


# -- diff counts what it prints ---------------------------------------------------------------


def test_diff_counts_the_changes_it_prints(env: Env) -> None:
    env.git("init", "-q")
    env.git("config", "user.email", "t@example.com")
    env.git("config", "user.name", "t")
    env.write("trades.yaml", trades_yaml(FEE_COLUMN))
    env.git("add", ".")
    env.git("commit", "-qm", "base")
    without = trades_yaml(FEE_COLUMN).replace(
        "  price:\n    type: decimal(18)\n    from: data.p\n", ""
    )
    env.write("trades.yaml", without.replace("  fee:", "  fees:"))
    result = env.run("diff", "--against", "HEAD")
    assert result.code == 1
    printed = [line for line in result.out.splitlines() if line.startswith("      ")]
    breaking = [line for line in printed if line.endswith("(breaking)")]
    assert len(printed) == 2 and len(breaking) == 2, result.out
    assert result.out.splitlines()[-1] == "1 schema differs from HEAD: 2 changes, 2 breaking."


# -- publish --format json ----------------------------------------------------------------------


def test_publish_json_has_outcomes_for_every_result_and_human_lines_on_stderr(env: Env) -> None:
    env.write("trades.yaml", trades_yaml())
    dry = env.run("publish", "--all", "--yes", "--dry-run", "--format", "json")
    assert json.loads(dry.out)["outcomes"] == [] and "+ create   trades (trade)" in dry.err
    applied = env.run("publish", "--all", "--yes", "--format", "json")
    assert json.loads(applied.out)["outcomes"][0]["status"] == "created"
    assert "created   trades (trade): v1" in applied.err
    nothing = json.loads(env.run("publish", "--all", "--yes", "--format", "json").out)
    assert nothing["result"] == "nothing to publish" and nothing["outcomes"] == []
    env.write("trades.yaml", trades_yaml().replace("  price:", "  last_price:"))
    refused = json.loads(env.run("publish", "--all", "--yes", "--format", "json").out)
    assert refused["result"] == "refused" and refused["outcomes"] == []
    env.write("bad.yaml", BAD)
    stopped = env.run("publish", "bad", "--yes", "--format", "json")
    assert stopped.code == 1 and stopped.out == "" and "error[SC115]" in stopped.err

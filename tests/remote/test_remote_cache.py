"""The published contents cache: an unchanged plan is one request; the cache is never trusted
beyond what it can prove (id, version, digest), and a broken one is ignored and rewritten."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from remote.conftest import API_KEY, Env
from remote.helpers_remote import FEE_COLUMN, trades_yaml
from remote.request_log import RequestLog
from schemac.remote.cache import CACHE_FOLDER, RemoteCache, project_cache
from schemac.remote.client import Remote


@pytest.fixture
def answered(env: Env) -> RequestLog:
    return RequestLog(env.sandbox)


def _requests(log: RequestLog, env: Env, *command: str) -> tuple[int, str]:
    before = len(log)
    result = env.run(*command)
    assert result.code == 0, result.err
    return len(log) - before, result.out


def _publish(env: Env, count: int) -> None:
    for i in range(count):
        env.write(f"s{i}.yaml", trades_yaml(name=f"s{i}"))
    assert env.run("publish", "--all", "--yes").code == 0


def _cache_files(env: Env) -> list[Path]:
    return sorted((env.root / CACHE_FOLDER).glob("sch_*.json"))


def test_an_unchanged_plan_of_100_schemas_is_one_request(env: Env, answered: RequestLog) -> None:
    _publish(env, 100)
    requests, out = _requests(answered, env, "plan")
    assert requests == 1  # the list: every content comes from the cache the publish filled
    assert "100 unchanged" in out
    assert _requests(answered, env, "status")[0] == 1
    assert (env.root / ".schemac" / ".gitignore").read_text().splitlines()[-1] == "*"


def test_a_cold_cache_costs_one_get_per_schema_once(env: Env, answered: RequestLog) -> None:
    _publish(env, 5)
    for path in _cache_files(env):
        path.unlink()
    assert _requests(answered, env, "plan")[0] == 6  # list + 5 gets, which fill the cache
    assert _requests(answered, env, "plan")[0] == 1


def test_a_new_remote_version_is_fetched_not_taken_from_the_cache(
    env: Env, answered: RequestLog
) -> None:
    _publish(env, 2)
    client = env.client()  # another writer publishes v2 of s1, outside this project
    [schema] = [s for s in client.export_schemas.list() if s.name == "s1"]
    columns = [{"output_column": "only", "meta": {"value": "collection_timestamp_ns"}}]
    client.export_schemas.create_draft(schema.id, columns=columns)
    client.export_schemas.publish_draft(schema.id)
    client.close()
    requests, out = _requests(answered, env, "plan")
    assert requests == 2  # the list, and a get of s1 at v2 (s0 at v1 is in the cache)
    assert "~ update   s1 (trade): v2 -> v3" in out and "1 unchanged" in out
    assert _requests(answered, env, "plan")[0] == 1


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: "",  # empty
        lambda text: text[: len(text) // 2],  # cut short
        lambda text: "\xff\xfe not json",
        lambda text: json.dumps([1, 2, 3]),  # not an object
        lambda text: text.replace('"format": 1', '"format": 99'),  # another format
        lambda text: text.replace('"version": 1', '"version": 7', 1),  # another version
        lambda text: text.replace("data.p", "data.x"),  # content changed under its digest
    ],
    ids=["empty", "truncated", "garbage", "not-an-object", "format", "version", "digest"],
)
def test_a_damaged_cache_file_is_ignored_and_rewritten(
    env: Env, answered: RequestLog, damage: Callable[[str], str]
) -> None:
    _publish(env, 1)
    [path] = _cache_files(env)
    good = path.read_text()
    path.write_text(damage(good), errors="surrogateescape")
    requests, out = _requests(answered, env, "plan")
    assert requests == 2  # the list and a get: the damaged file was not believed
    assert "1 unchanged" in out
    assert json.loads(path.read_text()) == json.loads(good)  # rewritten from the answer
    assert _requests(answered, env, "plan")[0] == 1


def test_a_cache_that_cannot_be_written_only_costs_requests(env: Env, answered: RequestLog) -> None:
    (env.root / ".schemac").write_text("a file where the cache folder would go")
    _publish(env, 2)
    assert _requests(answered, env, "plan")[0] == 3
    assert _requests(answered, env, "plan")[0] == 3


def test_schemac_no_cache_turns_it_off(
    env: Env, answered: RequestLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCHEMAC_NO_CACHE", "1")
    _publish(env, 2)
    assert _requests(answered, env, "plan")[0] == 3
    assert not (env.root / ".schemac").exists()


def test_an_id_that_is_not_a_schema_id_never_names_a_file(tmp_path: Path) -> None:
    cache = RemoteCache(tmp_path / "cache")
    body = {"id": "../../escape", "version": 1, "columns": []}
    cache.put(body)
    cache.put({**body, "id": "sch_" + "0" * 32, "version": True})  # a bool is not a version
    assert not (tmp_path / "cache").exists() and not (tmp_path.parent / "escape.json").exists()
    assert cache.get("../../escape", 1) is None


def test_the_cache_is_keyed_by_id_and_version(tmp_path: Path) -> None:
    cache = project_cache(tmp_path)
    schema_id = "sch_" + "a" * 32
    body = {"id": schema_id, "version": 3, "name": "t", "columns": [{"output_column": "x"}]}
    cache.put(body)
    assert cache.get(schema_id, 3) == body
    assert cache.get(schema_id, 2) is None and cache.get(schema_id, 4) is None
    assert cache.get("sch_" + "b" * 32, 3) is None
    assert (cache.hits, cache.misses) == (1, 3)


def test_drafts_are_never_cached(env: Env, answered: RequestLog) -> None:
    _publish(env, 1)
    env.write("s0.yaml", trades_yaml(FEE_COLUMN, name="s0"))
    assert env.run("publish", "s0", "--yes", "--draft-only").code == 0
    [path] = _cache_files(env)
    cached = json.loads(path.read_text())
    columns = [c["output_column"] for c in cached["body"]["columns"]]
    assert cached["version"] == 1 and "fee" not in columns  # v1, not the draft
    requests, out = _requests(answered, env, "plan")
    assert requests == 2  # list + the draft (drafts change in place: always fetched)
    assert "update" in out


def test_a_session_without_a_plan_caches_nothing(env: Env) -> None:
    _publish(env, 1)
    for path in _cache_files(env):
        path.unlink()
    with Remote(API_KEY, env.sandbox.url) as remote:
        [item] = [i for i in remote.list_schemas() if not i.is_built_in]
        remote.get(item.id)
    assert _cache_files(env) == []

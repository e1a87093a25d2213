"""Type checks through validate: positions in the file, dedup over globs, column unification."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import schemac
from schemac.config import Config
from schemac.diagnostics import Diagnostic

HEAD = "name: s\ncategory: trade\nexchanges: [binance, bybit_linear, bybit_spot]\n"


def _check(tmp_path: Path, text: str) -> list[Diagnostic]:
    (tmp_path / "s.yaml").write_text(text)
    project = schemac.load_project([str(tmp_path / "s.yaml")], Config(root=tmp_path))
    return [d for d in schemac.check(project) if d.code.startswith("SC5")]


def test_a_finding_in_a_transform_points_at_the_token(tmp_path: Path) -> None:
    found = _check(
        tmp_path,
        HEAD + "columns:\n  side:\n    from:\n"
        "      '*': {path: data.m, type: bool, transform: \"if({v} = 'Buy', 'a', 'b')\"}\n",
    )
    assert [(d.code, d.span.line, d.span.column, d.span.end_column) for d in found] == [
        ("SC502", 7, 60, 65)
    ]
    line = (tmp_path / "s.yaml").read_text().splitlines()[6]
    assert line[59:64] == "'Buy'"
    assert "exchange `binance`" in found[0].message  # one rule for three exchanges: one finding


def test_column_conflict_names_both_exchanges_and_points_at_both(tmp_path: Path) -> None:
    found = _check(
        tmp_path,
        HEAD + "unfold:\n  bybit_*: data\ncolumns:\n  side:\n    from:\n"
        "      binance: {path: data.m, type: bool}\n"
        "      bybit_*: {path: data.S, type: string, case: {Buy: buy, Sell: sell}}\n",
    )
    conflicts = [(d.span.line, d.message) for d in found if d.code == "SC510"]
    assert [line for line, _ in conflicts] == [9, 10]
    for _, message in conflicts:
        assert "`binance`" in message and "`bybit_linear`" in message


def test_precision_mismatch_is_a_warning_and_same_types_are_clean(tmp_path: Path) -> None:
    found = _check(
        tmp_path,
        HEAD + "unfold:\n  bybit_*: data\ncolumns:\n  p:\n    type: decimal(8)\n    from:\n"
        "      binance: data.p\n      bybit_*: {path: data.p, transform: 'toFloat64({v})'}\n",
    )
    assert [(d.code, d.severity.value, d.span.line) for d in found] == [("SC511", "warning", 11)]
    assert "join of both is f64" in (found[0].hint or "")


def test_unknown_output_types_are_not_unified(tmp_path: Path) -> None:
    found = _check(
        tmp_path,
        HEAD + "unfold:\n  bybit_*: data\ncolumns:\n  t:\n    type: i64\n    from:\n"
        "      binance: {path: data.T, transform: 'toDate({v})'}\n      bybit_*: data.T\n",
    )
    assert [d.code for d in found] == ["SC504"]


def test_case_key_number_on_string_hints_quoting(tmp_path: Path) -> None:
    found = _check(
        tmp_path,
        HEAD + "unfold:\n  bybit_*: data\ncolumns:\n  s:\n    from:\n"
        "      bybit_*: {path: data.S, type: string, case: {Buy: 1, 2: 0}}\n",
    )
    assert [(d.code, d.span.line) for d in found] == [("SC506", 9)]
    assert found[0].hint == "quote the key to make it a string: '2'"


def test_bool_case_with_else_or_both_keys_is_complete(tmp_path: Path) -> None:
    for case in ("{true: a}, else: b", "{true: a, false: b}"):
        text = HEAD.replace(", bybit_linear, bybit_spot", "") + (
            "columns:\n  s:\n    from:\n"
            f"      binance: {{path: data.m, type: bool, case: {case}}}\n"
        )
        assert _check(tmp_path, text) == []


def test_wire_files_are_type_checked_too(tmp_path: Path) -> None:
    (tmp_path / "s.json").write_text(
        '{"name": "s", "stream_category": "trade", "columns": [{"output_column": "side", "data": '
        '{"binance": {"json": {"path": "data.m", "type": "bool"}, '
        '"transform": "CASE WHEN {v} THEN \'sell\' ELSE 0 END"}}}]}'
    )
    project = schemac.load_project([str(tmp_path / "s.json")], Config(root=tmp_path))
    found = [d for d in schemac.check(project) if d.code == "SC501"]
    assert len(found) == 1 and found[0].span.line == 1


def _validate_in_subprocess(folder: Path, cache: Path) -> str:
    code = (
        "import sys\nfrom schemac.cli import main\n"
        f"rc = main(['validate', {str(folder)!r}])\nprint('sqlglot' in sys.modules, rc)\n"
    )
    env = {"SCHEMAC_CACHE_DIR": str(cache), "NO_COLOR": "1"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env
    )
    return result.stdout


def test_types_come_from_the_cache_without_sqlglot(tmp_path: Path) -> None:
    schemas = tmp_path / "schemas"
    schemas.mkdir()
    (schemas / "s.yaml").write_text(
        "name: s\ncategory: trade\nexchanges: [binance]\ncolumns:\n  side:\n    from:\n"
        "      binance: {path: data.m, type: bool,\n"
        "                transform: \"CASE WHEN {v} THEN 'a' ELSE 0 END\"}\n"
    )
    first = _validate_in_subprocess(schemas, tmp_path / "cache")
    assert "SC501" in first and first.splitlines()[-1] == "True 1"
    second = _validate_in_subprocess(schemas, tmp_path / "cache")
    assert second.splitlines() == [*first.splitlines()[:-1], "False 1"]
    # the same transform over another input type is another inference: sqlglot again
    (schemas / "s.yaml").write_text((schemas / "s.yaml").read_text().replace("bool", "string"))
    assert _validate_in_subprocess(schemas, tmp_path / "cache").splitlines()[-1] == "True 1"


def test_a_cache_of_the_old_format_is_discarded(tmp_path: Path) -> None:
    import json

    from schemac.sql import cache as transforms

    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "transforms.json").write_text(json.dumps({"version": "0.1.0:x:0", "entries": {}}))
    schemas = tmp_path / "schemas"
    schemas.mkdir()
    (schemas / "s.yaml").write_text(
        "name: s\ncategory: trade\nexchanges: [binance]\ncolumns:\n"
        "  p:\n    from:\n      binance: {path: data.p, type: f64, transform: 'toString({v})'}\n"
    )
    assert _validate_in_subprocess(schemas, cache).splitlines()[-1] == "True 0"
    document = json.loads((cache / "transforms.json").read_text())
    assert document["version"].startswith(f"{transforms.CACHE_FORMAT}:")
    typed = [key for key in document["entries"] if key.startswith(transforms.TYPES_KEY_PREFIX)]
    assert typed == [f"{transforms.TYPES_KEY_PREFIX}clickhouse\0f64\0toString({{v}})"]


def test_a_cache_of_kind_strings_is_discarded(tmp_path: Path) -> None:
    """Format 2 stored kind strings ("syntax"); format 3 stores rule codes. An old file that
    says a clean transform has a syntax error must not be believed."""
    import json

    from schemac.sql import cache as transforms

    old_version = transforms.cache_version().replace(f"{transforms.CACHE_FORMAT}:", "2:", 1)
    stale = {"kind": "syntax", "message": "stale", "offset": 0, "length": 1, "hint": None}
    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / "transforms.json").write_text(
        json.dumps({"version": old_version, "entries": {"clickhouse\0toString({v})": [stale]}})
    )
    schemas = tmp_path / "schemas"
    schemas.mkdir()
    (schemas / "s.yaml").write_text(
        "name: s\ncategory: trade\nexchanges: [binance]\ncolumns:\n"
        "  p:\n    from:\n      binance: {path: data.p, type: f64, transform: 'toString({v})'}\n"
    )
    output = _validate_in_subprocess(schemas, folder)
    assert "stale" not in output and output.splitlines()[-1] == "True 0"
    document = json.loads((folder / "transforms.json").read_text())
    assert document["version"].startswith(f"{transforms.CACHE_FORMAT}:")
    assert document["entries"]["clickhouse\0toString({v})"] == []


def test_each_transform_is_inferred_once_per_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The five transform type rules are one check: one inference yields all their findings."""
    from schemac.checks import types as type_checks

    calls: list[str] = []
    original = type_checks.infer_transform

    def counting(text: str, *rest: Any) -> Any:
        calls.append(text)
        return original(text, *rest)

    monkeypatch.setattr(type_checks, "infer_transform", counting)
    found = _check(
        tmp_path,
        HEAD + "columns:\n  side:\n    from:\n"
        "      '*': {path: data.m, type: bool, transform: \"if({v} = 'Buy', 'a', 'b')\"}\n"
        "  n:\n    from:\n      '*': {path: data.n, type: i64, transform: 'nosuch({v})'}\n",
    )
    assert sorted(calls) == ["if({v} = 'Buy', 'a', 'b')", "nosuch({v})"]
    # nosuch is allowed nowhere: the screen's SC205 reports it, not a second SC505 here
    assert "SC502" in {d.code for d in found} and "SC505" not in {d.code for d in found}


def _imported_by(roots: tuple[str, ...]) -> set[str]:
    """Every schemac module ``roots`` import, at any depth (the package root left out: only its
    version is read, and the version is in the cache key)."""
    from test_architecture import _imports, _modules

    modules = _modules()
    seen = set(roots)
    pending = list(roots)
    while pending:
        name = pending.pop()
        for imported in _imports(modules[name], name) - seen - {"schemac"}:
            seen.add(imported)
            pending.append(imported)
    return seen


def test_the_cache_is_keyed_by_every_module_the_cached_answers_come_from() -> None:
    from test_architecture import PACKAGE, _module_name

    from schemac.sql import cache

    listed = {_module_name(PACKAGE / name) for name in cache._CACHED_BY if name.endswith(".py")}
    assert _imported_by(("schemac.sql.transforms", "schemac.types.transform")) <= listed


def test_editing_a_file_the_cache_depends_on_invalidates_it(tmp_path: Path) -> None:
    import os
    import shutil

    from schemac.sql import cache

    for name in cache._CACHED_BY:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(Path(cache.__file__).parent.parent / name, tmp_path / name)
    before = cache.cache_version(tmp_path)
    for name in ("types/transform.py", "types/lattice.py", "types/inferred.py", *cache._CACHED_BY):
        stamp = os.stat(tmp_path / name).st_mtime_ns
        os.utime(tmp_path / name, ns=(stamp, stamp + 1_000_000_000))
        assert cache.cache_version(tmp_path) != before, name
        os.utime(tmp_path / name, ns=(stamp, stamp))
    assert cache.cache_version(tmp_path) == before

"""`pull` and `import` with names from outside: a name the file system refuses, a name holding a
line separator or a bidi control, a column name holding a lone surrogate (issue 13)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from schemac.remote.files import REFUSED, WROTE, write_schemas
from tests.remote.conftest import Env

TS = [{"output_column": "t", "meta": {"value": "collection_timestamp_ns"}}]


def _create(env: Env, *names: str) -> None:
    with env.client() as client:
        for name in names:
            client.export_schemas.create(name, "trade", TS)


def test_pull_all_skips_a_name_too_long_for_a_file_and_goes_on(env: Env) -> None:
    too_long = "\U0001f600" * 128  # 128 characters, as the API allows: 512 bytes of UTF-8
    _create(env, "first", too_long, "last")
    result = env.run("pull", "--all", "--dir", "pulled")
    assert result.code == 1
    assert "Traceback" not in result.err
    assert "not usable as a file name (it is longer than 238 bytes" in result.err
    assert sorted(p.name for p in (env.root / "pulled").iterdir()) == ["first.yaml", "last.yaml"]
    assert "wrote pulled/first.yaml" in result.out and "wrote pulled/last.yaml" in result.out


def test_pull_never_writes_a_file_name_with_a_line_separator_or_bidi_control(env: Env) -> None:
    _create(env, "fine", "a\u2028b", "c\u202eyaml.exe", "d\u2066e")
    result = env.run("pull", "--all", "--dir", "pulled")
    assert result.code == 1
    assert result.err.count("a control character, a line separator or a bidi control") == 3
    assert [p.name for p in (env.root / "pulled").iterdir()] == ["fine.yaml"]
    assert "\u2028" not in result.err and "\u202e" not in result.err  # named, escaped


def test_a_lone_surrogate_column_is_refused_not_written_unreadable(tmp_path: Path) -> None:
    body = {
        "name": "s",
        "stream_category": "trade",
        "columns": [*TS, {"output_column": "p\udc80", "data": {"binance": {"path": "p"}}}],
    }
    (result,) = write_schemas([body], tmp_path, force=False, dialect="clickhouse")
    assert result.status == REFUSED
    assert "lone surrogate (U+DC80)" in result.message
    assert list(tmp_path.iterdir()) == []


def test_import_of_a_lone_surrogate_name_is_a_clean_error(env: Env) -> None:
    wire = {"name": "s", "stream_category": "trade", "columns": TS}
    text = json.dumps(wire).replace('"s"', '"s\\udc80"', 1)
    (env.root / "w.json").write_text(text)
    result = env.run("import", "w.json", "--dir", "out")
    assert result.code == 1 and "Traceback" not in result.err
    assert not (env.root / "out").exists() or not any((env.root / "out").iterdir())


def test_names_that_are_fine_are_written(tmp_path: Path) -> None:
    body = {"name": "ünïcode_名前", "stream_category": "trade", "columns": TS}
    (result,) = write_schemas([body], tmp_path, force=False, dialect="clickhouse")
    assert result.status == WROTE and result.target == tmp_path / "ünïcode_名前.yaml"


def test_an_unreadable_folder_under_the_target_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "private").mkdir()
    real_scandir = os.scandir

    def scandir(path: str | os.PathLike[str] = ".") -> object:
        if os.path.basename(os.fspath(path)) == "private":  # as chmod 000 does, even for root
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    body = {"name": "s", "stream_category": "trade", "columns": TS}
    (result,) = write_schemas([body], tmp_path, force=False, dialect="clickhouse")
    assert (result.status, result.exit_code) == (REFUSED, 2)
    assert result.message == f"cannot read the folder {tmp_path / 'private'}: Permission denied"
    assert not (tmp_path / "s.yaml").exists()

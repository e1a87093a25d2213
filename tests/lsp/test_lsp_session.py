"""The session in-process: open buffers override the disk for every stage that reads text
(suppression comments, scalar locations), and unchanged files are not parsed again."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from schemac.lsp.session import Session
from schemac.project import LoadMemo, load_project
from tests.lsp.conftest import REPO


def workspace(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    shutil.copytree(REPO / "schemas", tmp_path / "schemas")
    return tmp_path


def test_a_suppression_comment_in_the_buffer_counts(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    file = str(root / "schemas" / "klines.yaml")
    text = Path(file).read_text().replace("binance: data.k.o\n", "binance: data.k.oo\n")
    session = Session(str(root))
    session.open(file, text)
    assert [d.code for d in session.check(file)[file]] == ["SC601"]
    silenced = text.replace("data.k.oo\n", "data.k.oo  # schemac: ignore[SC601]\n")
    session.open(file, silenced)  # the comment is only in the buffer, not on disk
    assert session.check(file)[file] == []
    session.close(file)  # the disk again: clean, and no stale buffer line is read
    assert session.check(file)[file] == []


def test_findings_in_a_block_transform_point_into_the_buffer(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    file = str(root / "schemas" / "quotes.yaml")
    text = Path(file).read_text()
    text += "  spread_typo:\n    type: f64\n    from:\n      binance:\n        path: data.b\n"
    text += "        transform: |\n          toFloat6({v})\n"
    session = Session(str(root))
    session.open(file, text)
    found = [d for d in session.check(file)[file] if "toFloat6" in d.message]
    assert found, session.check(file)[file]
    line = text.splitlines().index("          toFloat6({v})") + 1
    assert (found[0].span.line, found[0].span.column) == (line, 11)
    assert found[0].hint == "did you mean `toFloat64`?"


def test_cross_file_findings_go_to_the_other_file_and_are_cleared(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    first, second = (str(root / "schemas" / name) for name in ("quotes.yaml", "zz.yaml"))
    session = Session(str(root))
    session.open(second, Path(first).read_text())  # a new buffer declaring the same schema
    assert {d.code for d in session.check(second)[second]} >= {"SC401"}
    session.open(second, Path(first).read_text().replace("name: quotes", "name: zz"))
    assert session.check(second)[second] == []


def test_the_memo_reads_a_file_again_only_when_it_changed(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    folder = str(root / "schemas")
    memo = LoadMemo(Session(str(root)).config)
    first = load_project([folder], memo.config, memo=memo)
    again = load_project([folder], memo.config, memo=memo)
    assert [id(s) for s in again.schemas] == [id(s) for s in first.schemas]  # reused
    changed = root / "schemas" / "tickers.yaml"
    changed.write_text(changed.read_text().replace("name: tickers", "name: tickers2"))
    os.utime(changed, ns=(1, 1))  # a different modification time, whatever the clock
    third = load_project([folder], memo.config, memo=memo)
    assert "tickers2" in {s.name for s in third.schemas}
    unchanged = [id(s) for s in third.schemas if s.name != "tickers2"]
    assert unchanged == [id(s) for s in first.schemas if s.name != "tickers"]


def test_a_yaml_file_outside_the_schemas_is_checked_only_when_it_looks_like_one(
    tmp_path: Path,
) -> None:
    root = workspace(tmp_path)
    session = Session(str(root))
    config = str(root / ".pre-commit-config.yaml")
    session.open(config, "repos:\n  - repo: local\n")
    assert session.check(config) == {config: []}
    draft = str(root / "draft.yaml")
    session.open(draft, "name: draft\ncategory: trad\ncolumns: {}\n")
    assert "SC104" in {d.code for d in session.check(draft)[draft]}


def test_a_saved_configuration_is_read_again(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    file = str(root / "schemas" / "tickers.yaml")
    session = Session(str(root))
    session.open(file, Path(file).read_text().replace("name: tickers", "name: other"))
    assert {d.code for d in session.check(file)[file]} == {"SC402"}
    (root / "schemac.toml").write_text('ignore = ["filename-mismatch"]\n')
    session.reload_config()
    assert session.check(file)[file] == []
    (root / "schemac.toml").write_text('ignore = ["no-such-rule"]\n')
    session.reload_config()  # a broken configuration: its finding, on its file; defaults meanwhile
    found = session.check(file)
    assert {d.code for d in found[str(root / "schemac.toml")]} == {"SC901"}


def test_the_schema_follows_the_buffer_back_and_forth(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    file = str(root / "schemas" / "tickers.yaml")
    first = Path(file).read_text()
    second = first.replace("name: tickers", "name: other")
    session = Session(str(root))
    session.open(file, first)
    assert session.schema(file).name == "tickers"  # type: ignore[union-attr]
    session.open(file, second)
    session.check(file)
    assert session.schema(file).name == "other"  # type: ignore[union-attr]
    session.open(file, first)  # back to the text parsed first
    assert session.schema(file).name == "tickers"  # type: ignore[union-attr]
    session.open(file, first.replace("columns:", "columns: [", 1))  # does not parse
    assert session.schema(file).name == "tickers"  # type: ignore[union-attr]


def test_a_sync_spec_gets_validate_s_findings_from_its_buffer(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    (root / "syncs").mkdir()
    spec = str(root / "syncs" / "btc.yaml")
    good = "schema: trades\ndatastreams: [binance:BTCUSDT:trade]\nstart: 3d-ago\n"
    good += "destination: data/btc\n"
    Path(spec).write_text(good)
    session = Session(str(root))
    session.open(spec, good)
    assert session.check(spec)[spec] == []
    session.open(spec, good.replace("start: 3d-ago", "start: 3days-ago"))
    (found,) = session.check(spec)[spec]
    assert (found.span.line, found.span.file) == (3, spec)
    assert "3days-ago" in found.message
    session.open(spec, good.replace("schema: trades", "schema: nope"))
    assert "nope" in session.check(spec)[spec][0].message
    session.open(spec, good)  # fixed in the buffer: the findings are cleared
    assert session.check(spec)[spec] == []


def test_an_unsaved_sync_spec_is_checked_too(tmp_path: Path) -> None:
    root = workspace(tmp_path)
    (root / "syncs").mkdir()
    spec = str(root / "syncs" / "new.yaml")
    session = Session(str(root))
    session.open(spec, "schema: trades\nstart: now\n")
    codes = {d.code for d in session.check(spec)[spec]}
    assert codes, "a spec without destination nor datastreams has findings"

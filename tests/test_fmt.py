"""`schemac fmt`: the canonical layout, comments kept, and the command's modes and exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from helpers import REPO, run_cli

from schemac.fmt import comments, format_text
from schemac.project import discover

SCHEMAS = [Path(p) for p in discover([str(REPO / "schemas")])]  # golden-row files left out

UNORDERED = """\
# a schema written in no particular order
columns:
  ts: {format: ms, meta: collection_timestamp_ns}

  # the price, as Binance sends it
  price:
    from: data.p
    type: decimal(8)   # eight places
exchanges:
    - binance
category: trade
name: t    # the name
"""

CANONICAL = """\
# a schema written in no particular order
name: t    # the name
category: trade
exchanges: [binance]
columns:
  ts:
    meta: collection_timestamp_ns
    format: ms

  # the price, as Binance sends it
  price:
    type: decimal(8)   # eight places
    from: data.p
"""


def fmt(text: str) -> str:
    outcome = format_text(text, "s.yaml")
    assert outcome.text is not None, outcome
    return outcome.text


def test_keys_in_the_format_references_order_with_their_comments() -> None:
    assert fmt(UNORDERED) == CANONICAL
    assert fmt(CANONICAL) == CANONICAL


def test_every_level_is_ordered() -> None:
    text = (
        "columns:\n  side:\n    from:\n"
        "      binance: {case: {true: sell, false: buy}, type: bool, path: data.m}\n"
        "    type: string\n"
        "derive:\n  binance:\n    - value_field: level\n      tag_field: side\n"
        "      arrays: [{tag: bid, path: data.bids}]\n      op: tagged_concat\n"
        "      field: levels\n"
        "unfold: {binance: data.levels}\ncategory: orderbook\nname: b\n"
    )
    assert fmt(text) == (
        "name: b\ncategory: orderbook\nunfold:\n  binance: data.levels\n"
        "derive:\n  binance:\n    - field: levels\n      op: tagged_concat\n"
        "      arrays: [{path: data.bids, tag: bid}]\n      tag_field: side\n"
        "      value_field: level\n"
        "columns:\n  side:\n    type: string\n    from:\n"
        "      binance: {path: data.m, type: bool, case: {true: sell, false: buy}}\n"
    )


def test_unknown_keys_follow_the_known_ones_in_written_order() -> None:
    text = "zeta: 1\nname: t\nalpha: 2\ncategory: trade\ncolumns:\n  ts: {meta: x}\n"
    assert fmt(text).startswith("name: t\ncategory: trade\ncolumns:\n")
    assert fmt(text).index("zeta: 1") < fmt(text).index("alpha: 2")


def test_flow_when_the_line_fits_block_when_it_does_not() -> None:
    long_transform = "concat(toString({v}), '" + "x" * 60 + "')"
    text = (
        "name: t\ncategory: trade\nexchanges: [binance, okx]\ncolumns:\n  a:\n    type: string\n"
        "    from:\n      binance:\n        path: data.s\n        case:\n          X: x\n"
        f'      okx: {{path: data.s, transform: "{long_transform}"}}\n'
    )
    assert fmt(text) == (
        "name: t\ncategory: trade\nexchanges: [binance, okx]\ncolumns:\n  a:\n    type: string\n"
        "    from:\n      binance: {path: data.s, case: {X: x}}\n      okx:\n"
        f'        path: data.s\n        transform: "{long_transform}"\n'
    )
    for line in fmt(text).splitlines():
        assert len(line) <= 100 or "transform" in line


def test_a_comment_inside_keeps_a_mapping_in_block_style() -> None:
    text = (
        "name: t\ncategory: trade\ncolumns:\n  a:\n    type: bool\n    from:\n"
        "      binance:\n        path: data.m   # buyer is maker\n"
    )
    assert fmt(text) == text


def test_columns_and_from_are_block_even_when_short() -> None:
    text = (
        "name: t\ncategory: trade\n"
        "columns: {ts: {meta: collection_timestamp_ns}, p: {type: f64, from: {binance: data.p}}}\n"
    )
    assert fmt(text) == (
        "name: t\ncategory: trade\ncolumns:\n  ts:\n    meta: collection_timestamp_ns\n"
        "  p:\n    type: f64\n    from:\n      binance: data.p\n"
    )


def test_two_space_indent_and_blank_line_groups_kept() -> None:
    text = (
        "name: t\n\n\ncategory: trade\n\ncolumns:\n"
        "    ts:\n        meta: collection_timestamp_ns\n\n"
        "    p:\n        type: f64\n        from: data.p\n"
    )
    assert fmt(text) == (
        "name: t\n\n\ncategory: trade\n\ncolumns:\n  ts:\n    meta: collection_timestamp_ns\n\n"
        "  p:\n    type: f64\n    from: data.p\n"
    )


def test_a_comment_after_a_flow_mapping_that_turns_block_follows_its_key() -> None:
    text = (
        "name: t\ncategory: trade\ncolumns:\n  p:\n    type: string\n    from:\n"
        f'      okx: {{path: data.s, transform: "{"x" * 90}({{v}})"}}  # why\n\n'
        "  # next column\n  q:\n    type: f64\n    from: data.q\n"
    )
    out = fmt(text)
    assert "      okx:  # why\n        path: data.s\n" in out
    assert '({v})"\n\n  # next column\n  q:\n' in out


def test_quotes_and_scalars_are_kept_as_written() -> None:
    text = (
        'name: \'t\'\ncategory: "trade"\ncolumns:\n  "on":\n    type: string\n    from:\n'
        "      binance: {path: data.s, case: {'yes': Y, 0x1F: hex, 1_0: x}}\n"
    )
    assert fmt(text) == text


def test_comments_finds_real_comments_only() -> None:
    text = 'a: "x # y"  # real\nb: |\n  # not one\n  text\nc: d#e\n# own line\n'
    assert comments(text) == ["# real", "# own line"]


def test_yaml_errors_and_wire_files_are_not_formatted() -> None:
    broken = format_text("name: [\n", "b.yaml")
    assert broken.text is None and [d.code for d in broken.findings] == ["SC001"]
    duplicate = format_text("name: a\nname: b\n", "d.yaml")
    assert duplicate.text is None and [d.code for d in duplicate.findings] == ["SC002"]
    wire = format_text("name: w\nstream_category: trade\ncolumns: []\n", "w.yaml")
    assert wire.text is None and wire.skipped is not None and "wire" in wire.skipped


# ---- the command ----------------------------------------------------------------------


def _project(tmp_path: Path, files: dict[str, str]) -> Path:
    (tmp_path / "schemac.toml").write_text('paths = ["schemas"]\n')
    (tmp_path / "schemas").mkdir()
    for name, text in files.items():
        (tmp_path / "schemas" / name).write_text(text)
    return tmp_path


def test_check_prints_a_diff_and_exits_1_writing_nothing(tmp_path: Path) -> None:
    root = _project(tmp_path, {"t.yaml": UNORDERED, "ok.yaml": CANONICAL})
    result = run_cli("fmt", "--check", cwd=root)
    assert result.code == 1, result
    assert result.out.startswith("--- schemas/t.yaml\n+++ schemas/t.yaml\n")
    assert "-category: trade\n" in result.out and "ok.yaml" not in result.out
    assert "1 file would be reformatted, 1 file already formatted" in result.err
    assert (root / "schemas" / "t.yaml").read_text() == UNORDERED


def test_diff_prints_and_writes_nothing_exit_0(tmp_path: Path) -> None:
    root = _project(tmp_path, {"t.yaml": UNORDERED})
    result = run_cli("fmt", "--diff", "schemas/t.yaml", cwd=root)
    assert result.code == 0, result
    assert "+name: t    # the name\n" in result.out
    assert (root / "schemas" / "t.yaml").read_text() == UNORDERED


def test_fmt_writes_changed_files_only(tmp_path: Path) -> None:
    root = _project(tmp_path, {"t.yaml": UNORDERED, "ok.yaml": CANONICAL})
    untouched = root / "schemas" / "ok.yaml"
    os.utime(untouched, (1_000_000_000, 1_000_000_000))
    result = run_cli("fmt", cwd=root)
    assert result.code == 0, result
    assert result.out == ""
    assert "reformatted schemas/t.yaml" in result.err
    assert (root / "schemas" / "t.yaml").read_text() == CANONICAL
    assert untouched.stat().st_mtime == 1_000_000_000
    again = run_cli("fmt", "--check", cwd=root)
    assert again.code == 0 and again.out == ""
    assert not list((root / "schemas").glob(".*"))  # no temporary file left behind


def test_a_yaml_error_is_reported_as_validate_does_and_the_file_left(tmp_path: Path) -> None:
    broken = "name: t\ncategory: trade\ncolumns:\n  price: {type: decimal(18), from: data.p\n"
    root = _project(tmp_path, {"b.yaml": broken, "t.yaml": UNORDERED})
    result = run_cli("fmt", "--no-color", cwd=root)
    assert result.code == 1
    assert "schemas/b.yaml:4:10: error[SC001] invalid YAML" in result.err
    assert (root / "schemas" / "b.yaml").read_text() == broken
    assert (root / "schemas" / "t.yaml").read_text() == CANONICAL  # the others are formatted
    validate = run_cli("validate", "--no-color", "schemas/b.yaml", cwd=root)
    assert validate.code == result.code


def test_json_and_wire_files_are_skipped_with_a_word(tmp_path: Path) -> None:
    wire = '{"name": "w", "stream_category": "trade", "columns": []}\n'
    root = _project(tmp_path, {"w.json": wire, "w.yaml": "name: w\nstream_category: trade\n"})
    result = run_cli("fmt", cwd=root)
    assert result.code == 0, result
    assert "skipped schemas/w.json: a JSON file" in result.err
    assert "skipped schemas/w.yaml: wire JSON" in result.err
    assert (root / "schemas" / "w.json").read_text() == wire


def test_a_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("fmt", "nowhere.yaml", cwd=_project(tmp_path, {}))
    assert result.code == 2 and "no such file or directory: nowhere.yaml" in result.err


def test_quiet_prints_only_diffs(tmp_path: Path) -> None:
    root = _project(tmp_path, {"t.yaml": UNORDERED})
    result = run_cli("fmt", "--check", "-q", cwd=root)
    assert result.code == 1 and result.err == "" and result.out.startswith("--- ")


def test_validate_does_not_import_ruamel(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text(CANONICAL)
    code = (
        "import sys\nfrom schemac.cli import main\n"
        f"rc = main(['validate', {str(tmp_path)!r}])\n"
        "print(any(m.startswith('ruamel') for m in sys.modules), rc)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=60
    )
    assert result.stdout.strip().splitlines()[-1] == "False 0", result.stderr


def test_the_bundled_schemas_format_and_compile_the_same(tmp_path: Path) -> None:
    for path in SCHEMAS:
        (tmp_path / path.name).write_text(path.read_text())
    before = {p.name: run_cli("compile", str(p)).out for p in sorted(tmp_path.glob("*.yaml"))}
    assert len(before) == 5
    assert run_cli("fmt", str(tmp_path)).code == 0
    after = {p.name: run_cli("compile", str(p)).out for p in sorted(tmp_path.glob("*.yaml"))}
    assert after == before and all(before.values())


def test_the_bundled_schemas_are_in_the_canonical_layout() -> None:
    result = run_cli("fmt", "--check", *(str(p) for p in SCHEMAS))
    assert result.code == 0 and result.out == "", result.out


def test_an_anchored_mapping_is_reordered_once_and_its_alias_kept() -> None:
    text = "columns:\n  a: &x\n    from: data.p\n    type: f64\n  b: *x\ncategory: trade\nname: t\n"
    assert fmt(text) == (
        "name: t\ncategory: trade\ncolumns:\n  a: &x\n    type: f64\n    from: data.p\n  b: *x\n"
    )


def test_crlf_line_ends_become_lf() -> None:
    assert fmt("name: t\r\ncategory: trade\r\ncolumns: {}\r\n") == (
        "name: t\ncategory: trade\ncolumns: {}\n"
    )


def test_a_document_that_is_not_a_mapping_is_skipped() -> None:
    outcome = format_text("- a\n- b\n", "l.yaml")
    assert (
        outcome.text is None and outcome.skipped == "not a schema (the document is not a mapping)"
    )

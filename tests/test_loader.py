"""The load stage: bytes -> located tree, YAML 1.2 scalars, duplicates, limits, positions."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import MINIMAL_SCHEMA, run_cli

from schemac.checks import all_checks
from schemac.core.loader import MAX_NODES, Mapping, Scalar, Sequence, load_file, load_text, plain


def load(text: str, *, is_json: bool = False):  # type: ignore[no-untyped-def]
    root, diagnostics = load_text("f.yaml", text, is_json=is_json)
    return root, [(d.code, d.span.line, d.span.column) for d in diagnostics]


def test_yaml_12_scalars() -> None:
    root, problems = load(
        "a: true\nb: false\nc: Yes\nd: on\ne: off\nf: no\ng: 'true'\nh: 12\ni: 1.5\nj: ~\n"
        'k: 0x1f\nl: 0o17\nm: 012\nn: .inf\no: "12"\np: 1e3\nq: !!str 7\n'
    )
    assert problems == []
    assert plain(root) == {
        "a": True,
        "b": False,
        "c": "Yes",
        "d": "on",
        "e": "off",
        "f": "no",
        "g": "true",
        "h": 12,
        "i": 1.5,
        "j": None,
        "k": 31,
        "l": 15,
        "m": 12,
        "n": float("inf"),
        "o": "12",
        "p": 1000.0,
        "q": "7",
    }


def test_case_keys_yes_no_on_are_strings() -> None:
    root, _ = load("case: {Yes: open, No: closed, on: open}\n")
    assert plain(root) == {"case": {"Yes": "open", "No": "closed", "on": "open"}}


def test_positions_are_one_based_and_point_at_the_value() -> None:
    root, _ = load("name: x\ncolumns:\n  price: {type: f64}\n")
    assert isinstance(root, Mapping)
    columns = root.get("columns")
    assert isinstance(columns, Mapping)
    key, value = columns.items[0]
    assert (key.span.line, key.span.column, key.span.end_column) == (3, 3, 8)
    type_node = value.get("type")  # type: ignore[union-attr]
    assert isinstance(type_node, Scalar)
    assert (type_node.span.line, type_node.span.column, type_node.span.end_column) == (3, 17, 20)


def test_duplicate_key_reported_at_second_occurrence() -> None:
    _, problems = load("a: 1\nb: 2\na: 3\n")
    assert problems == [("SC002", 3, 1)]


def test_duplicate_key_in_json() -> None:
    _, problems = load('{"a": 1,\n "a": 2}', is_json=True)
    assert problems == [("SC002", 2, 2)]


def test_equal_keys_of_different_types_are_not_duplicates() -> None:
    _, problems = load("case: {true: a, 'true': b, 1: c, '1': d}\n")
    assert problems == []


def test_json_syntax_error_uses_json_position() -> None:
    _, problems = load('{\n  "a": 1,\n}\n', is_json=True)
    assert problems[0][:2] == ("SC001", 3)


def test_unclosed_bracket_points_where_it_opens() -> None:
    _, problems = load("a: 1\nb: [1, 2\n")
    assert problems == [("SC001", 2, 4)]


def test_billion_laughs_is_refused_quickly() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for prev, cur in zip("abcdefgh", "bcdefghi", strict=False):
        lines.append(f"{cur}: &{cur} [{', '.join(['*' + prev] * 9)}]")
    _, problems = load("\n".join(lines) + "\n")
    assert [p[0] for p in problems] == ["SC003"]
    assert MAX_NODES < 9**9


def test_small_aliases_are_fine() -> None:
    root, problems = load("base: &b {type: f64}\nother: *b\n")
    assert problems == []
    assert plain(root) == {"base": {"type": "f64"}, "other": {"type": "f64"}}


@pytest.mark.parametrize("opener", ["[", "{a: ", "- "])
def test_deep_nesting_is_refused(opener: str) -> None:
    text = "".join("  " * i + "-\n" for i in range(500)) if opener == "- " else opener * 5000
    _, problems = load(text)
    assert problems and problems[0][0] in ("SC003", "SC001")


def test_ten_megabytes_of_nesting_does_not_crash(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 5_000_000 + "]" * 5_000_000)
    root, problems = load_file(str(path))
    assert root is None
    assert problems[0].code in ("SC003", "SC001")


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(b"name: \xff\xfe\x00\x01")
    root, problems = load_file(str(path))
    assert root is None
    assert [(p.code, p.span.line, p.span.column) for p in problems] == [("SC004", 1, 7)]


def test_control_characters_are_a_syntax_error() -> None:
    _, problems = load("name: a\x00b\n")
    assert problems[0][0] == "SC001"


def test_empty_and_comment_only_files() -> None:
    assert load("")[1] == [("SC005", 1, 1)]
    assert load("# nothing\n\n")[1] == [("SC005", 1, 1)]


def test_unreadable_path(tmp_path: Path) -> None:
    root, problems = load_file(str(tmp_path / "missing.yaml"))
    assert root is None
    assert problems[0].code == "SC006"
    root, problems = load_file(str(tmp_path))  # a folder
    assert problems[0].code == "SC006"


def test_byte_order_mark_is_accepted() -> None:
    root, problems = load_text("f.yaml", "\ufeffname: x\n")
    assert problems == []
    assert plain(root) == {"name": "x"}


def test_json_with_tabs_and_escapes() -> None:
    root, problems = load('{\t"a":\t"\\u00e9\\/x",\n\t"b": [1,\t2]}', is_json=True)
    assert problems == []
    assert plain(root) == {"a": "é/x", "b": [1, 2]}


def test_sequences_and_styles() -> None:
    root, _ = load("a:\n  - 'x'\n  - |\n    block\n")
    assert isinstance(root, Mapping)
    seq = root.get("a")
    assert isinstance(seq, Sequence)
    assert [item.style for item in seq.items] == ["'", "|"]  # type: ignore[attr-defined]


def test_huge_integers_are_diagnostics_not_tracebacks(project: Path) -> None:
    digits = "9" * 5000
    (project / "a.json").write_text('{"name": ' + digits + "}")
    (project / "b.yaml").write_text(
        f"name: b\ncategory: trade\ncolumns:\n  c: {{type: {digits}}}\n"
    )
    (project / "c.yaml").write_text(
        MINIMAL_SCHEMA.replace("name: s", "name: c")
        + f"  p: {{type: decimal({digits}), from: data.p}}\n"
    )
    result = run_cli("validate", "a.json", "b.yaml", "c.yaml")
    assert result.code == 1
    assert "a.json:1:1: error[SC001]" in result.out
    assert "b.yaml:4:13: error[SC105]" in result.out  # kept as text: not a type
    assert "c.yaml:6:" in result.out and "error[SC105]" in result.out  # not a decimal(N)


def test_the_load_stage_declares_every_rule_it_emits(tmp_path: Path) -> None:
    (registered,) = [c for c in all_checks() if c.function is load_file]
    assert registered.scope == "stage"
    declared = {rule.code for rule in registered.rules}
    cases = Path(__file__).parent / "rules" / "cases"
    paths = [p for case in cases.iterdir() for p in ([case] if case.is_file() else case.iterdir())]
    paths.append(tmp_path / "missing.yaml")
    emitted = {d.code for path in paths for d in load_file(str(path))[1]}
    assert emitted - declared == set()
    assert {"SC001", "SC002", "SC003", "SC004", "SC005", "SC006"} <= emitted

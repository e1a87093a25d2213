"""Text output is bounded and inert (issue 13, "Every input is bounded" and "Output and secrets"):
a window of the source line, a cap on findings per file, and every field escaped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schemac.diagnostics import Diagnostic, Severity, Span
from schemac.fileio import printable
from schemac.render.text import SOURCE_WIDTH, render_text
from schemac.vocabulary import EXIT_FINDINGS
from tests.helpers import run_cli

HEAD = (
    "name: t, category: trade, exchanges: [binance], columns: {ts: {meta: collection_timestamp_ns}}"
)


@pytest.fixture
def one_line_file(tmp_path: Path) -> Path:
    """59 KB on one line: a schema followed by 6,000 unknown keys."""
    keys = ", ".join(f"k{i}: 1" for i in range(6000))
    path = tmp_path / "t.yaml"
    path.write_text("{" + HEAD + ", " + keys + "}\n")
    assert 55_000 < path.stat().st_size < 65_000
    return path


def test_a_one_line_file_with_6000_findings_prints_a_bounded_amount(one_line_file: Path) -> None:
    result = run_cli("validate", str(one_line_file))
    assert result.code == EXIT_FINDINGS
    size = len(result.out.encode())
    assert size < 120_000, size  # 200 findings of a few hundred bytes each (it was 529 MB)
    assert result.out.count("error[SC101]") == 200
    assert f"{one_line_file}: 5,800 more findings not shown" in result.out
    assert result.out.endswith("Found 6000 errors, 0 warnings in 1 file.\n")  # all counted
    longest = max(len(line) for line in result.out.splitlines() if " | " in line)
    assert longest <= SOURCE_WIDTH + 20  # gutter + both ellipses


def test_the_cap_is_an_option_and_a_setting(one_line_file: Path, tmp_path: Path) -> None:
    five = run_cli("validate", str(one_line_file), "--max-findings", "5")
    assert five.out.count("error[SC101]") == 5 and "5,995 more findings" in five.out
    every = run_cli("validate", str(one_line_file), "--max-findings", "0")
    assert every.out.count("error[SC101]") == 6000 and "not shown" not in every.out
    config = tmp_path / "schemac.toml"
    config.write_text("max_findings = 3\n")
    three = run_cli("validate", str(one_line_file), "--config", str(config))
    assert three.out.count("error[SC101]") == 3
    as_json = run_cli("validate", str(one_line_file), "--format", "json")
    assert len(json.loads(as_json.out)["diagnostics"]) == 6000  # machine formats are complete


def test_the_source_line_is_a_window_around_the_caret(tmp_path: Path) -> None:
    path = tmp_path / "long.yaml"
    path.write_text("a: " + "x" * 5000 + " target " + "y" * 5000 + "\n")
    diagnostic = Diagnostic(
        "SC101", "unknown-key", Severity.ERROR, "here", Span(str(path), 1, 5005, 1, 5011)
    )
    text = render_text([diagnostic], 1, summary=False)
    source, caret = text.splitlines()[1:3]
    assert source.startswith(" 1 | ...") and source.endswith("...")
    assert len(source) == len(" 1 | ") + 3 + SOURCE_WIDTH + 3
    start = caret.index("^")
    assert source[start : start + 6] == "target" and caret[start:] == "^" * 6


def test_a_short_line_is_shown_whole(tmp_path: Path) -> None:
    path = tmp_path / "short.yaml"
    path.write_text("categroy: trade\n")
    diagnostic = Diagnostic("SC101", "x", Severity.ERROR, "m", Span(str(path), 1, 1, 1, 9))
    assert render_text([diagnostic], 1, summary=False).splitlines()[1:3] == [
        " 1 | categroy: trade",
        "   | ^^^^^^^^",
    ]


def test_control_characters_never_reach_the_output(tmp_path: Path) -> None:
    # a file name that would inject a GitHub workflow command, a category value with ESC, a
    # bidi control in the source line
    name = "x\n::warning file=evil.yaml::pwned\x1b[2J.yaml"
    path = tmp_path / name
    path.write_text(
        'name: "x\\e]0;title\\a"\ncategory: "trade\\e[31m"  # \u202eevil\n'
        "exchanges: [binance]\ncolumns:\n  ts: {meta: collection_timestamp_ns}\n"
    )
    result = run_cli("validate", str(path), "--no-color")
    assert result.code == EXIT_FINDINGS
    assert "\x1b" not in result.out and "\x07" not in result.out
    assert "\u202e" not in result.out
    assert not any(line.startswith("::") for line in result.out.splitlines())
    assert "x\\n::warning file=evil.yaml::pwned\\x1b[2J.yaml:2:11: error[SC104]" in result.out
    assert "unknown category `trade\\x1b[31m`" in result.out
    assert "# \\u202eevil" in result.out  # the echoed source, escaped


def test_the_caret_stays_under_escaped_text(tmp_path: Path) -> None:
    path = tmp_path / "e.yaml"
    path.write_text("a\x1bb: key\n")
    diagnostic = Diagnostic("SC101", "x", Severity.ERROR, "m", Span(str(path), 1, 6, 1, 9))
    source, caret = render_text([diagnostic], 1, summary=False).splitlines()[1:3]
    assert source == " 1 | a\\x1bb: key"
    assert source[caret.index("^") :] == "key"


def test_printable_escapes_what_a_terminal_would_act_on() -> None:
    assert printable("plain ASCII, é, 日本") == "plain ASCII, é, 日本"
    assert printable("a\nb\rc\td") == "a\\nb\\rc\\td"
    assert printable("\x00\x1b\x7f\x9b") == "\\x00\\x1b\\x7f\\x9b"
    assert printable("\u202e\u2066\u200f\u2028\ufeff") == "\\u202e\\u2066\\u200f\\u2028\\ufeff"
    assert printable("\udc80") == "\\udc80"  # a lone surrogate: no encoding can print it


@pytest.mark.parametrize(
    ("written", "shown"),
    [("\\0", "\\x00"), ("\\e", "\\x1b"), ("\\u202e", "\\u202e"), ("\\L", "\\u2028")],
)
def test_validate_refuses_names_the_api_refuses(tmp_path: Path, written: str, shown: str) -> None:
    path = tmp_path / "n.yaml"
    path.write_text(
        f'name: "n{written}"\ncategory: trade\nexchanges: [binance]\n'
        f'columns:\n  ts: {{meta: collection_timestamp_ns}}\n  "c{written}": {{meta: '
        "collection_timestamp_ns, format: ms}\n"
    )
    result = run_cli("validate", str(path))
    assert result.code == EXIT_FINDINGS
    assert (
        f"n.yaml:1:7: error[SC119] schema name `n{shown}` holds a control character" in result.out
    )
    assert (
        f"n.yaml:6:3: error[SC119] column name `c{shown}` holds a control character" in result.out
    )

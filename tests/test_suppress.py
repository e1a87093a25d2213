"""Suppression comments: `# schemac: ignore[...]` on a line, `# schemac: ignore-file[...]`."""

from __future__ import annotations

from pathlib import Path

from helpers import run_cli

BASE = """name: s
category: trade
exchanges: [binance, bybit_spot]
unfold: {bybit_spot: data}
columns:
  size: {type: f64, from: {binance: data.q, bybit_spot: data.v}}
"""


def codes(project: Path, text: str) -> list[tuple[str, int]]:
    (project / "s.yaml").write_text(text)
    import json

    result = run_cli("validate", "s.yaml", "--format", "json")
    return [(d["code"], d["line"]) for d in json.loads(result.out)["diagnostics"]]


def test_line_comment_by_code_by_name_and_bare(project: Path) -> None:
    column = "  price:   {type: f64, from: {binance: data.p}}"
    assert ("SC308", 7) in codes(project, BASE + column + "\n")
    assert codes(project, BASE + column + "  # schemac: ignore[SC308]\n") == []
    assert codes(project, BASE + column + "  # schemac: ignore[unmapped-exchange]\n") == []
    assert codes(project, BASE + column + "  # schemac: ignore\n") == []
    assert ("SC308", 7) in codes(project, BASE + column + "  # schemac: ignore[SC101]\n")


def test_a_comment_silences_only_its_own_line(project: Path) -> None:
    text = BASE + (
        "  price: {type: f64, from: {binance: data.p}}  # schemac: ignore[SC308]\n"
        "  qty: {type: f64, from: {binance: data.q}}\n"
    )
    assert codes(project, text) == [("SC308", 8)]


def test_file_comment(project: Path) -> None:
    text = (
        "# schemac: ignore-file[unmapped-exchange, SC402]\n"
        + BASE.replace("name: s", "name: other")
        + "  price: {type: f64, from: {binance: data.p}}\n"
    )
    assert codes(project, text) == []


def test_reading_errors_cannot_be_silenced(project: Path) -> None:
    text = BASE + "  size: {meta: collection_timestamp_ns}  # schemac: ignore\n"
    assert ("SC002", 7) in codes(project, text)

"""A corpus of hostile transforms (tests/sql/hostile_transforms.txt): each one is an error.

Every line goes through `schemac validate` as a schema's transform and must make it exit 1 with
an error of the transform rules (SC2xx), located inside the transform. The corpus holds what got
through the old deny-list (issue 13), ClickHouse's table functions, dictionaries, system tables,
settings, readers of files, URLs and other servers, `INTO OUTFILE`, `SETTINGS`, `FORMAT`,
aggregates and windows, huge allocations, and obfuscated spellings (case, quoting, comments
inside names, look-alike and invisible characters, bidi controls).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from helpers import run_cli

from schemac.core.yamltext import scalar

CORPUS = Path(__file__).with_name("hostile_transforms.txt")
SCHEMA = (
    "name: hostile\ncategory: trade\nexchanges: [binance]\ncolumns:\n"
    "  ts: {meta: collection_timestamp_ns, format: ms}\n"
    "  price:\n    from:\n      binance:\n        path: data.p\n        type: string\n"
    "        transform: "
)
TRANSFORM_LINE = 11


def corpus() -> list[str]:
    """The corpus's transforms, with each \\uXXXX turned into its character."""
    found = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            found.append(re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m[1], 16)), line))
    return found


def test_the_corpus_is_large_and_covers_the_issue() -> None:
    texts = corpus()
    assert len(texts) >= 150 and len(set(texts)) == len(texts)
    for needed in ("system.users", "dictGetIPv4", "INTO OUTFILE", "SETTINGS", "FORMAT", "\u202e"):
        assert any(needed in text for text in texts), needed


def _validate(tmp_path: Path, text: str) -> tuple[int, list[dict[str, object]]]:
    schema = tmp_path / "hostile.yaml"
    schema.write_text(SCHEMA + scalar(text) + "\n", encoding="utf-8")
    result = run_cli("validate", "--format", "json", str(schema))
    return result.code, json.loads(result.out)["diagnostics"]


@pytest.mark.parametrize("text", corpus(), ids=lambda text: ascii(text)[:60])
def test_a_hostile_transform_is_an_error(tmp_path: Path, text: str) -> None:
    code, found = _validate(tmp_path, text)
    errors = [d for d in found if d["severity"] == "error" and str(d["code"]).startswith("SC2")]
    assert code == 1 and errors, f"{text!r} passed: {found}"
    assert all(d["line"] == TRANSFORM_LINE for d in errors), errors


def test_a_transform_longer_than_the_api_accepts_is_an_error(tmp_path: Path) -> None:
    text = "{v}" + " + 1" * 1250  # 5,003 characters: the API refuses more than 4,096
    code, found = _validate(tmp_path, text)
    assert code == 1 and [d["code"] for d in found] == ["SC207"]
    assert _validate(tmp_path, "{v}" + " + 1" * 1000) == (0, [])  # 4,003 characters

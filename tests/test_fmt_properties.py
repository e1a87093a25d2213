"""Property tests of `schemac fmt`: fmt of fmt is fmt, fmt never changes what `compile`
produces, and no comment is lost; over generated schemas, every bundled schema and every rule
case file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fmt_strategies import schema_texts
from helpers import REPO
from hypothesis import HealthCheck, given, settings

from schemac.config import Config
from schemac.core.loader import load_text
from schemac.core.parse import parse_document
from schemac.fmt import comments, format_text
from schemac.project import discover
from schemac.render.wire import to_wire

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SCHEMAS = [Path(p) for p in discover([str(REPO / "schemas")])]  # golden-row files left out
FILES = sorted([*SCHEMAS, *(REPO / "tests" / "rules" / "cases").glob("*.yaml")])


def compiled(text: str) -> tuple[Any, list[tuple[str, str]]]:
    """What compile makes of a text: the wire body (None without a schema) and the findings
    of reading it (code and message; their positions move with the layout)."""
    root, found = load_text("s.yaml", text)
    if root is None:
        return None, [(d.code, d.message) for d in found]
    schema, parsed = parse_document(root, "s.yaml", Config())
    body = to_wire(schema) if schema is not None else None
    return body, [(d.code, d.message) for d in [*found, *parsed]]


def assert_formats_faithfully(text: str) -> str:
    outcome = format_text(text, "s.yaml")
    assert outcome.text is not None, outcome
    again = format_text(outcome.text, "s.yaml")
    assert again.text == outcome.text, "fmt of fmt is not fmt"
    assert compiled(outcome.text) == compiled(text)
    assert sorted(comments(outcome.text)) == sorted(comments(text))
    return outcome.text


@SETTINGS
@given(text=schema_texts())
def test_generated_schemas(text: str) -> None:
    assert_formats_faithfully(text)


def _readable(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return False
    root, found = load_text(str(path), text)
    return root is not None and not any(d.severity.value == "error" for d in found)


@pytest.mark.parametrize("path", [p for p in FILES if _readable(p)], ids=lambda p: p.name)
def test_every_bundled_schema_and_case_file(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    body, _ = compiled(text)
    formatted = assert_formats_faithfully(text)
    if body is not None:
        assert compiled(formatted)[0] == body


def test_the_bundled_schemas_include_ones_that_compile() -> None:
    """The parametrized test above covers files that compile, not only broken ones."""
    bodies = [compiled(p.read_text())[0] for p in SCHEMAS]
    assert len(bodies) == 5 and all(body is not None and body["columns"] for body in bodies)

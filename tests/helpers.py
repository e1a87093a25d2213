"""Helpers shared by the tests: run the CLI in-process and capture what it prints."""

from __future__ import annotations

import io
import os
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

from schemac.cli import main

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"
# The bundled example schemas (their golden-row files, *.test.yaml, beside them are not schemas).
EXAMPLE_SCHEMAS = sorted(
    p for p in (REPO / "schemas").glob("*.yaml") if not p.name.endswith(".test.yaml")
)


def docs_text() -> str:
    """The README and every docs page, for tests that hold a documented fact wherever it lives."""
    pages = [REPO / "README.md", *sorted(DOCS.glob("*.md"))]
    return "\n".join(page.read_text("utf-8") for page in pages)


@dataclass
class Result:
    code: int
    out: str
    err: str


def run_cli(*args: str, cwd: Path | None = None) -> Result:
    """Run `schemac ARGS` in this process and capture what it prints."""
    out, err = io.StringIO(), io.StringIO()
    previous = Path.cwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        with redirect_stdout(out), redirect_stderr(err):
            code = main(list(args))
    finally:
        os.chdir(previous)
    return Result(code, out.getvalue(), err.getvalue())


# The smallest clean schema: one meta column (append column lines to extend it).
MINIMAL_SCHEMA = (
    "name: s\ncategory: trade\nexchanges: [binance]\ncolumns:\n"
    "  ts: {meta: collection_timestamp_ns}\n"
)

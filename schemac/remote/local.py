"""The local side: schema files -> compiled wire bodies, offline."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from schemac.config import Config
from schemac.core.ir import Schema
from schemac.diagnostics import Diagnostic, Severity


@dataclass
class LocalSchema:
    schema: Schema
    body: dict[str, Any]  # the create body (to_wire)

    @property
    def key(self) -> tuple[str, str]:
        return self.schema.key

    @property
    def source(self) -> str:
        return self.schema.source or "<schema>"


def compile_text(
    text: str, file: str, config: Config | None = None
) -> tuple[dict[str, Any] | None, list[Diagnostic]]:
    """Parse one document (YAML authoring or wire JSON) and compile it; no checks beyond parsing."""
    from schemac.core.loader import load_text
    from schemac.core.parse import parse_document
    from schemac.render.wire import to_wire

    config = config or Config()
    root, problems = load_text(file, text, is_json=file.endswith(".json"))
    if root is None:
        return None, problems
    schema, found = parse_document(root, file, config)
    problems = [*problems, *found]
    if schema is None or any(d.severity is Severity.ERROR for d in problems):
        return None, problems
    return to_wire(schema), problems


def errors_of(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.severity is Severity.ERROR]


def format_diagnostic(d: Diagnostic) -> str:
    where = f"{d.span.file}:{d.span.line}:{d.span.column}" if d.span else "<schema>"
    return f"{where}: {d.severity.value} {d.code} {d.message}"

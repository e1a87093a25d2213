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


class InvalidSchemas(Exception):
    """Schema files with errors: nothing is sent for a project that does not validate."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__(f"{len(diagnostics)} error(s) in the schema files")
        self.diagnostics = diagnostics


def load_local(paths: list[str] | None, config: Config) -> list[LocalSchema]:
    """Every schema under ``paths`` (default: the configured paths), validated and compiled.

    Raises :class:`InvalidSchemas` on any error, and ``schemac.project.PathNotFound``."""
    from schemac.project import check_project, load_project
    from schemac.render.wire import to_wire

    project = load_project(paths or None, config)
    errors = errors_of(check_project(project))
    if errors:
        raise InvalidSchemas(errors)
    return [LocalSchema(schema, to_wire(schema)) for schema in project.schemas]

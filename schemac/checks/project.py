"""Checks over the whole project (scope "project"): what no single schema can show.

Each is ``(schemas, config) -> Iterator[Diagnostic]``: the same schema declared twice, a file
named after another schema, a configured catalog folder that does not exist.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from schemac.config import Config
from schemac.core.ir import Schema
from schemac.diagnostics import Diagnostic, Span
from schemac.rules import check
from schemac.rules.project import CONFIG_ERROR, DUPLICATE_SCHEMA, FILENAME_MISMATCH


@check(CONFIG_ERROR, scope="project")
def check_catalog_dirs(schemas: list[Schema], config: Config) -> Iterator[Diagnostic]:
    """A configured catalog folder that does not exist would silently check nothing."""
    for folder in config.catalog_dirs:
        if not (config.root / folder).is_dir():
            span = Span.point(config.source or "schemac.toml")
            message = f"catalog folder `{folder}` does not exist (catalog_dirs)"
            yield CONFIG_ERROR.at(span, message)


@check(DUPLICATE_SCHEMA, scope="project")
def check_duplicate_schemas(schemas: list[Schema], config: Config) -> Iterator[Diagnostic]:
    first: dict[tuple[str, str], Schema] = {}
    for schema in schemas:
        if schema.key not in first:
            first[schema.key] = schema
            continue
        original = first[schema.key]
        where = original.source or "another file"
        if original.name_span is not None:
            where += f":{original.name_span.line}"
        message = (
            f"schema `{schema.name}` ({schema.category}) is also declared in {where}; "
            "a name is unique per category"
        )
        span = schema.name_span or Span.point(schema.source or "<schema>")
        yield DUPLICATE_SCHEMA.at(span, message)


@check(FILENAME_MISMATCH, scope="project")
def check_file_names(schemas: list[Schema], config: Config) -> Iterator[Diagnostic]:
    for schema in schemas:
        if schema.source is None:
            continue
        stem = Path(schema.source).stem
        if stem in (schema.name, f"{schema.name}@{schema.category}"):
            continue
        span = schema.name_span or Span.point(schema.source)
        message = f"file `{Path(schema.source).name}` holds schema `{schema.name}`"
        hint = f"rename the file to `{schema.name}{Path(schema.source).suffix}`"
        yield FILENAME_MISMATCH.at(span, message, hint)

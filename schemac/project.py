"""A project: the schema files named on the command line (or in the configuration), loaded.

load_project reads and parses every file; check_project runs the checks, the cross-file rules
and the configuration's severity overrides, and returns every diagnostic in file order.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from schemac.config import Config

if TYPE_CHECKING:
    from schemac.catalog import Catalog
from schemac.core.ir import Schema
from schemac.diagnostics import Diagnostic, Severity, Span
from schemac.rules import core as rules

SCHEMA_SUFFIXES = (".yaml", ".yml", ".json")


class PathNotFound(Exception):
    """A path given by the user does not exist (a usage error, exit 2)."""


@dataclass
class Project:
    config: Config
    files: list[str] = field(default_factory=list)
    schemas: list[Schema] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)  # from loading and parsing


def discover(paths: list[str]) -> list[str]:
    """Schema files under ``paths``: files as given, folders searched recursively, sorted.

    Hidden folders and files (a leading dot) are skipped inside folders, as are files without a
    schema suffix. A file named explicitly is always read, whatever its suffix.
    """
    files: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            found = []
            for folder, subfolders, names in os.walk(path):
                subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
                for name in names:
                    if name.startswith(".") or not name.lower().endswith(SCHEMA_SUFFIXES):
                        continue
                    found.append(os.path.join(folder, name))
            files.extend(sorted(found))
        elif os.path.exists(path):
            files.append(path)
        else:
            raise PathNotFound(path)
    unique: list[str] = []
    seen: set[str] = set()
    for file in files:
        key = os.path.realpath(file)  # the same file reached by two paths is read once
        if key not in seen:
            seen.add(key)
            unique.append(file)
    return unique


def load_project(paths: list[str] | None = None, config: Config | None = None) -> Project:
    from schemac.config import resolve_paths
    from schemac.core.loader import load_file
    from schemac.core.parse import parse_document

    config = config or Config()
    project = Project(config=config)
    project.files = discover(resolve_paths(config, paths))
    for file in project.files:
        root, problems = load_file(file)
        project.diagnostics.extend(problems)
        if root is None:
            continue
        if any(
            d.severity is Severity.ERROR and d.code != rules.DUPLICATE_KEY.code for d in problems
        ):
            continue
        schema, found = parse_document(root, file, config)
        project.diagnostics.extend(found)
        if schema is not None:
            project.schemas.append(schema)
    return project


def check_project(project: Project) -> list[Diagnostic]:
    from schemac.checks.schema import check_schema
    from schemac.checks.types import check_schema_types

    found = [*project.diagnostics, *catalog_dir_problems(project.config)]
    catalog = None
    for schema in project.schemas:
        found.extend(check_schema(schema, project.config))
        if catalog is None:
            catalog = _load_catalog(project.config)
        for diagnostic in _catalog_findings(schema, catalog, project.config):
            if diagnostic not in found:  # a broken catalog file is reported once, not per schema
                found.append(diagnostic)
        found.extend(check_schema_types(schema, project.config))
    found.extend(check_duplicate_schemas(project.schemas))
    found.extend(check_file_names(project.schemas))
    if "schemac.sql.transforms" in sys.modules:
        sys.modules["schemac.sql.transforms"].save_cache()
    return sorted(apply_overrides(found, project.config), key=Diagnostic.sort_key)


def _load_catalog(config: Config) -> Catalog:
    """The shipped exchange catalog plus the configured `catalog_dirs` (files read lazily)."""
    from schemac.catalog import load_catalog

    return load_catalog([config.root / folder for folder in config.catalog_dirs])


def catalog_dir_problems(config: Config) -> list[Diagnostic]:
    """A configured catalog folder that does not exist would silently check nothing."""
    problems = []
    for folder in config.catalog_dirs:
        if not (config.root / folder).is_dir():
            span = Span.point(config.source or "schemac.toml")
            message = f"catalog folder `{folder}` does not exist (catalog_dirs)"
            problems.append(rules.CONFIG_ERROR.at(span, message))
    return problems


def _catalog_findings(schema: Schema, catalog: Catalog, config: Config) -> list[Diagnostic]:
    from schemac.catalog import CatalogError
    from schemac.checks.catalog import check_schema as check_against_catalog

    try:
        return check_against_catalog(schema, catalog)
    except CatalogError as error:  # a malformed catalog file of the user's: point at it
        file, line, column = _catalog_error_position(str(error))
        span = Span(file, line, column, line, column + 1) if file else Span.point("<catalog>")
        return [rules.CONFIG_ERROR.at(span, f"exchange catalog: {error}")]


def _catalog_error_position(message: str) -> tuple[str | None, int, int]:
    """The file (and line, column) a catalog error names at its start: `path[:line:col]: ...`."""
    import re

    match = re.match(r"(?P<file>[^:]+?)(?::(?P<line>\d+):(?P<column>\d+))?: ", message)
    if match is None or not os.path.isfile(match["file"]):
        return None, 1, 1
    return match["file"], int(match["line"] or 1), int(match["column"] or 1)


def check_duplicate_schemas(schemas: list[Schema]) -> list[Diagnostic]:
    first: dict[tuple[str, str], Schema] = {}
    found = []
    for schema in schemas:
        if schema.key in first:
            original = first[schema.key]
            where = original.source or "another file"
            if original.name_span is not None:
                where += f":{original.name_span.line}"
            message = (
                f"schema `{schema.name}` ({schema.category}) is also declared in {where}; "
                "a name is unique per category"
            )
            span = schema.name_span or Span.point(schema.source or "<schema>")
            found.append(rules.DUPLICATE_SCHEMA.at(span, message))
        else:
            first[schema.key] = schema
    return found


def check_file_names(schemas: list[Schema]) -> list[Diagnostic]:
    found = []
    for schema in schemas:
        if schema.source is None:
            continue
        stem = Path(schema.source).stem
        if stem in (schema.name, f"{schema.name}@{schema.category}"):
            continue
        span = schema.name_span or Span.point(schema.source)
        message = f"file `{Path(schema.source).name}` holds schema `{schema.name}`"
        hint = f"rename the file to `{schema.name}{Path(schema.source).suffix}`"
        found.append(rules.FILENAME_MISMATCH.at(span, message, hint))
    return found


def apply_overrides(diagnostics: list[Diagnostic], config: Config) -> list[Diagnostic]:
    """Apply suppression comments, then the configuration's `severity` and `ignore`."""
    from schemac.core.suppress import apply_suppressions

    diagnostics = apply_suppressions(diagnostics)
    if not config.severity and not config.ignore:
        return diagnostics
    ignored = {key.upper() for key in config.ignore} | {key.lower() for key in config.ignore}
    levels = {key.upper(): value for key, value in config.severity.items()}
    levels.update({key.lower(): value for key, value in config.severity.items()})
    result = []
    for diagnostic in diagnostics:
        if diagnostic.code in ignored or diagnostic.name in ignored:
            continue
        level = levels.get(diagnostic.code) or levels.get(diagnostic.name)
        if level == "off":
            continue
        if level is not None:
            from dataclasses import replace

            diagnostic = replace(diagnostic, severity=Severity(level))
        result.append(diagnostic)
    return result

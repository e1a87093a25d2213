"""A project: the schema files named on the command line (or in the configuration), loaded.

load_project reads and parses every file (the "stage" checks); check_project runs the registered
checks of schemac.checks (scopes "project", "schema" and "catalog"; see schemac.rules), skipping
those whose rules the configuration turns off, then the suppression comments and severity
overrides, and returns every diagnostic in file order.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from schemac.config import Config, rules_turned_off
from schemac.core.ir import Schema
from schemac.diagnostics import Diagnostic, Severity
from schemac.rules import Check
from schemac.rules.project import CONFIG_ERROR
from schemac.rules.reading import DUPLICATE_KEY
from schemac.vocabulary import TEST_SUFFIXES

if TYPE_CHECKING:
    from collections.abc import Iterable

    from schemac.catalog import Catalog

SCHEMA_SUFFIXES = (".yaml", ".yml", ".json")


class PathNotFound(Exception):
    """A path given by the user does not exist (a usage error, exit 2). ``message`` says so."""

    def __init__(self, path: str, message: str | None = None) -> None:
        from schemac.fileio import printable

        super().__init__(path)
        self.path = path
        self.message = message or f"no such file or directory: {printable(path)}"


class UnreadableFolder(PathNotFound):
    """A folder under the given paths cannot be listed: what it holds was never checked, so the
    run fails (exit 2) instead of passing on what it did not read."""

    def __init__(self, path: str, reason: str) -> None:
        from schemac.fileio import printable

        super().__init__(path, f"cannot read the folder {printable(path)}: {reason}")


@dataclass
class Project:
    config: Config
    files: list[str] = field(default_factory=list)
    schemas: list[Schema] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)  # from loading and parsing


def discover(paths: list[str]) -> list[str]:
    """Schema files under ``paths``: files as given, folders searched recursively, sorted.

    Hidden folders and files (a leading dot) are skipped inside folders, as are files without a
    schema suffix and golden-row test files (``*.test.yaml``). A file named explicitly is always
    read, whatever its suffix.
    """
    files: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            files.extend(_walk(path))
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


def _walk(top: str) -> list[str]:
    """The schema files under folder ``top``, sorted; raises :class:`UnreadableFolder` for the
    first folder that cannot be listed (os.walk would skip it without a word)."""
    problems: list[OSError] = []
    found = []
    for folder, subfolders, names in os.walk(top, onerror=problems.append):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        for name in names:
            lower = name.lower()
            if name.startswith(".") or not lower.endswith(SCHEMA_SUFFIXES):
                continue
            if lower.endswith(TEST_SUFFIXES):  # golden rows, not a schema
                continue
            found.append(os.path.join(folder, name))
    if problems:
        first = problems[0]
        raise UnreadableFolder(str(first.filename or top), first.strerror or str(first))
    return sorted(found)


def load_project(paths: list[str] | None = None, config: Config | None = None) -> Project:
    from schemac.config import resolve_paths
    from schemac.core.loader import load_file
    from schemac.core.parse import parse_document

    config = config or Config()
    project = Project(config=config)
    project.files = discover(resolve_paths(config, paths))
    for file in project.files:
        root, problems = load_file(file, config.max_file_bytes)
        project.diagnostics.extend(problems)
        if root is None:
            continue
        if any(d.severity is Severity.ERROR and d.code != DUPLICATE_KEY.code for d in problems):
            continue
        schema, found = parse_document(root, file, config)
        project.diagnostics.extend(found)
        if schema is not None:
            project.schemas.append(schema)
    return project


def check_project(project: Project) -> list[Diagnostic]:
    from schemac.checks import PROJECT_CHECK_MODULES, all_checks
    from schemac.sql.cache import save_cache

    off = rules_turned_off(project.config)
    checks = [c for c in all_checks(PROJECT_CHECK_MODULES) if not c.codes <= off]
    found = _Findings(project.diagnostics)
    for each in checks:
        if each.scope == "project":
            found.add(each.function(project.schemas, project.config))
    catalog: Catalog | None = None
    for schema in project.schemas:
        for each in checks:
            if each.scope == "schema":
                found.add(each.function(schema, project.config))
            elif each.scope == "catalog":  # a broken catalog file is reported once, not per use
                catalog = catalog or _load_catalog(project.config)
                found.add(_catalog_findings(each, schema, catalog), once=True)
    save_cache()  # what was screened and inferred, for the next run
    return sorted(apply_overrides(found.items, project.config, off), key=Diagnostic.sort_key)


class _Findings:
    """Diagnostics in the order found; with ``once``, one already found is not added again.

    The membership test is a set lookup: a list scan made a large project quadratic.
    """

    def __init__(self, first: Iterable[Diagnostic]) -> None:
        self.items: list[Diagnostic] = []
        self.seen: set[Diagnostic] = set()
        self.add(first)

    def add(self, diagnostics: Iterable[Diagnostic], once: bool = False) -> None:
        for diagnostic in diagnostics:
            if once and diagnostic in self.seen:
                continue
            self.seen.add(diagnostic)
            self.items.append(diagnostic)


def _load_catalog(config: Config) -> Catalog:
    """The shipped exchange catalog plus the configured `catalog_dirs` (files read lazily)."""
    from schemac.catalog import load_catalog

    return load_catalog([config.root / folder for folder in config.catalog_dirs])


def _catalog_findings(each: Check, schema: Schema, catalog: Catalog) -> list[Diagnostic]:
    from schemac.catalog import CatalogError

    try:
        return list(each.function(schema, catalog))
    except CatalogError as error:  # a malformed catalog file of the user's: point at it
        return [CONFIG_ERROR.at(error.span, f"exchange catalog: {error.message}")]


def apply_overrides(
    diagnostics: list[Diagnostic], config: Config, off: frozenset[str] | None = None
) -> list[Diagnostic]:
    """Apply suppression comments, then the configuration's `severity` and `ignore`.

    ``off`` is :func:`~schemac.config.rules_turned_off` of ``config``, when already computed.
    """
    from schemac.core.suppress import apply_suppressions
    from schemac.rules import find_rule

    diagnostics = apply_suppressions(diagnostics)
    if not config.severity and not config.ignore:
        return diagnostics
    off = rules_turned_off(config) if off is None else off
    levels: dict[str, Severity] = {}
    for key, level in config.severity.items():
        rule = find_rule(key)
        if rule is not None and level != "off":
            levels.setdefault(rule.code, Severity(level))
    return [
        d._replace(severity=levels.get(d.code, d.severity))
        for d in diagnostics
        if d.code not in off
    ]

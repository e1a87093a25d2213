"""The local side: schema files -> compiled wire bodies, offline.

A broken file does not block the others: :func:`load_checked` compiles every schema whose own
file is clean and keeps the errors per file, so that `status` can report each file and
`plan NAME` / `publish NAME` need only the named schemas to be clean (:meth:`LocalProject.
blocking`). Commands about every schema (`plan`, `publish --all`, `diff`) still need all of
them clean (:func:`load_local`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schemac.config import Config
from schemac.core.ir import Schema
from schemac.diagnostics import Diagnostic, Severity

Key = tuple[str, str]  # (name, category)


@dataclass
class LocalSchema:
    schema: Schema
    body: dict[str, Any]  # the create body (to_wire)

    @property
    def key(self) -> Key:
        return self.schema.key

    @property
    def source(self) -> str:
        return self.schema.source or "<schema>"


@dataclass(frozen=True)
class InvalidFile:
    """A schema file with errors; ``key`` is the schema it declares, when it could be read."""

    file: str
    key: Key | None
    errors: list[Diagnostic]


@dataclass
class LocalProject:
    """Every schema file under the paths: the clean schemas compiled, the errors per file."""

    schemas: list[LocalSchema] = field(default_factory=list)  # clean, in file order
    keys: dict[str, Key] = field(default_factory=dict)  # file -> the schema it declares
    errors: list[Diagnostic] = field(default_factory=list)  # every error, in file order
    files: int = 0
    unread: frozenset[str] = frozenset()  # schema files that hold no readable schema

    @property
    def invalid(self) -> list[InvalidFile]:
        """The files with errors (a project-wide error, such as the configuration's, is in
        :attr:`errors` only)."""
        by_file: dict[str, list[Diagnostic]] = {}
        for error in self.errors:
            if error.span.file in self.keys or error.span.file in self.unread:
                by_file.setdefault(error.span.file, []).append(error)
        return [InvalidFile(f, self.keys.get(f), errors) for f, errors in by_file.items()]

    def all_keys(self) -> list[Key]:
        """Every schema declared, clean or not, in file order, each once."""
        return list(dict.fromkeys(self.keys.values()))

    def blocking(self, keys: set[Key]) -> list[Diagnostic]:
        """The errors that stop a command about the schemas ``keys``: those of any file that
        declares one of them (a cross-file finding such as a duplicate is located in one), and
        those of no schema file (the configuration's)."""
        files = {file for file, key in self.keys.items() if key in keys}
        elsewhere = set(self.keys) | self.unread
        return [e for e in self.errors if e.span.file in files or e.span.file not in elsewhere]

    def merge(self, other: LocalProject) -> LocalProject:
        """This project and the schemas of ``other`` (files named on the command line)."""
        ours = {s.source for s in self.schemas}
        errors = list(dict.fromkeys([*self.errors, *other.errors]))
        return LocalProject(
            [*self.schemas, *(s for s in other.schemas if s.source not in ours)],
            {**other.keys, **self.keys},
            errors,
            self.files + other.files,
            self.unread | other.unread,
        )


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
    """Schema files with errors: nothing is sent for schemas that do not validate."""

    def __init__(self, diagnostics: list[Diagnostic], files: int = 0) -> None:
        super().__init__(f"{len(diagnostics)} error(s) in the schema files")
        self.diagnostics = diagnostics
        self.files = files


def load_checked(paths: list[str] | None, config: Config) -> LocalProject:
    """Every schema under ``paths`` (default: the configured paths), validated; the schemas of
    clean files compiled. Raises ``schemac.project.PathNotFound``."""
    from schemac.project import check_project, load_project
    from schemac.render.wire import to_wire

    project = load_project(paths or None, config)
    errors = errors_of(check_project(project))
    keys = {schema.source or "<schema>": schema.key for schema in project.schemas}
    broken_files = {e.span.file for e in errors}
    broken_keys = {key for file, key in keys.items() if file in broken_files}
    clean = [
        LocalSchema(schema, to_wire(schema))
        for schema in project.schemas
        if schema.key not in broken_keys and (schema.source or "<schema>") not in broken_files
    ]
    unread = frozenset(project.files) - frozenset(keys)
    return LocalProject(clean, keys, errors, len(project.files), unread)


def load_local(paths: list[str] | None, config: Config) -> list[LocalSchema]:
    """Every schema under ``paths`` (default: the configured paths), validated and compiled.

    Raises :class:`InvalidSchemas` on any error, and ``schemac.project.PathNotFound``."""
    local = load_checked(paths, config)
    if local.errors:
        raise InvalidSchemas(local.errors, local.files)
    return local.schemas


def files_in_sync(bodies: list[dict[str, Any]], folder: Path, config: Config) -> dict[Key, Path]:
    """The bodies (wire, from the API) that a YAML file under ``folder`` already holds: the file
    that declares the body's (name, category) compiles to the same content, whatever its
    comments, layout or globs. Such a file is in sync: `pull` leaves it alone."""
    from schemac.fileio import ReadRefused, read_bytes
    from schemac.project import PathNotFound
    from schemac.remote.content import same_content
    from schemac.remote.files import folder_identities

    try:
        on_disk = folder_identities(folder)
    except PathNotFound:  # an unreadable folder: write_schemas refuses and says why
        return {}
    holders: dict[Key, Path] = {}
    for file, held in on_disk.items():
        if held is not None:
            holders.setdefault(held, file)
    in_sync: dict[Key, Path] = {}
    for body in bodies:
        key = (body["name"], body["stream_category"])
        path = holders.get(key)
        if path is None:
            continue
        try:  # bounded, regular files only, as every schema file is read
            text = read_bytes(path, config.max_file_bytes).decode("utf-8-sig")
        except (ReadRefused, UnicodeDecodeError):
            continue
        compiled, _ = compile_text(text, str(path), config)
        if compiled is not None and same_content(compiled, body):
            in_sync[key] = path
    return in_sync

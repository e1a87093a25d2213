"""A project: the schema files named on the command line (or in the configuration), loaded.

load_project reads and parses every file (the "stage" checks); check_project runs the registered
checks of schemac.checks (scopes "project", "schema" and "catalog"; see schemac.rules), skipping
those whose rules the configuration turns off, then the suppression comments and severity
overrides, and returns every diagnostic in file order.
"""

from __future__ import annotations

import linecache
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from schemac.config import Config, rules_turned_off
from schemac.core.ir import Schema
from schemac.diagnostics import Diagnostic, Severity
from schemac.rules import Check
from schemac.rules.project import CONFIG_ERROR
from schemac.rules.reading import DUPLICATE_KEY
from schemac.vocabulary import SYNC_FOLDER, TEST_SUFFIXES, YAML_SUFFIXES

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from schemac.catalog import Catalog
    from schemac.core.syncspec import SyncSpec

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
    # Sync specs (syncs/*.yaml), read when load_project is asked to: `validate` does.
    sync_files: list[str] = field(default_factory=list)
    sync_specs: list[SyncSpec] = field(default_factory=list)
    # The schemas a spec's `schema` may name: the configured paths' (also when the project was
    # loaded from other paths).
    sync_schemas: list[Schema] = field(default_factory=list)


def discover(paths: list[str], unsaved: Mapping[str, str] | None = None) -> list[str]:
    """Schema files under ``paths``: files as given, folders searched recursively, sorted.

    Hidden folders and files (a leading dot) are skipped inside folders, as are files without a
    schema suffix and golden-row test files (``*.test.yaml``). A file named explicitly is always
    read, whatever its suffix. A file named explicitly that is a key of ``unsaved`` (an editor's
    new buffer) need not exist. Sync specs (YAML files in a folder named `syncs`) are not
    schemas: :func:`discover_all` returns them apart.
    """
    return discover_all(paths, unsaved)[0]


def discover_all(
    paths: list[str], unsaved: Mapping[str, str] | None = None
) -> tuple[list[str], list[str]]:
    """The schema files and the sync spec files under ``paths`` (see :func:`discover`)."""
    files: list[str] = []
    syncs: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            found, found_syncs = _walk(path)
            files.extend(found)
            syncs.extend(found_syncs)
        elif os.path.exists(path) or (unsaved is not None and path in unsaved):
            (syncs if is_sync_spec(path) else files).append(path)
        else:
            raise PathNotFound(path)
    return _unique(files), _unique(syncs)


def is_sync_spec(path: str) -> bool:
    """A YAML file directly in a folder named `syncs` (vocabulary.SYNC_FOLDER)."""
    folder = os.path.basename(os.path.dirname(os.path.abspath(path)))
    return folder == SYNC_FOLDER and path.lower().endswith(YAML_SUFFIXES)


def _unique(files: list[str]) -> list[str]:
    unique: list[str] = []
    seen: set[str] = set()
    for file in files:
        key = os.path.realpath(file)  # the same file reached by two paths is read once
        if key not in seen:
            seen.add(key)
            unique.append(file)
    return unique


def _walk(top: str) -> tuple[list[str], list[str]]:
    """The schema files and the sync specs under folder ``top``, sorted; raises
    :class:`UnreadableFolder` for the first folder that cannot be listed (os.walk would skip it
    without a word). A folder named `syncs` holds sync specs, not schemas: its YAML files are
    sync specs, and its subfolders are not searched."""
    problems: list[OSError] = []
    found = []
    syncs = []
    for folder, subfolders, names in os.walk(top, onerror=problems.append):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        if os.path.basename(os.path.normpath(folder)) == SYNC_FOLDER:
            subfolders[:] = []
            syncs += [os.path.join(folder, n) for n in names if _is_sync_name(n)]
            continue
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
    return sorted(found), sorted(syncs)


def _is_sync_name(name: str) -> bool:
    return not name.startswith(".") and name.lower().endswith(YAML_SUFFIXES)


def load_project(
    paths: list[str] | None = None,
    config: Config | None = None,
    texts: Mapping[str, str] | None = None,
    memo: LoadMemo | None = None,
    *,
    syncs: bool = False,
) -> Project:
    """Read and parse the schema files of ``paths`` (default: the configured ones).

    ``texts`` maps a file path, as ``paths`` or the folder search spell it, to the text to read
    instead of the file: an editor's open buffers (the language server). Such a text is also
    what suppression comments and scalar locations read (through linecache), not the disk.
    ``memo`` keeps each file's result between calls, for a file whose text (or size and
    modification time on disk) is unchanged. With ``syncs``, the sync specs under ``paths``
    (default: the project's `syncs/` too) are read as well, for `validate`.
    """
    from schemac.config import resolve_paths

    texts = texts or {}
    config = config or Config()
    project = Project(config=config)
    where = resolve_paths(config, paths)
    if syncs and not paths and (config.root / SYNC_FOLDER).is_dir():
        where = [*where, os.path.relpath(config.root / SYNC_FOLDER)]
    project.files, sync_files = discover_all(where, texts)
    for file in project.files:
        text = texts.get(file)
        _remember_text(file, text)
        key = memo.key(file, text) if memo is not None and memo.config is config else None
        loaded = memo.get(file, key) if memo is not None else None
        if loaded is None:
            loaded = _load_one(file, text, config)
            if memo is not None:
                memo.put(file, key, loaded)
        problems, schema = loaded
        project.diagnostics.extend(problems)
        if schema is not None:
            project.schemas.append(schema)
    if syncs:
        _load_syncs(project, sync_files, texts, given_paths=bool(paths))
    return project


def _load_syncs(
    project: Project, files: list[str], texts: Mapping[str, str], *, given_paths: bool
) -> None:
    """Read the sync specs ``files`` into ``project``, and the schemas their `schema` names."""
    from schemac.core.syncspec import load_sync_file, shared_destinations

    config = project.config
    project.sync_files = files
    for file in files:
        _remember_text(file, texts.get(file))
        spec, problems = load_sync_file(
            file, config.root, text=texts.get(file), max_bytes=config.max_file_bytes
        )
        project.diagnostics.extend(problems)
        if spec is not None:
            project.sync_specs.append(spec)
    project.diagnostics.extend(d for _, d in shared_destinations(project.sync_specs, config.root))
    project.sync_schemas = list(project.schemas)
    if given_paths and project.sync_specs:  # the configured schemas, beyond the files given
        project.sync_schemas += _configured_schemas(project)


def _configured_schemas(project: Project) -> list[Schema]:
    """The schemas of the configured `paths` not loaded already; their findings are not this
    run's (the files were not asked for)."""
    from schemac.config import resolve_paths

    loaded = {os.path.realpath(f) for f in project.files}
    try:
        files = discover(resolve_paths(project.config, None))
    except PathNotFound:
        return []
    found = []
    for file in files:
        if os.path.realpath(file) not in loaded:
            _, schema = _load_one(file, None, project.config)
            if schema is not None:
                found.append(schema)
    return found


Loaded = tuple[list[Diagnostic], Schema | None]  # a file's findings from load and parse, its IR


def _load_one(file: str, text: str | None, config: Config) -> Loaded:
    from schemac.core.loader import load_file, load_text
    from schemac.core.parse import parse_document

    if text is None:
        root, problems = load_file(file, config.max_file_bytes)
    else:
        root, problems = load_text(file, text, is_json=file.lower().endswith(".json"))
    if root is None:
        return problems, None
    if any(d.severity is Severity.ERROR and d.code != DUPLICATE_KEY.code for d in problems):
        return problems, None
    schema, found = parse_document(root, file, config)
    return [*problems, *found], schema


class LoadMemo:
    """What :func:`load_project` read and parsed per file, kept while the file is unchanged: a
    language server re-reads the whole workspace on each edit of one buffer."""

    def __init__(self, config: Config) -> None:
        self.config = config  # what the files were parsed with: used with this one only
        self._entries: dict[str, tuple[object, Loaded]] = {}

    @staticmethod
    def key(file: str, text: str | None) -> object:
        if text is not None:
            return text
        try:
            stat = os.stat(file)
        except OSError:
            return None  # unreadable: read it again (and report it) every time
        return (stat.st_mtime_ns, stat.st_size)

    def get(self, file: str, key: object) -> Loaded | None:
        entry = self._entries.get(file)
        return entry[1] if key is not None and entry is not None and entry[0] == key else None

    def put(self, file: str, key: object, loaded: Loaded) -> None:
        if key is not None:
            self._entries[file] = (key, loaded)


def _remember_text(file: str, text: str | None) -> None:
    """Put ``text`` in linecache as ``file``'s lines, or forget an earlier such text.

    An entry without a modification time is one linecache.checkcache never discards, so the
    buffer's lines stay what the later stages read until the file is read from disk again.
    """
    if text is not None:
        linecache.cache[file] = (len(text), None, text.splitlines(keepends=True), file)
        return
    entry = linecache.cache.get(file)
    if entry is not None and len(entry) == 4 and entry[1] is None:
        del linecache.cache[file]


def check_project(project: Project, catalog: Catalog | None = None) -> list[Diagnostic]:
    """Every finding of ``project``. ``catalog``: the exchange catalog to check against, when the
    caller keeps one between runs (the language server); else it is loaded when first needed."""
    from schemac.checks import PROJECT_CHECK_MODULES, all_checks
    from schemac.sql.cache import save_cache

    off = rules_turned_off(project.config)
    checks = [c for c in all_checks(PROJECT_CHECK_MODULES) if not c.codes <= off]
    found = _Findings(project.diagnostics)
    for each in checks:
        if each.scope == "project":
            found.add(each.function(project.schemas, project.config))
        elif each.scope == "sync" and project.sync_specs:
            found.add(each.function(project.sync_specs, project.sync_schemas, project.config))
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

"""One editor session: the workspace's configuration, the open buffers, and the findings.

Plain data in and out, no LSP types: the server (:mod:`schemac.lsp.server`) hands it texts and
asks it for findings, schemas and the catalog. The findings are those of `schemac validate` over
the workspace's schema folders (the configuration's `paths`), with every open buffer read
instead of its file on disk, so cross-file checks see what the author is typing.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from schemac.config import Config, ConfigError, find_config_file, parse_config
from schemac.diagnostics import Diagnostic
from schemac.project import LoadMemo

if TYPE_CHECKING:
    from schemac.catalog import Catalog
    from schemac.core.ir import Schema

# A YAML file outside the schema folders is checked (on its own) only when it looks like a schema.
_LOOKS_LIKE_SCHEMA = re.compile(r"^(category|columns):", re.MULTILINE)


class Session:
    def __init__(self, root: str | None = None) -> None:
        self.root = os.path.abspath(root or os.getcwd())
        self.config_problems: list[Diagnostic] = []
        self.config = self._read_config()
        self.texts: dict[str, str] = {}  # absolute path -> the open buffer's text
        self._schemas: dict[str, Schema] = {}  # absolute path -> its last schema that parsed
        self._parsed: dict[str, str | None] = {}  # absolute path -> the text last parsed
        self._catalog: Catalog | None = None
        self._memo = LoadMemo(self.config)
        self._published: set[str] = set()  # files that were given findings in the last check

    def reload_config(self) -> None:
        """Read the configuration again (its file was saved); forget what depended on it."""
        self.config_problems = []
        self.config = self._read_config()
        self._catalog = None
        self._memo = LoadMemo(self.config)
        self._parsed.clear()

    def _read_config(self) -> Config:
        found = find_config_file(Path(self.root))
        if found is None:
            return Config(root=Path(self.root))
        try:
            return parse_config(*found)
        except ConfigError as problem:  # shown on the config file; the defaults meanwhile
            self.config_problems = problem.diagnostics
            return Config(root=Path(self.root))

    # -- buffers ----------------------------------------------------------------------------

    def open(self, path: str, text: str) -> None:
        self.texts[os.path.abspath(path)] = text

    def close(self, path: str) -> None:
        self.texts.pop(os.path.abspath(path), None)

    def text(self, path: str) -> str | None:
        """The open buffer of ``path``, else the file on disk, else None."""
        path = os.path.abspath(path)
        if path in self.texts:
            return self.texts[path]
        try:
            return Path(path).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            return None

    # -- checking ---------------------------------------------------------------------------

    def schema_folders(self) -> list[str]:
        return [os.path.abspath(self.config.root / entry) for entry in self.config.paths]

    def in_project(self, path: str) -> bool:
        path = os.path.abspath(path)
        return any(path.startswith(folder + os.sep) for folder in self.schema_folders())

    def check(self, path: str) -> dict[str, list[Diagnostic]]:
        """Every finding of the project ``path`` belongs to, by file (absolute paths).

        A file in the schema folders is checked with all of them (cross-file checks included);
        a sync spec (`syncs/*.yaml`) with the other specs of its folder and the schemas, as
        `validate` checks it; another file alone when it looks like a schema, else not at all.
        Files that had findings in the previous check and have none now map to an empty list,
        so that the editor clears them.
        """
        from schemac.project import check_project, is_sync_spec, load_project

        path = os.path.abspath(path)
        sync = is_sync_spec(path)
        paths = [f for f in self.schema_folders() if os.path.isdir(f)]
        paths += [f for f in self.texts if self.in_project(f) and not os.path.exists(f)]
        if sync:  # its folder (destination clashes), and the buffer itself if not saved yet
            paths += [os.path.dirname(path)] + ([] if os.path.exists(path) else [path])
        elif not self.in_project(path):
            text = self.texts.get(path, "")
            paths = [path] if _LOOKS_LIKE_SCHEMA.search(text) else []
        if not paths:
            return {path: []}
        project = load_project(paths, self.config, self.texts, self._memo, syncs=sync)
        project.diagnostics.extend(self.config_problems)
        for schema in project.schemas:
            if schema.source is not None:
                source = os.path.abspath(schema.source)
                self._schemas[source] = schema
                self._parsed[source] = self.texts.get(source)  # None: read from disk
        by_file: dict[str, list[Diagnostic]] = {path: []}
        by_file.update({os.path.abspath(f): [] for f in project.files})
        by_file.update({f: [] for f in self._published if f not in by_file})
        for diagnostic in check_project(project, self.catalog()):
            by_file.setdefault(os.path.abspath(diagnostic.span.file), []).append(diagnostic)
        self._published = {f for f, found in by_file.items() if found}
        return by_file

    # -- what hover and completion read -----------------------------------------------------

    def catalog(self) -> Catalog:
        """The shipped exchange catalog plus the configured folders, read once per session."""
        if self._catalog is None:
            from schemac.catalog import load_catalog

            self._catalog = load_catalog([self.config.root / d for d in self.config.catalog_dirs])
        return self._catalog

    def schema(self, path: str) -> Schema | None:
        """The schema of ``path`` as it parses now, else as it last parsed (an author halfway
        through a word leaves a document that does not parse)."""
        from schemac.core.loader import load_text
        from schemac.core.parse import parse_document

        path = os.path.abspath(path)
        text = self.text(path)
        if text is not None and self._parsed.get(path) != text:  # not parsed since it changed
            self._parsed[path] = text
            root, _ = load_text(path, text, is_json=path.lower().endswith(".json"))
            if root is not None:
                schema, _ = parse_document(root, path, self.config)
                if schema is not None:
                    self._schemas[path] = schema
        return self._schemas.get(path)

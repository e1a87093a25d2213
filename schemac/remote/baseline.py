"""`diff --against REF`: each schema against what its files held at a git revision.

The baseline is matched by (name, category), like plan and status: what publish goes by. A file
whose baseline cannot be compiled is matched by its path instead. A schema of the baseline that
no local file holds any more is removed (breaking: publish would leave it and create the new
name beside it); a renamed file that holds the same schema is no change.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from schemac.checks import breaking
from schemac.remote.diff import diff_contents, turn_off
from schemac.vocabulary import SCHEMA_SUFFIXES

if TYPE_CHECKING:
    from schemac.checks.changes import Change
    from schemac.config import Config
    from schemac.remote.local import LocalSchema

Key = tuple[str, str]


@dataclass
class Baseline:
    schemas: dict[Key, tuple[str, dict[str, Any]]] = field(default_factory=dict)  # -> (rel, body)
    unreadable: set[str] = field(default_factory=set)  # files that do not compile at the ref


@dataclass(frozen=True)
class DiffRow:
    file: str
    name: str
    category: str
    status: str  # changed, unchanged, added, removed, baseline unreadable
    changes: list[Change] = field(default_factory=list)
    was: str | None = None  # the baseline's file, when the schema moved to another file

    @property
    def breaking(self) -> bool:
        return any(change.breaking for change in self.changes)

    def as_json(self) -> dict[str, Any]:
        row: dict[str, Any] = {
            "file": self.file,
            "name": self.name,
            "category": self.category,
            "status": self.status,
            "breaking": self.breaking,
            "changes": [change.as_json() for change in self.changes],
        }
        if self.was is not None:
            row["was"] = self.was
        return row


def read_baseline(root: Path, ref: str, paths: list[str], config: Config) -> Baseline:
    """The schemas under ``paths`` as they were at ``ref``. Raises gitrev.GitError."""
    import os

    from schemac.remote import gitrev
    from schemac.remote.local import compile_text

    gitrev.check_revision(root, ref)
    baseline = Baseline()
    for rel in gitrev.files_at(root, ref, [p for p in paths if os.path.exists(p)]):
        if not rel.lower().endswith(SCHEMA_SUFFIXES):
            continue
        text = gitrev.show(root, ref, rel)
        old, _ = compile_text(text, rel, config) if text is not None else (None, [])
        if old is None:
            baseline.unreadable.add(rel)
        else:
            baseline.schemas.setdefault((old["name"], old["stream_category"]), (rel, old))
    return baseline


def compare(
    local: list[tuple[LocalSchema, str]],
    baseline: Baseline,
    dialect: str,
    off: Collection[str] = (),
) -> list[DiffRow]:
    """One row per local schema (given with its path relative to the repository root), then one
    per baseline schema that is gone; changes under the rules in ``off`` are not breaking."""
    rows = []
    for schema, rel in local:
        name, category = schema.key
        if schema.key in baseline.schemas:
            before_rel, old = baseline.schemas[schema.key]
            changes = diff_contents(old, schema.body, dialect, off).changes
            status = "changed" if changes else "unchanged"
            was = before_rel if before_rel != rel else None
            rows.append(DiffRow(schema.source, name, category, status, changes, was))
        elif rel in baseline.unreadable:
            rows.append(DiffRow(schema.source, name, category, "baseline unreadable"))
        else:
            rows.append(DiffRow(schema.source, name, category, "added"))
    local_keys = {schema.key for schema, _ in local}
    for (name, category), (rel, _) in baseline.schemas.items():
        if (name, category) not in local_keys:
            gone = turn_off(breaking.schema_removed(name, category, rel), off)
            rows.append(DiffRow(rel, name, category, "removed", gone))
    return rows

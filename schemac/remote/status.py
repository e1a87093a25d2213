"""`status`: where each schema stands, local against remote.

in sync (same content), local-only, remote-only, and for a difference: local ahead when the
remote holds what the file held at one of its recent commits (the repository moved on and was
not published), else remote drifted (someone changed the remote outside the repository). A file
with errors is its own row, invalid, with its error count (and the remote version of the schema
it declares, when that can be read); the other files are compared as usual.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from schemac.remote.plan import CREATE, NO_CHANGE, REMOTE_ONLY

if TYPE_CHECKING:
    from schemac.config import Config
    from schemac.remote.local import InvalidFile
    from schemac.remote.plan import Plan, SchemaPlan

HISTORY_DEPTH = 20  # commits of a file searched for the remote's content
IN_SYNC, LOCAL_ONLY, REMOTE_ONLY_STATE = "in sync", "local-only", "remote-only"
LOCAL_AHEAD, REMOTE_DRIFTED = "local ahead", "remote drifted"
INVALID = "invalid"


@dataclass(frozen=True)
class StatusRow:
    name: str
    category: str
    state: str
    version: int | None = None
    id: str | None = None
    draft: str | None = None  # "ours" or "foreign" when a draft is pending
    file: str | None = None  # an invalid row's file
    errors: int = 0  # an invalid row's error count

    @property
    def label(self) -> str:
        if not self.name:
            return self.file or "?"
        return f"{self.name} ({self.category})"

    @property
    def in_sync(self) -> bool:
        """Nothing to publish, nothing drifted, no draft pending (``--detailed-exitcode`` 0)."""
        return self.state == IN_SYNC and self.draft is None

    def as_json(self) -> dict[str, Any]:
        row: dict[str, Any] = {
            "name": self.name or None,  # None: a file whose schema could not be read
            "category": self.category or None,
            "state": self.state,
        }
        if self.version is not None:
            row["version"] = self.version
            row["id"] = self.id
        if self.draft is not None:
            row["draft"] = self.draft
        if self.state == INVALID:
            row["file"] = self.file
            row["errors"] = self.errors
        return row


def classify(
    plan: Plan, in_history: Callable[[SchemaPlan], bool], invalid: Sequence[InvalidFile] = ()
) -> list[StatusRow]:
    """One row per schema of ``plan`` (built with the remote-only ones), then one per file of
    ``invalid``; ``in_history`` tells whether the remote content is one the file held before
    (local ahead). A remote schema that an invalid file declares is that file's row, not a
    remote-only one."""
    declared = {item.key for item in invalid if item.key is not None}
    rows = []
    for p in plan.schemas:
        if p.action == REMOTE_ONLY and (p.name, p.category) in declared:
            continue
        if p.action == CREATE:
            state = LOCAL_ONLY
        elif p.action == REMOTE_ONLY:
            state = REMOTE_ONLY_STATE
        elif p.action == NO_CHANGE:
            state = IN_SYNC
        else:
            state = LOCAL_AHEAD if in_history(p) else REMOTE_DRIFTED
        remote = p.remote
        rows.append(
            StatusRow(
                p.name,
                p.category,
                state,
                None if remote is None else remote.version,
                None if remote is None else remote.id,
                (p.draft_state or "foreign") if remote is not None and remote.has_draft else None,
            )
        )
    remotes = {(p.name, p.category): p.remote for p in plan.schemas if p.remote is not None}
    for item in invalid:
        name, category = item.key or ("", "")
        match = remotes.get((name, category))
        rows.append(
            StatusRow(
                name,
                category,
                INVALID,
                None if match is None else match.version,
                None if match is None else match.id,
                "foreign" if match is not None and match.has_draft else None,
                item.file,
                len(item.errors),
            )
        )
    return rows


def remote_in_history(p: SchemaPlan, config: Config) -> bool:
    """Local ahead: the remote holds what the file held at one of its last commits. Outside a
    git repository a difference is taken as the repository's change (True)."""
    from schemac.remote import gitrev
    from schemac.remote.content import same_content
    from schemac.remote.local import compile_text

    if p.local is None or p.remote is None or p.remote.body is None:
        return False
    try:
        root = gitrev.toplevel(Path(p.local.source).resolve().parent)
    except gitrev.GitError:
        return True
    rel = gitrev.relative(root, p.local.source)
    for commit in gitrev.history(root, rel, HISTORY_DEPTH):
        text = gitrev.show(root, commit, rel)
        if text is None:
            continue
        body, _ = compile_text(text, p.local.source, config)
        if body is not None and same_content(body, p.remote.body):
            return True
    return False

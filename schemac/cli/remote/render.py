"""What `plan`, `publish`, `status` and `diff` print: the remote library's results as text or
JSON. The library (:mod:`schemac.remote`) returns data; only this module formats it."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from schemac.fileio import printable
from schemac.remote.content import content_hash
from schemac.remote.plan import CREATE, NO_CHANGE, REMOTE_ONLY, UPDATE
from schemac.remote.status import INVALID

if TYPE_CHECKING:
    from schemac.remote.baseline import DiffRow
    from schemac.remote.plan import Plan
    from schemac.remote.status import StatusRow


_SIGNS = {CREATE: "+", UPDATE: "~", NO_CHANGE: "=", REMOTE_ONLY: "?"}


def plan_text(plan: Plan) -> str:
    """The plan for a person: a line per schema (+ create, ~ update, = no change, ? remote-only),
    its changes, its draft, and a summary."""
    lines: list[str] = []
    for p in plan.schemas:
        sign = _SIGNS[p.action]
        if p.action == CREATE:
            assert p.local is not None
            columns = len(p.local.body["columns"])
            lines.append(f"{sign} create   {p.label}: {columns} columns  [{p.local.source}]")
        elif p.action == UPDATE:
            assert p.remote is not None
            verdict = "BREAKING" if p.breaking else "compatible"
            lines.append(
                f"{sign} update   {p.label}: v{p.remote.version} -> v{p.remote.version + 1}, "
                f"{verdict}"
            )
            for change in p.diff.changes:
                mark = "  (breaking)" if change.breaking else ""
                lines.append(f"      {change.detail}{mark}")
        elif p.action == NO_CHANGE:
            assert p.remote is not None
            lines.append(f"{sign} no change {p.label}: v{p.remote.version}")
        else:
            assert p.remote is not None
            lines.append(
                f"{sign} remote-only {p.label}: v{p.remote.version}, {p.remote.id} "
                "(no local file; publish never deletes)"
            )
        draft = p.draft_state
        if draft == "ours":
            lines.append("      a draft with this exact content is on the remote (reused)")
        elif draft == "foreign":
            lines.append(
                "      a draft schemac did not make is on the remote "
                "(publish refuses to replace it without --replace-draft)"
            )
    lines.append(plan_summary(plan))
    # Names and details come from files and from the API: escape what a terminal would obey.
    return "".join(printable(line) + "\n" for line in lines)


def plan_summary(plan: Plan) -> str:
    updates = plan.of(UPDATE)
    breaking = sum(1 for p in updates if p.breaking)
    parts = [
        f"{len(plan.of(CREATE))} to create",
        f"{len(updates)} to update ({breaking} breaking)",
        f"{len(plan.of(NO_CHANGE))} unchanged",
    ]
    if plan.of(REMOTE_ONLY):
        parts.append(f"{len(plan.of(REMOTE_ONLY))} remote-only")
    drafts = sum(1 for p in plan.schemas if p.draft_state)
    if drafts:
        parts.append(f"{drafts} with a draft pending")
    return "Plan: " + ", ".join(parts) + "."


def plan_json(plan: Plan) -> str:
    """The plan as one JSON document (what `plan --format json` prints)."""
    rows = []
    for p in plan.schemas:
        row: dict[str, Any] = {"name": p.name, "category": p.category, "action": p.action}
        if p.local is not None:
            row["file"] = p.local.source
            row["content_hash"] = content_hash(p.local.body)
        if p.remote is not None:
            row["id"] = p.remote.id
            row["remote_version"] = p.remote.version
        if p.action == UPDATE:
            assert p.remote is not None
            row["new_version"] = p.remote.version + 1
            row["breaking"] = p.breaking
            row["changes"] = [change.as_json() for change in p.diff.changes]
        row["draft"] = p.draft_state
        rows.append(row)
    return json.dumps({"schemas": rows, "changes_pending": plan.has_changes}, indent=2) + "\n"


def status_text(rows: list[StatusRow]) -> str:
    if not rows:
        return "No schemas, locally or on the remote.\n"
    width = max([len(printable(r.label)) for r in rows] + [10])
    lines = []
    for r in rows:
        label, file = printable(r.label), printable(r.file or "")
        version = f"v{r.version}" if r.version is not None else "-"
        draft = ""
        if r.draft is not None:
            owner = " (schemac's)" if r.draft == "ours" else " (not schemac's)"
            draft = "  draft pending" + owner
        errors = ""
        if r.state == INVALID:
            count = f"{r.errors} error{'s' if r.errors != 1 else ''}"
            errors = f"  {count}" if r.label == r.file else f"  {count} in {file}"
        lines.append(f"{r.state:<15} {label:<{width}} {version}{draft}{errors}")
    return "\n".join(lines) + "\n"


def diff_text(rows: list[DiffRow], against: str) -> str:
    lines = []
    for r in rows:
        if r.status == "unchanged":
            continue
        verdict = "BREAKING" if r.breaking else "compatible"
        lines.append(f"{r.status:<9} {r.name} ({r.category}): {verdict}  [{r.file}]")
        for change in r.changes:
            mark = "  (breaking)" if change.breaking else ""
            lines.append(f"      {change.detail}{mark}")
    lines.append(diff_summary(rows, against))
    return "".join(printable(line) + "\n" for line in lines)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def diff_summary(rows: list[DiffRow], against: str) -> str:
    """What the diff printed, counted: the schemas listed, their change lines, the breaking
    ones among them."""
    listed = [r for r in rows if r.status != "unchanged"]
    if not listed:
        return f"No changes against {against}."
    changes = sum(len(r.changes) for r in listed)
    breaking = sum(1 for r in listed for change in r.changes if change.breaking)
    return (
        f"{_plural(len(listed), 'schema')} {'differs' if len(listed) == 1 else 'differ'} from "
        f"{against}: "
        f"{_plural(changes, 'change')}, {breaking or 'none'} breaking."
    )

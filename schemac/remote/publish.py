"""`publish`: what is refused before any write, and what became of each schema after.

The steps in between (create, draft -> verify -> publish) are :mod:`schemac.remote.apply`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from schemac.remote.plan import CREATE, UPDATE

if TYPE_CHECKING:
    from schemac.remote.apply import ApplyResult, Outcome
    from schemac.remote.plan import Plan, SchemaPlan

DONE_STATUSES = ("created", "published", "drafted")


def changes_of(plan: Plan) -> list[SchemaPlan]:
    """The schemas publish writes: those to create or update."""
    return [p for p in plan.schemas if p.action in (CREATE, UPDATE)]


def refusals(changes: list[SchemaPlan], *, allow_breaking: bool, replace_draft: bool) -> list[str]:
    """Why publish refuses, one line per schema and reason; empty when it may go ahead."""
    refused = []
    if not allow_breaking:
        refused += [
            f"{p.label}: breaking change (pass --allow-breaking)" for p in changes if p.breaking
        ]
    if not replace_draft:
        refused += [
            f"{p.label}: a draft schemac did not make is on the remote (pass --replace-draft)"
            for p in changes
            if p.draft_state == "foreign"
        ]
    return refused


def outcome_json(outcome: Outcome) -> dict[str, Any]:
    row: dict[str, Any] = {
        "name": outcome.plan.name,
        "category": outcome.plan.category,
        "status": outcome.status,
    }
    if outcome.version is not None:
        row["version"] = outcome.version
    if outcome.plan.remote is not None:
        row["id"] = outcome.plan.remote.id
    if outcome.message:
        row["message"] = outcome.message
    if outcome.draft_left:
        row["draft_left"] = outcome.draft_left
    return row


def outcome_line(outcome: Outcome) -> str | None:
    """The line of a schema that was written (None for a failure: see :func:`failure_report`)."""
    p = outcome.plan
    if outcome.status == "created":
        return f"created   {p.label}: v1"
    if outcome.status == "published":
        return f"published {p.label}: v{outcome.version}"
    if outcome.status == "drafted":
        assert p.remote is not None
        return f"drafted   {p.label}: draft verified on {p.remote.id}, not published"
    return None


@dataclass(frozen=True)
class FailureReport:
    lines: list[str]
    moved: bool  # another writer changed a schema: exit 3 rather than 1


def failure_report(result: ApplyResult) -> FailureReport | None:
    """What failed, the drafts left behind, and what was and was not published; None when
    nothing failed."""
    if not result.failed:
        return None
    lines = []
    for outcome in result.failed:
        kind = "remote moved" if outcome.status == "moved" else "failed"
        lines.append(f"{kind}: {outcome.plan.label}: {outcome.message}")
        if outcome.draft_left:
            lines.append(
                f"  a draft is left on {outcome.draft_left}: a re-run of publish reuses it; "
                f"discard it with DELETE /v1/export-schemas/{outcome.draft_left}/draft"
            )
    done = [o.plan.label for o in result.outcomes if o.status in DONE_STATUSES]
    failed = [o.plan.label for o in result.failed]
    lines.append(f"published: {', '.join(done) or 'none'}; not published: {', '.join(failed)}")
    lines.append("publish is safe to re-run: it repeats only what did not happen")
    return FailureReport(lines, result.moved)

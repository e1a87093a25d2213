"""Apply a plan: create new schemas; draft -> verify -> publish -> verify changed ones.

Safety rules (see README, Remote):
- every POST/DELETE carries an idempotency key from (operation, schema identity, base version,
  content hash, attempt), so a retry or a re-run repeats the same operation;
- a draft is "ours" when its content equals the content we would send; it is then reused, any
  other draft is replaced only with ``replace_draft``;
- the version seen at plan time must still be the base when the draft is made, and the publish
  must give exactly base + 1 with our content; otherwise :class:`RemoteMoved`;
- a failure between draft and publish discards the draft this run made (unless draft_only).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from schemac.remote.client import Remote, RemoteError, idempotency_key
from schemac.remote.content import content_hash, same_content, wire_from_response
from schemac.remote.plan import CREATE, UPDATE, SchemaPlan

DRAFT_ATTEMPTS = 8  # each re-run after a discarded draft uses one more


class RemoteMoved(Exception):
    """The remote changed under us (another writer): stop, touch nothing more of this schema."""


@dataclass
class Outcome:
    plan: SchemaPlan
    status: str  # published, created, drafted, failed, moved
    version: int | None = None
    message: str = ""
    draft_left: str | None = None  # schema id whose draft this run left behind


@dataclass
class ApplyResult:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status in ("failed", "moved")]

    @property
    def moved(self) -> bool:
        return any(o.status == "moved" for o in self.outcomes)


def apply_plan(
    remote: Remote,
    plans: list[SchemaPlan],
    *,
    draft_only: bool = False,
    replace_draft: bool = False,
) -> ApplyResult:
    result = ApplyResult()
    for plan in plans:
        if plan.action == CREATE:
            result.outcomes.append(_guarded(plan, partial(_create, remote, plan)))
        elif plan.action == UPDATE:
            step = partial(_update, remote, plan, draft_only, replace_draft)
            result.outcomes.append(_guarded(plan, step))
    return result


def _guarded(plan: SchemaPlan, step: Callable[[], Outcome]) -> Outcome:
    try:
        return step()
    except RemoteMoved as moved:
        return Outcome(plan, "moved", message=str(moved))
    except _Failed as failed:
        return Outcome(plan, "failed", message=str(failed), draft_left=failed.draft_left)
    except RemoteError as error:
        return Outcome(plan, "failed", message=str(error))


class _Failed(Exception):
    def __init__(self, message: str, draft_left: str | None = None) -> None:
        super().__init__(message)
        self.draft_left = draft_left


def _create(remote: Remote, plan: SchemaPlan) -> Outcome:
    assert plan.local is not None
    content = plan.content
    digest = content_hash(plan.local.body)
    key = idempotency_key("create", f"{plan.category}/{plan.name}", 0, digest)
    try:
        response = remote.create(plan.name, plan.category, content, key)
    except RemoteError as error:
        if error.status == 409:
            raise RemoteMoved(
                f"{plan.label} was created on the remote since the plan; plan again"
            ) from None
        raise
    body = wire_from_response(response)
    if response.version != 1 or not same_content(body, plan.local.body):
        raise RemoteMoved(
            f"{plan.label}: the create returned version {response.version} with other content"
        )
    return Outcome(plan, "created", version=1)


def _update(remote: Remote, plan: SchemaPlan, draft_only: bool, replace_draft: bool) -> Outcome:
    assert plan.local is not None and plan.remote is not None
    schema_id, base = plan.remote.id, plan.remote.version
    digest = content_hash(plan.local.body)
    identity = f"{schema_id}/{plan.category}/{plan.name}"
    attempt = 0
    made_draft = False
    if plan.draft_state == "foreign" and not replace_draft:
        raise _Failed(
            f"{plan.label} has a draft schemac did not make; "
            "publish --replace-draft replaces it (its content is lost)"
        )
    try:
        if plan.draft_state != "ours":
            made = _make_draft(remote, plan, identity, digest)
            if made is None:  # a racing writer published our draft: our content is live
                return Outcome(plan, "published", version=base + 1)
            attempt, made_draft = made, True
        if draft_only:
            return Outcome(plan, "drafted", version=base, draft_left=None)
        key = idempotency_key("publish", identity, base, digest, attempt)
        try:
            response = remote.publish_draft(schema_id, key)
        except RemoteError as error:
            if error.status != 404:
                raise
            # No draft left to publish: if a racing writer's publish took our draft, our
            # content is live at base + 1 and we are done; anything else is a move.
            current = wire_from_response(remote.get(schema_id))
            if current.get("version") == base + 1 and same_content(current, plan.local.body):
                return Outcome(plan, "published", version=base + 1)
            raise RemoteMoved(
                f"{plan.label}: the draft was published or discarded by someone else"
            ) from None
    except RemoteMoved:
        raise
    except RemoteError as error:
        left = None
        if made_draft:
            left = _discard(remote, plan, identity, digest, attempt)
        note = "" if left is None else f"; a draft is left on {schema_id}"
        raise _Failed(f"{error}{note}", draft_left=left) from None
    published = wire_from_response(response)
    ours = same_content(published, plan.local.body)
    if response.version != base + 1 or not ours:
        raise RemoteMoved(
            f"{plan.label}: publishing gave version {response.version} (expected {base + 1}) "
            f"{'with' if ours else 'without'} the local content; another writer is active"
        )
    return Outcome(plan, "published", version=response.version)


def _make_draft(remote: Remote, plan: SchemaPlan, identity: str, digest: str) -> int | None:
    """Create the draft and read it back; returns the attempt number whose key made it, or
    None when our content went live at base + 1 meanwhile (a racing writer's publish took our
    draft: nothing is left for us to do).

    A later attempt (a new key) is needed only when the draft read back is the draft that was
    there before, or is missing while the version is still the base: the POST was then the
    replay of an earlier run's key whose draft has since been discarded. A draft that is
    missing because the version moved on was published by someone: that is not a replay.
    """
    assert plan.local is not None and plan.remote is not None
    schema_id, base = plan.remote.id, plan.remote.version
    for attempt in range(DRAFT_ATTEMPTS):
        key = idempotency_key("draft", identity, base, digest, attempt)
        response = remote.create_draft(schema_id, plan.content, key)
        if response.version != base:
            _discard(remote, plan, identity, digest, attempt)
            raise RemoteMoved(
                f"{plan.label}: the remote version moved from {base} to {response.version} "
                "since the plan; plan again"
            )
        draft = remote.get_draft(schema_id)
        if draft is not None:
            body = wire_from_response(draft)
            if same_content(body, plan.local.body):
                return attempt
            before = plan.remote.draft
            if before is None or not same_content(body, before):
                raise RemoteMoved(
                    f"{plan.label}: another draft replaced ours while publishing; "
                    "another writer is active"
                )
            continue
        current = wire_from_response(remote.get(schema_id))
        if current.get("version") == base:
            continue
        if current.get("version") == base + 1 and same_content(current, plan.local.body):
            return None
        raise RemoteMoved(
            f"{plan.label}: the remote version moved from {base} to {current.get('version')} "
            "while drafting (another writer published); plan again"
        )
    raise RemoteError(f"{plan.label}: could not create a draft that reads back as sent")


def _discard(
    remote: Remote, plan: SchemaPlan, identity: str, digest: str, attempt: int
) -> str | None:
    """Discard the draft this run made; returns the schema id when it could not be discarded."""
    assert plan.remote is not None
    key = idempotency_key("discard", identity, plan.remote.version, digest, attempt)
    try:
        remote.discard_draft(plan.remote.id, key)
    except RemoteError:
        return plan.remote.id
    return None

"""`delete`: remove schemas from the account, idempotently.

What each name comes to is decided first, from one list call (:func:`plan_deletes`): delete, or
absent (already gone: success, with a note), refused (a built-in, or a pending draft without
``force_draft``: a draft is someone's unpublished work). Then each delete is one
``DELETE /v1/export-schemas/{id}`` through the official client, with an idempotency key of
(delete, identity, version), so a retry or a re-run repeats the same operation; a 404 then
means another run already deleted it, which is what was asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from schemac.remote.client import Remote, RemoteError, idempotency_key
from schemac.remote.content import category_of
from schemac.remote.select import match_name

if TYPE_CHECKING:
    from ticksupply.models.schema import ExportSchemaListItem

DELETE, ABSENT, REFUSED = "delete", "absent", "refused"


@dataclass(frozen=True)
class DeletePlan:
    selector: str  # the name (or name@category) as given
    action: str  # delete, absent, refused
    name: str
    category: str | None = None
    id: str | None = None
    version: int | None = None
    has_draft: bool = False
    reason: str = ""  # why it is refused

    @property
    def label(self) -> str:
        return self.selector if self.category is None else f"{self.name} ({self.category})"


def _key(item: ExportSchemaListItem) -> tuple[str, str]:
    return (item.name, category_of(item))


def _matches(selector: str, items: list[ExportSchemaListItem]) -> list[ExportSchemaListItem]:
    name, _, category = selector.partition("@")
    return [i for i in items if _key(i)[0] == name and (not category or _key(i)[1] == category)]


def plan_deletes(
    items: list[ExportSchemaListItem], selectors: list[str], *, force_draft: bool
) -> list[DeletePlan]:
    """What each selector (name or name@category) comes to, against the account's list
    (built-ins included, so that one is named as such); each schema once, in the order given.
    Raises ``schemac.remote.select.SelectionError`` for a name in two categories."""
    plans: list[DeletePlan] = []
    own = [i for i in items if not i.is_built_in]
    for selector in selectors:
        name = selector.partition("@")[0]
        found = _matches(selector, own)
        if len(found) > 1:
            match_name(selector, own, _key, "schema")  # raises: ambiguous across categories
        if not found:
            built_in = _matches(selector, [i for i in items if i.is_built_in])
            if built_in:
                category = category_of(built_in[0])
                why = "a built-in schema; built-ins cannot be deleted"
                plans.append(DeletePlan(selector, REFUSED, name, category, reason=why))
            else:
                plans.append(DeletePlan(selector, ABSENT, name))
            continue
        (item,) = found
        if any(p.id == item.id for p in plans):
            continue
        action, why = DELETE, ""
        if item.has_draft and not force_draft:
            action = REFUSED
            why = f"a draft is pending on {item.id} (pass --force-draft to delete it too)"
        plans.append(
            DeletePlan(
                selector,
                action,
                item.name,
                category_of(item),
                item.id,
                item.version,
                item.has_draft,
                why,
            )
        )
    return plans


def delete_one(remote: Remote, plan: DeletePlan) -> bool:
    """Delete the schema of ``plan``; False when it was already gone (404: another run or
    person deleted it since the list, which is what was asked)."""
    assert plan.id is not None and plan.version is not None
    identity = f"{plan.id}/{plan.category}/{plan.name}"
    key = idempotency_key("delete", identity, plan.version, "")
    schema_id = plan.id
    try:
        remote.call(
            f"/export-schemas/{schema_id}",
            "DELETE",
            lambda: remote.schemas.delete(schema_id, idempotency_key=key),
        )
    except RemoteError as error:
        if error.status == 404:
            return False
        raise
    return True


def local_holders(paths: list[str], keys: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """The schema files under ``paths`` that still declare one of ``keys`` (read cheaply, no
    checks): a schema deleted from the account that a file still declares is created again by
    the next `publish --all`."""
    from pathlib import Path

    from schemac.project import discover
    from schemac.remote.files import identity

    held: dict[tuple[str, str], str] = {}
    for file in discover([p for p in paths if Path(p).exists()]):
        key = identity(Path(file))
        if key in keys:
            held.setdefault(key, file)
    return held

"""The plan: local schemas matched with remote ones by (name, category), each with an action.

Reads only: one list call, then one get per candidate whose (id, version) the project's cache
(:mod:`.cache`) does not hold (in parallel, bounded) and one draft get per candidate that has a
draft. Built-in remote schemas are never candidates.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from schemac import vocabulary
from schemac.remote.client import Remote
from schemac.remote.content import (
    category_of,
    content_body,
    same_content,
    wire_from_response,
)
from schemac.remote.diff import ContentDiff, diff_contents
from schemac.remote.local import LocalSchema

if TYPE_CHECKING:
    from schemac.config import Config

CREATE, UPDATE, NO_CHANGE, REMOTE_ONLY = "create", "update", "no change", "remote-only"


@dataclass
class RemoteSchema:
    id: str
    name: str
    category: str
    version: int
    has_draft: bool
    body: dict[str, Any] | None = None  # the latest published content
    draft: dict[str, Any] | None = None  # the draft's content, when there is one

    @property
    def key(self) -> tuple[str, str]:
        return (self.name, self.category)


@dataclass
class SchemaPlan:
    name: str
    category: str
    action: str
    local: LocalSchema | None = None
    remote: RemoteSchema | None = None
    diff: ContentDiff = field(default_factory=ContentDiff)

    @property
    def breaking(self) -> bool:
        return self.diff.breaking

    @property
    def content(self) -> dict[str, Any]:
        assert self.local is not None
        return content_body(self.local.body)

    @property
    def draft_state(self) -> str | None:
        """None: no draft. "ours": the draft holds exactly the local content (a run of schemac
        left it, or someone prepared the same change). "foreign": any other draft."""
        if self.remote is None or not self.remote.has_draft:
            return None
        draft, local = self.remote.draft, self.local
        if local is not None and draft is not None and same_content(draft, local.body):
            return "ours"
        return "foreign"

    @property
    def label(self) -> str:
        return f"{self.name} ({self.category})"


@dataclass
class Plan:
    schemas: list[SchemaPlan]

    def of(self, action: str) -> list[SchemaPlan]:
        return [p for p in self.schemas if p.action == action]

    @property
    def has_changes(self) -> bool:
        return any(p.action in (CREATE, UPDATE) for p in self.schemas)


def fetch_remote(remote: Remote, wanted: set[tuple[str, str]] | None) -> list[RemoteSchema]:
    """The account's own schemas (list once), with content for those in ``wanted`` (all when
    None): the published content from ``remote.cache`` when it holds that (id, version), else
    one get each, plus the draft of those that have one, in parallel."""
    items = [item for item in remote.list_schemas() if not item.is_built_in]
    schemas = [
        RemoteSchema(
            item.id,
            item.name,
            category_of(item),
            item.version,
            item.has_draft,
        )
        for item in items
    ]
    candidates = [s for s in schemas if wanted is None or s.key in wanted]
    cache = remote.cache
    for schema in candidates:
        cached = cache.get(schema.id, schema.version) if cache is not None else None
        if cached is not None:
            schema.body = {**cached, "has_draft": schema.has_draft}

    def load(schema: RemoteSchema) -> None:
        if schema.body is None:
            schema.body = wire_from_response(remote.get(schema.id))  # get() fills the cache
        if schema.has_draft:
            draft = remote.get_draft(schema.id)
            schema.draft = wire_from_response(draft) if draft is not None else None
            schema.has_draft = draft is not None

    fetches = [s for s in candidates if s.body is None or s.has_draft]
    remote.get_many([lambda s=s: load(s) for s in fetches])  # type: ignore[misc]
    return schemas


def build_plan(
    local: list[LocalSchema],
    remote: list[RemoteSchema],
    *,
    include_remote_only: bool,
    dialect: str = vocabulary.DEFAULT_DIALECT,
    off: Collection[str] = (),
) -> Plan:
    """Each local schema matched with its remote one by (name, category); the diff's changes
    under the breaking rules whose codes are in ``off`` are not breaking."""
    by_key = {r.key: r for r in remote}
    plans: list[SchemaPlan] = []
    for schema in local:
        name, category = schema.key
        match = by_key.get(schema.key)
        if match is None:
            plans.append(SchemaPlan(name, category, CREATE, schema))
            continue
        assert match.body is not None
        diff = diff_contents(match.body, schema.body, dialect, off)
        action = UPDATE if not same_content(match.body, schema.body) else NO_CHANGE
        plans.append(SchemaPlan(name, category, action, schema, match, diff))
    if include_remote_only:
        local_keys = {s.key for s in local}
        for match in remote:
            if match.key not in local_keys:
                plans.append(SchemaPlan(match.name, match.category, REMOTE_ONLY, None, match))
    return Plan(plans)


def make_plan(
    local: list[LocalSchema], remote: Remote, config: Config, *, every_schema: bool
) -> Plan:
    """The plan of ``local`` against the account, under the configuration's dialect and rules
    turned off. ``every_schema``: ``local`` is the whole repository, so the content of every
    remote schema is fetched and those with no local file are listed (remote-only); else only
    the remote schemas ``local`` names are fetched."""
    from schemac.config import rules_turned_off
    from schemac.remote.cache import project_cache

    if remote.cache is None:
        # From here on the session also keeps what it publishes: a plan after a publish
        # finds the new versions in the cache.
        remote.cache = project_cache(config.root)
    wanted = None if every_schema else {schema.key for schema in local}
    return build_plan(
        local,
        fetch_remote(remote, wanted),
        include_remote_only=every_schema,
        dialect=config.dialect,
        off=rules_turned_off(config),
    )

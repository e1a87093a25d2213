"""Which schema an export of a local schema uses: its published version, pinned by ID.

An export names a schema by ID, and the API snapshots the latest published version when the
export is made. So ``schemac export NAME`` first checks that the latest published version holds
exactly what the local file compiles to (as ``status`` compares them: :func:`same_content`);
otherwise the rows would come from content the repository does not hold. ``--inline`` sends the
compiled content instead and needs nothing published. Either way the schema must fit the
datastream: a rule for its exchange, and its category (when the datastream's stream type is a
category name, as in the sandbox; the docs give no mapping otherwise).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from schemac import vocabulary
from schemac.fileio import printable

if TYPE_CHECKING:
    from schemac.config import Config
    from schemac.core.ir import Schema
    from schemac.remote.client import Remote
    from schemac.remote.local import LocalSchema


@dataclass(frozen=True)
class PinnedSchema:
    id: str
    version: int


class SchemaNotPinned(Exception):
    """The local schema is not published, or its published version differs from the file."""


def fit_problems(schema: Schema, exchange: str, stream_type: str | None = None) -> list[str]:
    """Why ``schema`` cannot export a datastream of ``exchange`` (and ``stream_type``), as
    sentences; empty when it can."""
    problems = []
    name = printable(schema.name)
    if exchange not in schema.exchanges:
        have = ", ".join(printable(code) for code in schema.exchanges) or "none"
        problems.append(
            f"schema `{name}` has no rules for exchange `{printable(exchange)}` "
            f"(its exchanges: {have})"
        )
    if stream_type in vocabulary.CATEGORIES and stream_type != schema.category:
        problems.append(
            f"schema `{name}` is a {schema.category} schema; the datastream's stream type is "
            f"{stream_type}"
        )
    return problems


def pin_schema(remote: Remote, local: LocalSchema, config: Config) -> PinnedSchema:
    """The published version of ``local`` whose content equals the file's; raises
    :class:`SchemaNotPinned` saying what to do (publish, or ``--inline``)."""
    from schemac.remote.cache import project_cache
    from schemac.remote.content import same_content
    from schemac.remote.plan import fetch_remote

    if remote.cache is None:
        remote.cache = project_cache(config.root)
    name, category = local.key
    label = f"{printable(name)} ({category})"
    publish = f"`schemac publish {printable(name)}` first, or pass --inline"
    matches = [s for s in fetch_remote(remote, {local.key}) if s.key == local.key]
    if not matches or matches[0].version < 1:
        raise SchemaNotPinned(f"{label} is not published; {publish}")
    published = matches[0]
    assert published.body is not None  # fetch_remote loads every wanted schema's content
    if not same_content(published.body, local.body):
        raise SchemaNotPinned(
            f"{label}: {printable(local.source)} differs from the published v{published.version} "
            f"({published.id}); {publish} to export the local content"
        )
    return PinnedSchema(published.id, published.version)

"""The JSON shape of a schema in responses: a list item, and a list item with its content."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from schemac.sandbox.builtins import BuiltinSchema
from schemac.sandbox.store import SchemaSummary, StoredSchema


def timestamp(seconds: float) -> str:
    """Unix seconds as the API writes ``created_at``: UTC, whole seconds."""
    return datetime.fromtimestamp(seconds, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def builtin_item(schema: BuiltinSchema) -> dict[str, Any]:
    """A built-in's list item: always version 1, never a draft."""
    return {
        "id": schema.id,
        "name": schema.name,
        "stream_category": schema.stream_category,
        "is_built_in": True,
        "created_at": schema.created_at,
        "version": 1,
        "has_draft": False,
    }


def custom_item(schema: StoredSchema | SchemaSummary) -> dict[str, Any]:
    has_draft = schema.has_draft if isinstance(schema, SchemaSummary) else schema.draft is not None
    return {
        "id": schema.id,
        "name": schema.name,
        "stream_category": schema.stream_category,
        "is_built_in": False,
        "created_at": schema.created_at,
        "version": schema.version,
        "has_draft": has_draft,
    }


def with_content(item: dict[str, Any], content: dict[str, Any]) -> dict[str, Any]:
    """A list item and one version's content: the body of a get, create, update or publish."""
    return {**item, **content}

"""The built-in schemas every account sees: read-only, loaded from ``data/builtin_schemas.json``.

``raw`` is not among them: it exists in every category but is never listed and has no content
the API returns; it only reserves its name.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

RAW_NAME = "raw"


@dataclass(frozen=True)
class BuiltinSchema:
    id: str
    name: str
    stream_category: str
    created_at: str
    content: dict[str, Any]


@lru_cache(maxsize=1)
def builtin_schemas() -> tuple[BuiltinSchema, ...]:
    """Every built-in schema, in list order."""
    text = resources.files("schemac.sandbox").joinpath("data/builtin_schemas.json").read_text()
    document = json.loads(text)
    found = []
    for entry in document["schemas"]:
        content = {key: entry[key] for key in ("columns", "unfold", "derive") if key in entry}
        found.append(
            BuiltinSchema(
                id=entry["id"],
                name=entry["name"],
                stream_category=entry["stream_category"],
                created_at=document["created_at"],
                content=content,
            )
        )
    return tuple(found)


def builtin_by_id(schema_id: str) -> BuiltinSchema | None:
    return next((schema for schema in builtin_schemas() if schema.id == schema_id), None)


def is_reserved_name(name: str, stream_category: str) -> bool:
    """Whether a custom schema may not take ``name`` in ``stream_category``: ``raw`` is reserved
    in every category, other built-in names in the categories where a built-in has them."""
    if name == RAW_NAME:
        return True
    return any(
        schema.name == name and schema.stream_category == stream_category
        for schema in builtin_schemas()
    )

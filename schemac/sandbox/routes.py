"""Which endpoint answers a path and method: the API's table of operations."""

from __future__ import annotations

from urllib.parse import unquote

from schemac.sandbox import endpoints
from schemac.sandbox.endpoints import Endpoint

# Method -> endpoint, for each kind of path.
Operations = dict[str, Endpoint]

_EXCHANGES: Operations = {"GET": endpoints.list_exchanges}
_COLLECTION: Operations = {"GET": endpoints.list_schemas, "POST": endpoints.create_schema}
_SCHEMA: Operations = {
    "GET": endpoints.get_schema,
    "PUT": endpoints.update_schema,
    "DELETE": endpoints.delete_schema,
}
_BELOW_SCHEMA: dict[str, Operations] = {
    "draft": {
        "POST": endpoints.create_draft,
        "GET": endpoints.get_draft,
        "PUT": endpoints.update_draft,
        "DELETE": endpoints.discard_draft,
    },
    "publish": {"POST": endpoints.publish_draft},
}


def route(path: str) -> tuple[Operations, str | None] | None:
    """The operations of ``path`` and the schema id it names, or None for no such endpoint."""
    parts = path.split("/")
    # parts[0] is "" (the path starts with "/"); the rest must be v1/...
    if len(parts) < 3 or parts[1] != "v1":
        return None
    rest = [unquote(part) for part in parts[2:]]
    if rest == ["exchanges"]:
        return _EXCHANGES, None
    if rest[0] != "export-schemas" or "" in rest:
        return None
    if len(rest) == 1:
        return _COLLECTION, None
    if len(rest) == 2:
        return _SCHEMA, rest[1]
    if len(rest) == 3 and rest[2] in _BELOW_SCHEMA:
        return _BELOW_SCHEMA[rest[2]], rest[1]
    return None

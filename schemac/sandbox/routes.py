"""Which endpoint answers a path and method: the API's table of operations.

Each row is a path template and its operations; a ``{name}`` segment matches any one non-empty
segment and is handed to the endpoint as ``call.params[name]``. Parameters that are resource
ids are checked against their pattern before any work (``ID_PARAMETERS``).
"""

from __future__ import annotations

from urllib.parse import unquote

from schemac.sandbox import availability, catalog_endpoints, endpoints, exports, subscriptions
from schemac.sandbox.endpoints import Endpoint
from schemac.sandbox.exportmodels import EXPORT_ID_PATTERN
from schemac.sandbox.models import SCHEMA_ID_PATTERN
from schemac.sandbox.models_catalog import SUBSCRIPTION_ID_PATTERN

# Method -> endpoint, for each kind of path.
Operations = dict[str, Endpoint]

ROUTES: tuple[tuple[str, Operations], ...] = (
    # The catalog.
    ("/exchanges", {"GET": catalog_endpoints.list_exchanges}),
    ("/exchanges/{exchange}/instruments", {"GET": catalog_endpoints.list_instruments}),
    (
        "/exchanges/{exchange}/instruments/{instrument}/datastreams",
        {"GET": catalog_endpoints.list_instrument_datastreams},
    ),
    ("/datastreams", {"GET": catalog_endpoints.list_datastreams}),
    # Subscriptions and what they collected.
    ("/subscriptions", {"GET": subscriptions.list_subscriptions, "POST": subscriptions.create}),
    (
        "/subscriptions/{subscription_id}",
        {"GET": subscriptions.get, "DELETE": subscriptions.delete},
    ),
    ("/subscriptions/{subscription_id}/pause", {"POST": subscriptions.pause}),
    ("/subscriptions/{subscription_id}/resume", {"POST": subscriptions.resume}),
    ("/subscriptions/{subscription_id}/spans", {"GET": subscriptions.list_spans}),
    ("/availability", {"GET": availability.get_availability}),
    # Exports.
    ("/exports", {"GET": exports.list_exports, "POST": exports.create_export}),
    ("/exports/{export_id}", {"GET": exports.get_export, "DELETE": exports.delete_export}),
    ("/exports/{export_id}/cancel", {"POST": exports.cancel_export}),
    ("/exports/{export_id}/download", {"GET": exports.download_export}),
    # Export schemas.
    ("/export-schemas", {"GET": endpoints.list_schemas, "POST": endpoints.create_schema}),
    (
        "/export-schemas/{id}",
        {
            "GET": endpoints.get_schema,
            "PUT": endpoints.update_schema,
            "DELETE": endpoints.delete_schema,
        },
    ),
    (
        "/export-schemas/{id}/draft",
        {
            "POST": endpoints.create_draft,
            "GET": endpoints.get_draft,
            "PUT": endpoints.update_draft,
            "DELETE": endpoints.discard_draft,
        },
    ),
    ("/export-schemas/{id}/publish", {"POST": endpoints.publish_draft}),
)

# Path parameter -> (what it names, its pattern): a malformed id is a 400 before any work.
ID_PARAMETERS: dict[str, tuple[str, str]] = {
    "export_id": (
        "export id: expected exp_ followed by 32 lowercase hex characters",
        EXPORT_ID_PATTERN,
    ),
    "id": ("schema id: expected sch_ followed by 32 lowercase hex characters", SCHEMA_ID_PATTERN),
    "subscription_id": (
        "subscription id: expected sub_ followed by 32 lowercase hex characters",
        SUBSCRIPTION_ID_PATTERN,
    ),
}

_TABLE = [(template.strip("/").split("/"), operations) for template, operations in ROUTES]


def route(path: str) -> tuple[Operations, dict[str, str]] | None:
    """The operations of ``path`` and its path parameters, or None for no such endpoint."""
    parts = path.split("/")
    # parts[0] is "" (the path starts with "/"); the rest must be v1/...
    if len(parts) < 3 or parts[1] != "v1":
        return None
    rest = [unquote(part) for part in parts[2:]]
    if "" in rest:
        return None
    for segments, operations in _TABLE:
        if len(segments) != len(rest):
            continue
        params: dict[str, str] = {}
        for segment, part in zip(segments, rest, strict=True):
            if segment.startswith("{"):
                params[segment[1:-1]] = part
            elif segment != part:
                break
        else:
            return operations, params
    return None

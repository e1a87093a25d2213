"""The exports part of the OpenAPI document: its paths, from the models of ``exportmodels.py``.

``openapi.build_openapi`` merges these paths and component schemas into the one document.
The artifact URLs (``/artifacts/...``) are not API (no key, no rate limit, like S3's presigned
URLs) and are not described.
"""

from __future__ import annotations

from typing import Any

from pydantic.json_schema import models_json_schema

from schemac.sandbox.exportmodels import (
    EXPORT_ID_PATTERN,
    EXPORT_REQUEST_MODELS,
    EXPORT_RESPONSE_MODELS,
)

_REF = "#/components/schemas/{model}"
_ERRORS = {
    "400": "invalid_argument: a bad body, id, limit or page token; or a download or cancel "
    "that does not fit the export's status (details.status)",
    "401": "unauthenticated: missing or invalid API key",
    "403": "permission_denied: no active or paused subscription to the datastream",
    "404": "not_found: no such export (or datastream, or named schema) in this account",
    "405": "invalid_argument: the path exists but not with this method",
    "409": "already_exists: an Idempotency-Key conflict",
    "429": "rate_limited: the account's budget is spent; see Retry-After",
    "500": "internal: server error (also injected after committing, when faults are on)",
    "503": "unavailable: temporarily unavailable (injected before any work, when faults are on)",
}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": _REF.format(model=name)}


def _headers() -> dict[str, Any]:
    return {"X-Request-Id": {"$ref": "#/components/headers/X-Request-Id"}}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "description": description,
        "headers": _headers(),
        "content": {"application/json": {"schema": schema}},
    }


def _responses(ok: str, body: dict[str, Any] | None, what: str, *errors: str) -> dict[str, Any]:
    found: dict[str, Any] = {
        ok: _json(body, what) if body is not None else {"description": what, "headers": _headers()}
    }
    for status in sorted({*errors, "401", "405", "429", "500", "503"}):
        found[status] = _json(_ref("ErrorResponse"), _ERRORS[status])
    return found


def _operation(
    operation_id: str,
    summary: str,
    responses: dict[str, Any],
    *,
    parameters: list[dict[str, Any]] | None = None,
    body: dict[str, Any] | None = None,
) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "operationId": operation_id,
        "summary": summary,
        "responses": responses,
    }
    if parameters:
        operation["parameters"] = parameters
    if body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": body}},
        }
    return operation


_IDEMPOTENCY = {"$ref": "#/components/parameters/IdempotencyKey"}
_EXPORT_ID = {
    "name": "export_id",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "pattern": EXPORT_ID_PATTERN},
}
_PAGING = [
    {
        "name": "limit",
        "in": "query",
        "required": False,
        "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 50},
    },
    {"name": "page_token", "in": "query", "required": False, "schema": {"type": "string"}},
]


def export_schemas() -> dict[str, Any]:
    """The component schemas of the exports models (``SchemaContent`` and ``ErrorResponse``
    come from the export-schema models)."""
    _, definitions = models_json_schema(
        [(model, "validation") for model in (*EXPORT_REQUEST_MODELS, *EXPORT_RESPONSE_MODELS)],
        ref_template=_REF,
    )
    schemas: dict[str, Any] = definitions["$defs"]
    return schemas


def export_paths() -> dict[str, Any]:
    """/exports and below."""
    job = _ref("ExportJob")
    return {
        "/exports": {
            "get": _operation(
                "listExports",
                "List the account's exports, in creation order (limit 1..100, default 50)",
                _responses("200", _ref("ExportJobPage"), "A page of exports", "400"),
                parameters=_PAGING,
            ),
            "post": _operation(
                "createExport",
                "Create an export of a datastream's range with a schema and a format",
                _responses("202", job, "Export accepted", "400", "403", "404", "409"),
                parameters=[_IDEMPOTENCY],
                body=_ref("CreateExportRequest"),
            ),
        },
        "/exports/{export_id}": {
            "parameters": [_EXPORT_ID],
            "get": _operation(
                "getExport",
                "Get an export and its status",
                _responses("200", job, "Export", "400", "404"),
            ),
            "delete": _operation(
                "deleteExport",
                "Delete an export and its files",
                _responses("204", None, "Export deleted", "400", "404", "409"),
                parameters=[_IDEMPOTENCY],
            ),
        },
        "/exports/{export_id}/cancel": {
            "parameters": [_EXPORT_ID],
            "post": _operation(
                "cancelExport",
                "Cancel a queued or running export (a canceled one stays canceled)",
                _responses("200", job, "Export canceled", "400", "404", "409"),
                parameters=[_IDEMPOTENCY],
            ),
        },
        "/exports/{export_id}/download": {
            "parameters": [_EXPORT_ID],
            "get": _operation(
                "getExportDownload",
                "Signed URLs of a succeeded export's files (one per UTC hour), valid 5 minutes",
                _responses("200", _ref("ExportDownload"), "Artifacts", "400", "404"),
            ),
        },
    }

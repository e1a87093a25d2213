"""The pieces the OpenAPI document is built of: references, responses, operations."""

from __future__ import annotations

from typing import Any

REF = "#/components/schemas/{model}"


def ref(name: str) -> dict[str, str]:
    return {"$ref": REF.format(model=name)}


def json_response(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "description": description,
        "headers": {
            "X-Request-Id": {"$ref": "#/components/headers/X-Request-Id"},
        },
        "content": {"application/json": {"schema": schema}},
    }


ERROR_DESCRIPTIONS = {
    "400": "invalid_argument: the request is malformed or fails validation",
    "401": "unauthenticated: missing or invalid API key",
    "403": "permission_denied: valid key without permission (e.g. no live subscription)",
    "404": "not_found: no such resource (schema, draft, subscription, exchange, instrument, "
    "datastream) in this account, or no such endpoint",
    "405": "invalid_argument: the path exists but not with this method",
    "409": "already_exists: name taken, a live subscription to the datastream exists, or an "
    "Idempotency-Key conflict",
    "429": "rate_limited: the account's budget is spent; see Retry-After",
    "500": "internal: server error (also injected after committing, when faults are on)",
    "503": "unavailable: temporarily unavailable (injected before any work, when faults are on)",
}


def errors(*statuses: str) -> dict[str, Any]:
    common = ("401", "405", "429", "500", "503")
    return {
        status: json_response(ref("ErrorResponse"), ERROR_DESCRIPTIONS[status])
        for status in sorted({*statuses, *common})
    }


def operation(
    operation_id: str,
    summary: str,
    responses: dict[str, Any],
    *,
    body: dict[str, Any] | None = None,
    body_required: bool = True,
    idempotent: bool = False,
    query: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "operationId": operation_id,
        "summary": summary,
        "responses": responses,
    }
    parameters = list(query or [])
    if idempotent:
        parameters.append({"$ref": "#/components/parameters/IdempotencyKey"})
    if parameters:
        spec["parameters"] = parameters
    if body is not None:
        spec["requestBody"] = {
            "required": body_required,
            "content": {"application/json": {"schema": body}},
        }
    return spec


def no_content(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "headers": {"X-Request-Id": {"$ref": "#/components/headers/X-Request-Id"}},
    }


def query_parameter(
    name: str, schema: dict[str, Any], description: str, *, required: bool = False
) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": required,
        "description": description,
        "schema": schema,
    }

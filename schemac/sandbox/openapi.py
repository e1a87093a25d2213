"""The OpenAPI 3.1 description served at ``/v1/openapi.json``.

Component schemas are generated from the same pydantic models that validate requests
(``models.py``); only the table of operations below is written by hand. The column cap in the
document is the sandbox's configured ``max_columns``.
"""

from __future__ import annotations

from typing import Any

from pydantic.json_schema import models_json_schema

from schemac.sandbox.config import SandboxConfig
from schemac.sandbox.models import (
    REQUEST_MODELS,
    RESPONSE_MODELS,
    SCHEMA_ID_PATTERN,
)

_REF = "#/components/schemas/{model}"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": _REF.format(model=name)}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "description": description,
        "headers": {
            "X-Request-Id": {"$ref": "#/components/headers/X-Request-Id"},
        },
        "content": {"application/json": {"schema": schema}},
    }


_ERROR_DESCRIPTIONS = {
    "400": "invalid_argument: the request is malformed or fails validation",
    "401": "unauthenticated: missing or invalid API key",
    "404": "not_found: no such schema (or draft) in this account, or no such endpoint",
    "405": "invalid_argument: the path exists but not with this method",
    "409": "already_exists: name taken, or an Idempotency-Key conflict",
    "429": "rate_limited: the account's budget is spent; see Retry-After",
    "500": "internal: server error (also injected after committing, when faults are on)",
    "503": "unavailable: temporarily unavailable (injected before any work, when faults are on)",
}


def _errors(*statuses: str) -> dict[str, Any]:
    common = ("401", "405", "429", "500", "503")
    return {
        status: _json(_ref("ErrorResponse"), _ERROR_DESCRIPTIONS[status])
        for status in sorted({*statuses, *common})
    }


def _operation(
    operation_id: str,
    summary: str,
    responses: dict[str, Any],
    *,
    body: dict[str, Any] | None = None,
    body_required: bool = True,
    idempotent: bool = False,
) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "operationId": operation_id,
        "summary": summary,
        "responses": responses,
    }
    if idempotent:
        operation["parameters"] = [{"$ref": "#/components/parameters/IdempotencyKey"}]
    if body is not None:
        operation["requestBody"] = {
            "required": body_required,
            "content": {"application/json": {"schema": body}},
        }
    return operation


def _no_content(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "headers": {"X-Request-Id": {"$ref": "#/components/headers/X-Request-Id"}},
    }


def _keys_checked_by_name(node: Any) -> None:
    """pydantic describes a constrained mapping key as ``patternProperties``, which lets keys
    that miss the pattern through; the models reject them, so say so with ``propertyNames``."""
    if isinstance(node, dict):
        patterns = node.get("patternProperties")
        if isinstance(patterns, dict) and len(patterns) == 1 and "propertyNames" in node:
            ((pattern, value_schema),) = patterns.items()
            node["propertyNames"] = {**node["propertyNames"], "pattern": pattern}
            node["additionalProperties"] = value_schema
            del node["patternProperties"]
        for child in node.values():
            _keys_checked_by_name(child)
    elif isinstance(node, list):
        for child in node:
            _keys_checked_by_name(child)


def build_openapi(config: SandboxConfig) -> dict[str, Any]:
    """The OpenAPI document for a sandbox with ``config``."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Ticksupply export-schema API (schemac sandbox)",
            "version": "v1",
            "description": "A local test double of the Ticksupply export-schema endpoints.",
        },
        "servers": [{"url": "/v1"}],
        "security": [{"ApiKey": []}],
        "paths": {**_collection_paths(), **_schema_paths(), **_draft_paths()},
        "components": _components(_model_schemas(config.max_columns)),
    }


def _model_schemas(max_columns: int) -> dict[str, Any]:
    """The component schemas: the request and response models, as pydantic describes them."""
    _, definitions = models_json_schema(
        [(model, "validation") for model in (*REQUEST_MODELS, *RESPONSE_MODELS)],
        ref_template=_REF,
    )
    schemas: dict[str, Any] = definitions["$defs"]
    _keys_checked_by_name(schemas)
    for name in ("SchemaContent", "CreateSchemaRequest"):
        schemas[name]["properties"]["columns"]["maxItems"] = max_columns
    return schemas


def _schema_id() -> dict[str, str]:
    return {"$ref": "#/components/parameters/SchemaId"}


def _collection_paths() -> dict[str, Any]:
    """/exchanges and /export-schemas: the lists, and create."""
    full = _ref("ExportSchemaWithVersion")
    schemas = {"type": "array", "items": _ref("ExportSchemaListItem")}
    exchanges = {"type": "array", "items": _ref("Exchange")}
    return {
        "/exchanges": {
            "get": _operation(
                "listExchanges",
                "List exchanges",
                {"200": _json(exchanges, "Exchanges"), **_errors()},
            )
        },
        "/export-schemas": {
            "get": _operation(
                "listExportSchemas",
                "List built-in and custom schemas (raw is never listed; not paginated)",
                {"200": _json(schemas, "Schemas"), **_errors()},
            ),
            "post": _operation(
                "createExportSchema",
                "Create a custom schema at version 1",
                {"201": _json(full, "Schema created"), **_errors("400", "409")},
                body=_ref("CreateSchemaRequest"),
                idempotent=True,
            ),
        },
    }


def _schema_paths() -> dict[str, Any]:
    """/export-schemas/{id}: get, replace and delete one schema."""
    full = _ref("ExportSchemaWithVersion")
    content = _ref("SchemaContent")
    return {
        "/export-schemas/{id}": {
            "parameters": [_schema_id()],
            "get": _operation(
                "getExportSchema",
                "Get a schema with its latest published content",
                {"200": _json(full, "Schema"), **_errors("400", "404")},
            ),
            "put": _operation(
                "updateExportSchema",
                "Replace the content as a new published version (discards any draft)",
                {"200": _json(full, "Schema updated"), **_errors("400", "404")},
                body=content,
            ),
            "delete": _operation(
                "deleteExportSchema",
                "Delete a custom schema (and its draft)",
                {"204": _no_content("Schema deleted"), **_errors("400", "404", "409")},
                idempotent=True,
            ),
        },
    }


def _draft_paths() -> dict[str, Any]:
    """/export-schemas/{id}/draft and /publish: the draft's life."""
    full = _ref("ExportSchemaWithVersion")
    content = _ref("SchemaContent")
    return {
        "/export-schemas/{id}/draft": {
            "parameters": [_schema_id()],
            "post": _operation(
                "createDraft",
                "Create or replace the draft: empty body copies the published version",
                {"201": _json(full, "Draft created"), **_errors("400", "404", "409")},
                body=content,
                body_required=False,
                idempotent=True,
            ),
            "get": _operation(
                "getDraft",
                "Get the draft",
                {"200": _json(full, "Draft contents"), **_errors("400", "404")},
            ),
            "put": _operation(
                "updateDraft",
                "Replace the contents of an existing draft",
                {"200": _json(full, "Draft updated"), **_errors("400", "404")},
                body=content,
            ),
            "delete": _operation(
                "discardDraft",
                "Discard the draft without publishing it",
                {"204": _no_content("Draft discarded"), **_errors("400", "404", "409")},
                idempotent=True,
            ),
        },
        "/export-schemas/{id}/publish": {
            "parameters": [_schema_id()],
            "post": _operation(
                "publishDraft",
                "Publish the draft as the next version",
                {"200": _json(full, "Draft published"), **_errors("400", "404", "409")},
                idempotent=True,
            ),
        },
    }


def _components(schemas: dict[str, Any]) -> dict[str, Any]:
    return {
        "schemas": schemas,
        "securitySchemes": {"ApiKey": {"type": "apiKey", "in": "header", "name": "X-Api-Key"}},
        "parameters": {
            "SchemaId": {
                "name": "id",
                "in": "path",
                "required": True,
                "schema": {"type": "string", "pattern": SCHEMA_ID_PATTERN},
            },
            "IdempotencyKey": {
                "name": "Idempotency-Key",
                "in": "header",
                "required": False,
                "description": "A UUID (hyphenated, simple, braced or URN), at most 128 "
                "characters. Replays keep for 24 hours.",
                "schema": {"type": "string", "maxLength": 128},
            },
        },
        "headers": {
            "X-Request-Id": {
                "description": "req_ followed by hex; on every response",
                "schema": {"type": "string", "pattern": "^req_[0-9a-f]+$"},
            }
        },
    }

"""The OpenAPI 3.1 description served at ``/v1/openapi.json``.

Component schemas are generated from the same pydantic models that validate requests
(``models.py``); only the table of operations below is written by hand. The column cap in the
document is the sandbox's configured ``max_columns``.
"""

from __future__ import annotations

from typing import Any

from pydantic.json_schema import models_json_schema

from schemac.sandbox.config import SandboxConfig
from schemac.sandbox.exportopenapi import export_paths, export_schemas
from schemac.sandbox.models import (
    REQUEST_MODELS,
    RESPONSE_MODELS,
    SCHEMA_ID_PATTERN,
)
from schemac.sandbox.models_catalog import CATALOG_REQUEST_MODELS, CATALOG_RESPONSE_MODELS
from schemac.sandbox.openapi_catalog import catalog_paths
from schemac.sandbox.openapi_parts import (
    REF,
    errors,
    json_response,
    no_content,
    operation,
    ref,
)


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
            "title": "Ticksupply API (schemac sandbox)",
            "version": "v1",
            "description": "A local test double of the Ticksupply API.",
        },
        "servers": [{"url": "/v1"}],
        "security": [{"ApiKey": []}],
        "paths": {
            **catalog_paths(),
            **_collection_paths(),
            **_schema_paths(),
            **_draft_paths(),
            **export_paths(),
        },
        "components": _components(_model_schemas(config.max_columns)),
    }


def _model_schemas(max_columns: int) -> dict[str, Any]:
    """The component schemas: the request and response models, as pydantic describes them."""
    _, definitions = models_json_schema(
        [
            (model, "validation")
            for model in (
                *REQUEST_MODELS,
                *RESPONSE_MODELS,
                *CATALOG_REQUEST_MODELS,
                *CATALOG_RESPONSE_MODELS,
            )
        ],
        ref_template=REF,
    )
    schemas: dict[str, Any] = {**definitions["$defs"], **export_schemas()}
    _keys_checked_by_name(schemas)
    for name in ("SchemaContent", "CreateSchemaRequest"):
        schemas[name]["properties"]["columns"]["maxItems"] = max_columns
    return schemas


def _schema_id() -> dict[str, str]:
    return {"$ref": "#/components/parameters/SchemaId"}


def _collection_paths() -> dict[str, Any]:
    """/export-schemas: the list, and create."""
    full = ref("ExportSchemaWithVersion")
    schemas = {"type": "array", "items": ref("ExportSchemaListItem")}
    return {
        "/export-schemas": {
            "get": operation(
                "listExportSchemas",
                "List built-in and custom schemas (raw is never listed; not paginated)",
                {"200": json_response(schemas, "Schemas"), **errors()},
            ),
            "post": operation(
                "createExportSchema",
                "Create a custom schema at version 1",
                {"201": json_response(full, "Schema created"), **errors("400", "409")},
                body=ref("CreateSchemaRequest"),
                idempotent=True,
            ),
        },
    }


def _schema_paths() -> dict[str, Any]:
    """/export-schemas/{id}: get, replace and delete one schema."""
    full = ref("ExportSchemaWithVersion")
    content = ref("SchemaContent")
    return {
        "/export-schemas/{id}": {
            "parameters": [_schema_id()],
            "get": operation(
                "getExportSchema",
                "Get a schema with its latest published content",
                {"200": json_response(full, "Schema"), **errors("400", "404")},
            ),
            "put": operation(
                "updateExportSchema",
                "Replace the content as a new published version (discards any draft)",
                {"200": json_response(full, "Schema updated"), **errors("400", "404")},
                body=content,
            ),
            "delete": operation(
                "deleteExportSchema",
                "Delete a custom schema (and its draft)",
                {"204": no_content("Schema deleted"), **errors("400", "404", "409")},
                idempotent=True,
            ),
        },
    }


def _draft_paths() -> dict[str, Any]:
    """/export-schemas/{id}/draft and /publish: the draft's life."""
    full = ref("ExportSchemaWithVersion")
    content = ref("SchemaContent")
    return {
        "/export-schemas/{id}/draft": {
            "parameters": [_schema_id()],
            "post": operation(
                "createDraft",
                "Create or replace the draft: empty body copies the published version",
                {"201": json_response(full, "Draft created"), **errors("400", "404", "409")},
                body=content,
                body_required=False,
                idempotent=True,
            ),
            "get": operation(
                "getDraft",
                "Get the draft",
                {"200": json_response(full, "Draft contents"), **errors("400", "404")},
            ),
            "put": operation(
                "updateDraft",
                "Replace the contents of an existing draft",
                {"200": json_response(full, "Draft updated"), **errors("400", "404")},
                body=content,
            ),
            "delete": operation(
                "discardDraft",
                "Discard the draft without publishing it",
                {"204": no_content("Draft discarded"), **errors("400", "404", "409")},
                idempotent=True,
            ),
        },
        "/export-schemas/{id}/publish": {
            "parameters": [_schema_id()],
            "post": operation(
                "publishDraft",
                "Publish the draft as the next version",
                {"200": json_response(full, "Draft published"), **errors("400", "404", "409")},
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

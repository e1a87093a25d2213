"""The endpoints: each validates its request, then returns the work to run.

The work runs later, inside one store transaction (and, for an idempotent request, together
with its idempotency record), so an endpoint itself never touches the store.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from schemac.sandbox.builtins import builtin_by_id, builtin_schemas, is_reserved_name
from schemac.sandbox.catalog import SandboxCatalog
from schemac.sandbox.config import SandboxConfig
from schemac.sandbox.items import builtin_item, custom_item, timestamp, with_content
from schemac.sandbox.messages import MessageSource
from schemac.sandbox.models import BodyProblem, parse_content, parse_create
from schemac.sandbox.prerender import Prerendered
from schemac.sandbox.responses import Response, error, not_found
from schemac.sandbox.store import Store, StoredSchema, Transaction


@dataclass(frozen=True)
class SandboxData:
    """What the sandbox serves besides its stored state: the catalog and the raw messages;
    and, for work that must run outside a transaction (an export's render), the store and
    what was rendered ahead."""

    catalog: SandboxCatalog
    messages: MessageSource
    store: Store | None = None
    rendered: Prerendered = field(default_factory=Prerendered)


@dataclass(frozen=True)
class Call:
    """One authenticated, routed request: its path parameters (``{name}`` segments of the
    route) and query parameters (the first value of each), and the data the sandbox serves."""

    method: str
    path: str
    account: str
    body: bytes
    params: Mapping[str, str]
    query: Mapping[str, str]
    data: SandboxData
    host: str | None = None  # the Host header: artifact URLs are signed for it

    @property
    def schema_id(self) -> str | None:
        return self.params.get("id")


# A validated request's work: runs inside one store transaction and returns the response.
Work = Callable[[Transaction], Response]
# An endpoint: validates the call (raising BodyProblem for a bad body) and returns its work.
Endpoint = Callable[[Call, SandboxConfig], Work]
# The work on one of the account's own schemas, found by the call's id.
_Change = Callable[[Transaction, StoredSchema], Response]


def list_schemas(call: Call, config: SandboxConfig) -> Work:
    """Every schema, not paginated (as documented: a bare array, which the official client
    reads whole); the stored contents and drafts, which the items do not show, are not read."""

    def work(tx: Transaction) -> Response:
        items = [builtin_item(schema) for schema in builtin_schemas()]
        items += [custom_item(summary) for summary in tx.list_summaries(call.account)]
        return Response(200, items)

    return work


def create_schema(call: Call, config: SandboxConfig) -> Work:
    name, category, content = parse_create(json_body(call.body), config.max_columns)

    def work(tx: Transaction) -> Response:
        taken = _name_taken(tx, call.account, name, category)
        if taken is not None:
            return taken
        schema = StoredSchema(
            id="sch_" + uuid.uuid4().hex,
            account=call.account,
            name=name,
            stream_category=category,
            created_at=timestamp(config.clock()),
            version=1,
            content=content,
            draft=None,
        )
        tx.insert_schema(schema)
        return Response(201, with_content(custom_item(schema), content))

    return work


def _name_taken(tx: Transaction, account: str, name: str, category: str) -> Response | None:
    """The 409 for a name a built-in or another of the account's schemas has, or None."""
    if is_reserved_name(name, category):
        return error(
            409,
            "already_exists",
            f"The name {name!r} belongs to a built-in schema in category {category!r}",
            {"name": name, "stream_category": category, "built_in": True},
        )
    existing = tx.find_by_name(account, category, name)
    if existing is not None:
        return error(
            409,
            "already_exists",
            f"A schema named {name!r} already exists in category {category!r}",
            {"name": name, "stream_category": category, "id": existing.id},
        )
    return None


def get_schema(call: Call, config: SandboxConfig) -> Work:
    schema_id = _id(call)

    def work(tx: Transaction) -> Response:
        builtin = builtin_by_id(schema_id)
        if builtin is not None:
            return Response(200, with_content(builtin_item(builtin), builtin.content))
        schema = tx.get_schema(call.account, schema_id)
        if schema is None:
            return not_found(schema_id)
        return Response(200, with_content(custom_item(schema), schema.content))

    return work


def _custom_work(call: Call, change: _Change) -> Work:
    """Work on one of the account's own schemas; built-ins and unknown ids are 404."""
    schema_id = _id(call)

    def work(tx: Transaction) -> Response:
        schema = tx.get_schema(call.account, schema_id)
        if schema is None:
            return not_found(schema_id)
        return change(tx, schema)

    return work


def update_schema(call: Call, config: SandboxConfig) -> Work:
    content = parse_content(json_body(call.body), config.max_columns)

    def change(tx: Transaction, schema: StoredSchema) -> Response:
        updated = replace(schema, version=schema.version + 1, content=content, draft=None)
        tx.save_schema(updated)
        return Response(200, with_content(custom_item(updated), content))

    return _custom_work(call, change)


def delete_schema(call: Call, config: SandboxConfig) -> Work:
    def change(tx: Transaction, schema: StoredSchema) -> Response:
        tx.delete_schema(schema.id)
        return Response(204)

    return _custom_work(call, change)


def create_draft(call: Call, config: SandboxConfig) -> Work:
    # An empty body copies the published version; any other body must be full content.
    content = (
        None if not call.body.strip() else parse_content(json_body(call.body), config.max_columns)
    )

    def change(tx: Transaction, schema: StoredSchema) -> Response:
        draft = schema.content if content is None else content
        updated = replace(schema, draft=draft)
        tx.save_schema(updated)
        return Response(201, with_content(custom_item(updated), draft))

    return _custom_work(call, change)


def get_draft(call: Call, config: SandboxConfig) -> Work:
    def change(tx: Transaction, schema: StoredSchema) -> Response:
        if schema.draft is None:
            return not_found(schema.id, "No draft for export schema")
        return Response(200, with_content(custom_item(schema), schema.draft))

    return _custom_work(call, change)


def update_draft(call: Call, config: SandboxConfig) -> Work:
    content = parse_content(json_body(call.body), config.max_columns)

    def change(tx: Transaction, schema: StoredSchema) -> Response:
        if schema.draft is None:
            return not_found(schema.id, "No draft (create one first) for export schema")
        updated = replace(schema, draft=content)
        tx.save_schema(updated)
        return Response(200, with_content(custom_item(updated), content))

    return _custom_work(call, change)


def discard_draft(call: Call, config: SandboxConfig) -> Work:
    def change(tx: Transaction, schema: StoredSchema) -> Response:
        if schema.draft is None:
            return not_found(schema.id, "No draft for export schema")
        tx.save_schema(replace(schema, draft=None))
        return Response(204)

    return _custom_work(call, change)


def publish_draft(call: Call, config: SandboxConfig) -> Work:
    def change(tx: Transaction, schema: StoredSchema) -> Response:
        if schema.draft is None:
            return not_found(schema.id, "No draft to publish for export schema")
        updated = replace(schema, version=schema.version + 1, content=schema.draft, draft=None)
        tx.save_schema(updated)
        return Response(200, with_content(custom_item(updated), updated.content))

    return _custom_work(call, change)


def _id(call: Call) -> str:
    if call.schema_id is None:  # the router only sends id-bearing paths here
        raise ValueError("route without a schema id")
    return call.schema_id


def json_body(body: bytes) -> Any:
    """The parsed JSON body. Raises BodyProblem for anything that is not JSON."""
    if not body.strip():
        raise BodyProblem(
            "Request body is required (a JSON object)",
            {"field": "body", "errors": [{"field": "body", "message": "missing"}]},
        )
    try:
        return json.loads(body)
    except (ValueError, RecursionError) as problem:
        reason = str(problem) if isinstance(problem, ValueError) else "nested too deeply"
        raise BodyProblem(
            f"Request body is not valid JSON: {reason}",
            {"field": "body", "errors": [{"field": "body", "message": reason}]},
        ) from None

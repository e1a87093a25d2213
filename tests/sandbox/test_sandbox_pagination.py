"""The list endpoint: as documented, one bare array of every schema (the API documents cursor
pagination only for subscriptions, exports, instruments and datastreams, which the sandbox does
not serve); and it reads only what its items show, never the stored contents and drafts."""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path
from typing import Any

from sandbox.conftest import API_KEY
from schemac.sandbox import Sandbox, start_sandbox
from schemac.sandbox.api import account_of
from schemac.sandbox.builtins import builtin_schemas
from schemac.sandbox.store import StoredSchema

CONTENT = {"columns": [{"output_column": "ts", "meta": {"value": "collection_timestamp_ns"}}]}


def _insert(sandbox: Sandbox, count: int, *, drafts: bool = False) -> list[str]:
    ids = []
    with sandbox.app.store.transaction() as tx:
        for i in range(count):
            schema_id = "sch_" + uuid.uuid4().hex
            ids.append(schema_id)
            tx.insert_schema(
                StoredSchema(
                    schema_id,
                    account_of(API_KEY),
                    f"s{i}",
                    "trade",
                    "2026-01-01T00:00:00Z",
                    1 + i % 3,
                    CONTENT,
                    CONTENT if drafts and i % 2 else None,
                )
            )
    return ids


def test_the_list_is_every_schema_in_one_bare_array(sandbox: Sandbox, client: Any) -> None:
    ids = _insert(sandbox, 250, drafts=True)
    response = client._http_client.get("/export-schemas")
    body = response.json()
    assert isinstance(body, list)  # not an {"items": ...} page: the client reads an array
    custom = [item for item in body if not item["is_built_in"]]
    assert [item["id"] for item in custom] == ids  # all 250, in creation order
    assert [item["version"] for item in custom[:4]] == [1, 2, 3, 1]
    assert [item["has_draft"] for item in custom[:4]] == [False, True, False, True]
    assert len(body) == len(builtin_schemas()) + 250
    assert len(client.export_schemas.list()) == len(body)  # the official client, unchanged


def test_the_openapi_document_says_so(sandbox: Sandbox) -> None:
    operation = sandbox.app.openapi["paths"]["/export-schemas"]["get"]
    assert "parameters" not in operation  # no limit, no page_token
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["type"] == "array"


def test_the_list_never_decodes_contents_or_drafts(tmp_path: Path) -> None:
    state = tmp_path / "sandbox.db"
    with start_sandbox([API_KEY], state=state) as sandbox:
        [schema_id] = _insert(sandbox, 1, drafts=False)
    with sqlite3.connect(state) as db:  # contents the list must not even parse
        db.execute(
            "UPDATE export_schemas SET content = 'not json', draft = '{' WHERE id = ?",
            (schema_id,),
        )
    with start_sandbox([API_KEY], state=state) as sandbox, sandbox.client(API_KEY) as client:
        [item] = [s for s in client.export_schemas.list() if not s.is_built_in]
    assert item.id == schema_id and item.has_draft and item.version == 1

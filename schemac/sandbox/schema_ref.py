"""What an export's ``schema`` names, resolved once when the export is created.

The four documented forms, plus one the docs leave open (D21) and the sandbox accepts:

- ``raw`` (or absent): no schema, the two raw columns;
- a built-in name (``normalized``, ``book_5``, ...) of the datastream's category;
- a schema ID (``sch_...``): a built-in, or one of the account's custom schemas, **pinned**:
  its latest published version is snapshotted now, and publishing later changes nothing;
- a custom schema name of the account, in the datastream's category (snapshotted too);
- an inline object: the content format of ``PUT /export-schemas/{id}``, validated by the same
  models (``schema.columns[0]...`` names a bad field).

The snapshot is the content plus ``name`` and ``stream_category``. A schema of another
category than the datastream's stream type, or one with no rule for the datastream's
exchange, is a 400: its export could hold no row.
"""

from __future__ import annotations

import re
from typing import Any

from schemac.sandbox.builtins import RAW_NAME, builtin_by_id, builtin_schemas
from schemac.sandbox.catalog import Datastream
from schemac.sandbox.models import SCHEMA_ID_PATTERN, BodyProblem, parse_content
from schemac.sandbox.responses import Response, error
from schemac.sandbox.store import Transaction

_SCHEMA_ID = re.compile(SCHEMA_ID_PATTERN)
INLINE_NAME = "inline"


def parse_inline(ref: str | dict[str, Any] | None, max_columns: int) -> dict[str, Any] | None:
    """An inline schema's validated content (None for a string or no schema). Raises
    BodyProblem with fields named from the body (``schema.columns[0].meta``)."""
    if not isinstance(ref, dict):
        return None
    try:
        return parse_content(ref, max_columns)
    except BodyProblem as problem:
        errors = [
            {**item, "field": _under_schema(str(item["field"]))}
            for item in problem.details.get("errors", [])
        ]
        if not errors:  # the column cap: its details say the cap and the count
            details = {**problem.details, "field": "schema.columns"}
            raise BodyProblem(problem.message, details) from None
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise BodyProblem(
            f"Invalid request body: {first['field']}: {first['message']}{more}",
            {"field": first["field"], "errors": errors},
        ) from None


def _under_schema(field: str) -> str:
    return "schema" if field == "body" else f"schema.{field}"


def resolve_schema(
    tx: Transaction,
    account: str,
    ref: str | None,
    inline: dict[str, Any] | None,
    stream: Datastream,
) -> dict[str, Any] | Response | None:
    """The snapshot of the schema an export names (None: raw), or the error response."""
    category = stream.stream_type
    if inline is not None:
        return {"name": INLINE_NAME, "stream_category": category, **inline}
    if ref is None or ref == RAW_NAME:
        return None
    if ref.startswith("sch_"):
        return _by_id(tx, account, ref, category)
    builtin = next(
        (s for s in builtin_schemas() if s.name == ref and s.stream_category == category), None
    )
    if builtin is not None:
        return _snapshot(builtin.name, category, builtin.content)
    custom = tx.find_by_name(account, category, ref)
    if custom is not None:
        return _snapshot(custom.name, category, custom.content)
    return error(
        404,
        "not_found",
        f"No schema named {ref[:128]!r} in category {category!r} (the datastream's stream "
        "type): use raw, a built-in name, a schema ID or a custom schema name",
        {"field": "schema", "stream_category": category},
    )


def _by_id(
    tx: Transaction, account: str, schema_id: str, category: str
) -> dict[str, Any] | Response:
    if not _SCHEMA_ID.fullmatch(schema_id):
        return error(
            400,
            "invalid_argument",
            "Invalid schema id: expected sch_ followed by 32 lowercase hex characters",
            {"field": "schema", "pattern": SCHEMA_ID_PATTERN, "provided": schema_id[:200]},
        )
    builtin = builtin_by_id(schema_id)
    found = (
        (builtin.name, builtin.stream_category, builtin.content) if builtin is not None else None
    )
    custom = tx.get_schema(account, schema_id) if found is None else None
    if custom is not None:
        found = (custom.name, custom.stream_category, custom.content)
    if found is None:
        return error(404, "not_found", f"Export schema {schema_id} not found", {"field": "schema"})
    name, schema_category, content = found
    if schema_category != category:
        return error(
            400,
            "invalid_argument",
            f"Schema {schema_id} is for category {schema_category!r}; the datastream's stream "
            f"type is {category!r}",
            {"field": "schema", "stream_category": schema_category, "stream_type": category},
        )
    return _snapshot(name, category, content)


def _snapshot(name: str, category: str, content: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "stream_category": category, **content}


def mapped_exchanges(schema: dict[str, Any]) -> list[str]:
    """The exchange codes a content maps: in its columns' ``data``, ``unfold`` and ``derive``."""
    codes: list[str] = []
    for column in schema.get("columns", []):
        codes += [code for code in column.get("data") or {} if code not in codes]
    for key in ("unfold", "derive"):
        codes += [code for code in schema.get(key) or {} if code not in codes]
    return codes


def unmapped_exchange(schema: dict[str, Any] | None, exchange: str) -> Response | None:
    """The 400 for a schema with no rule for ``exchange`` (its export would hold no row)."""
    if schema is None:
        return None
    codes = mapped_exchanges(schema)
    if exchange in codes:
        return None
    mapped = ", ".join(codes) if codes else "none"
    return error(
        400,
        "invalid_argument",
        f"The schema has no rule for exchange {exchange!r}, the datastream's (it maps: {mapped})",
        {"field": "schema", "exchange": exchange, "mapped": codes},
    )

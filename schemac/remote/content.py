"""Schema content as the API compares it: normalised, hashed, and turned back into IR.

Two contents are equal when they export the same thing. Normalisation removes what the API
treats as the same: absent, ``null`` and ``{}`` unfold/derive, an absent meta ``format`` (``ns``),
a ``"data": {}`` beside ``meta`` (an artefact of the vendor's examples), a ``null`` transform, and
the order of exchange keys. Column order and derive-field order are kept: they matter.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ticksupply.models.schema import ExportSchema, ExportSchemaWithVersion

DEFAULT_META_FORMAT = "ns"


def normalize_content(body: dict[str, Any]) -> dict[str, Any]:
    """The comparable content of a create body, a content body or an API response."""
    columns = [_normalize_column(column) for column in body.get("columns") or []]
    unfold = {
        exchange: {"path": (rule or {}).get("path")}
        for exchange, rule in sorted((body.get("unfold") or {}).items())
    }
    derive = {
        exchange: [_normalize_derive_field(field) for field in fields or []]
        for exchange, fields in sorted((body.get("derive") or {}).items())
    }
    return {"columns": columns, "unfold": unfold, "derive": derive}


def _normalize_column(column: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {"output_column": column.get("output_column")}
    meta = column.get("meta")
    if meta is not None:
        result["meta"] = {
            "value": meta.get("value"),
            "format": meta.get("format") or DEFAULT_META_FORMAT,
        }
        return result
    data: dict[str, Any] = {}
    for exchange, rule in sorted((column.get("data") or {}).items()):
        extraction = (rule or {}).get("json") or {}
        normalized: dict[str, Any] = {
            "json": {"path": extraction.get("path"), "type": extraction.get("type")}
        }
        if rule.get("transform") is not None:
            normalized["transform"] = rule["transform"]
        data[exchange] = normalized
    result["data"] = data
    return result


def _normalize_derive_field(field: dict[str, Any]) -> dict[str, Any]:
    return {
        "field": field.get("field"),
        "op": field.get("op"),
        "arrays": [{"path": a.get("path"), "tag": a.get("tag")} for a in field.get("arrays") or []],
        "tag_field": field.get("tag_field"),
        "value_field": field.get("value_field"),
    }


def same_content(left: dict[str, Any], right: dict[str, Any]) -> bool:
    return normalize_content(left) == normalize_content(right)


def content_hash(body: dict[str, Any]) -> str:
    """A stable digest of the normalised content (hex sha256)."""
    canonical = json.dumps(
        normalize_content(body), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def content_body(body: dict[str, Any]) -> dict[str, Any]:
    """Only the content keys of a body or response (what draft endpoints take)."""
    return {key: body[key] for key in ("columns", "unfold", "derive") if key in body}


def wire_from_response(response: ExportSchemaWithVersion) -> dict[str, Any]:
    """A ``ticksupply`` response model as a plain wire body (JSON key names, no ``None``)."""
    dumped: dict[str, Any] = response.model_dump(by_alias=True, exclude_none=True, mode="json")
    return dumped


def category_of(schema: ExportSchema) -> str:
    """The stream category of an API schema as its wire name (``trade``)."""
    category = schema.stream_category
    return str(getattr(category, "value", category))  # an enum member, or already its value

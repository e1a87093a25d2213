"""The wire back end: IR -> the JSON body the API's create endpoint takes.

Key order is fixed (as in the vendor's docs), columns keep file order, and `unfold`/`derive`
are written exactly when the source had them, so that a wire file compiles to itself.
"""

from __future__ import annotations

import json
from typing import Any

from schemac.core.ir import Column, DeriveField, Schema


def to_wire(schema: Schema) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": schema.name,
        "stream_category": schema.category,
        "columns": [column_to_wire(column) for column in schema.columns],
    }
    if schema.unfold is not None:
        body["unfold"] = {ex: {"path": rule.path} for ex, rule in schema.unfold.items()}
    if schema.derive is not None:
        body["derive"] = {
            ex: [derive_to_wire(field) for field in fields] for ex, fields in schema.derive.items()
        }
    return body


def column_to_wire(column: Column) -> dict[str, Any]:
    if column.meta is not None:
        meta: dict[str, Any] = {"value": column.meta.value}
        if column.meta.format is not None:
            meta["format"] = column.meta.format
        return {"output_column": column.name, "meta": meta}
    data: dict[str, Any] = {}
    for exchange, extractor in (column.data or {}).items():
        rule: dict[str, Any] = {"json": {"path": extractor.path, "type": extractor.type}}
        if extractor.transform is not None:
            rule["transform"] = extractor.transform
        data[exchange] = rule
    return {"output_column": column.name, "data": data}


def derive_to_wire(field: DeriveField) -> dict[str, Any]:
    return {
        "field": field.field,
        "op": field.op,
        "arrays": [{"path": array.path, "tag": array.tag} for array in field.arrays],
        "tag_field": field.tag_field,
        "value_field": field.value_field,
    }


def dumps(body: dict[str, Any]) -> str:
    """The canonical text of a wire body: 2-space indent, UTF-8 as is, newline at the end."""
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


def json_schema_text(*, wire: bool = False) -> str:
    """The text of a bundled JSON Schema (for editors): the authoring format's, or with ``wire``
    the API's wire format's (schemac/data/*.schema.json)."""
    from importlib import resources

    name = "wire.schema.json" if wire else "authoring.schema.json"
    return resources.files("schemac").joinpath(f"data/{name}").read_text("utf-8")


def wire_json_schema() -> dict[str, Any]:
    """The bundled JSON Schema of the wire format, parsed."""
    loaded: dict[str, Any] = json.loads(json_schema_text(wire=True))
    return loaded


def wire_schema_errors(body: dict[str, Any]) -> list[str]:
    """Where ``body`` breaks the bundled wire JSON Schema (empty when it conforms)."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(wire_json_schema())
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(root)'}: {error.message}"
        for error in errors
    ]

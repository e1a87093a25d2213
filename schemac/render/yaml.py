"""Wire JSON -> the YAML authoring format, deterministically (used by pull and import).

The output compiles back to exactly the input (``compile(decompile(x)) == x`` for canonical
wire bodies, the shape ``schemac compile`` emits):

- an extractor that is the same on every exchange of the schema collapses to a column-level
  ``type`` + ``from: path``; a type shared by all exchanges moves up to the column;
- a transform of the exact ``case`` rendering becomes ``case:`` (and ``else:``) again;
- column order, derive-field order and present-but-empty ``unfold: {}`` are kept;
- ``exchanges:`` lists every code in order of first appearance, so a collapsed ``from`` covers
  exactly the exchanges it covered on the wire.

Strings are written plain only when YAML 1.2 reads them back as the same string and a YAML 1.1
reader (PyYAML's resolver: `1_000`, `0b101`, `2024-01-01`, `1:20`, `yes`) would too; anything else
is double-quoted with YAML escapes.
"""

from __future__ import annotations

from typing import Any

from schemac import vocabulary
from schemac.core.ir import CaseMap
from schemac.core.sqlcase import decompile_case
from schemac.core.yamltext import NotRepresentable, scalar

__all__ = ["NotRepresentable", "wire_to_yaml"]

FLOW_WIDTH = 100  # a flow-style extractor longer than this is written as a block


def _flow(items: list[tuple[str, str]]) -> str:
    return "{" + ", ".join(f"{key}: {value}" for key, value in items) + "}"


def _exchanges_in_order(body: dict[str, Any]) -> list[str]:
    codes: list[str] = []
    for column in body.get("columns") or []:
        for code in column.get("data") or {}:
            if code not in codes:
                codes.append(code)
    for keyed in (body.get("unfold") or {}, body.get("derive") or {}):
        for code in keyed:
            if code not in codes:
                codes.append(code)
    return codes


def wire_to_yaml(body: dict[str, Any], dialect: str = vocabulary.DEFAULT_DIALECT) -> str:
    """The authoring YAML text of a wire body (create body or API response)."""
    lines: list[str] = [
        f"name: {scalar(body['name'])}",
        f"category: {scalar(body['stream_category'])}",
    ]
    exchanges = _exchanges_in_order(body)
    if exchanges:
        lines.append("exchanges: [" + ", ".join(scalar(code) for code in exchanges) + "]")
    if body.get("unfold") is not None:
        lines.extend(_unfold_lines(body["unfold"]))
    if body.get("derive") is not None:
        lines.extend(_derive_lines(body["derive"]))
    lines.append("columns:")
    names: set[str] = set()
    for column in body.get("columns") or []:
        name = column["output_column"]
        if name in names:
            raise NotRepresentable(f"two columns are named `{name}`; a YAML mapping holds one")
        names.add(name)
        lines.extend(_column_lines(column, exchanges, dialect))
    return "\n".join(lines) + "\n"


def _unfold_lines(unfold: dict[str, Any]) -> list[str]:
    if not unfold:
        return ["unfold: {}"]
    lines = ["unfold:"]
    for code, rule in unfold.items():
        lines.append(f"  {scalar(code)}: {scalar(rule['path'])}")
    return lines


def _derive_lines(derive: dict[str, Any]) -> list[str]:
    if not derive:
        return ["derive: {}"]
    lines = ["derive:"]
    for code, fields in derive.items():
        if not fields:
            lines.append(f"  {scalar(code)}: []")
            continue
        lines.append(f"  {scalar(code)}:")
        for field in fields:
            lines.append(f"    - field: {scalar(field['field'])}")
            lines.append(f"      op: {scalar(field['op'])}")
            arrays = field.get("arrays") or []
            if not arrays:
                lines.append("      arrays: []")
            else:
                lines.append("      arrays:")
                for array in arrays:
                    pairs = [("path", scalar(array["path"])), ("tag", scalar(array["tag"]))]
                    lines.append(f"        - {_flow(pairs)}")
            lines.append(f"      tag_field: {scalar(field['tag_field'])}")
            lines.append(f"      value_field: {scalar(field['value_field'])}")
    return lines


def _column_lines(column: dict[str, Any], exchanges: list[str], dialect: str) -> list[str]:
    lines = [f"  {scalar(column['output_column'])}:"]
    meta = column.get("meta")
    if meta is not None:
        lines.append(f"    meta: {scalar(meta['value'])}")
        if meta.get("format") is not None:
            lines.append(f"    format: {scalar(meta['format'])}")
        return lines
    data: dict[str, Any] = column.get("data") or {}
    if not data:
        lines.append("    from: {}")
        return lines
    extractors = [(code, rule["json"]["path"], rule["json"]["type"], rule.get("transform"))
                  for code, rule in data.items()]  # fmt: skip
    types = {type_ for _, _, type_, _ in extractors}
    no_transform = all(transform is None for *_, transform in extractors)
    # A type moves up to the column only when it is also the column's output type (no
    # transform), so that the column-level `type` never misleads a reader.
    shared_type = types.pop() if len(types) == 1 and no_transform else None
    if shared_type is not None:
        lines.append(f"    type: {scalar(shared_type)}")
    paths = {path for _, path, _, _ in extractors}
    every_exchange = set(data) == set(exchanges)
    if shared_type is not None and every_exchange and no_transform and len(paths) == 1:
        lines.append(f"    from: {scalar(paths.pop())}")
        return lines
    lines.append("    from:")
    for code, path, type_, transform in extractors:
        lines.extend(
            _extractor_lines(code, path, None if shared_type else type_, transform, dialect)
        )
    return lines


def _extractor_lines(
    code: str, path: str, type_: str | None, transform: str | None, dialect: str
) -> list[str]:
    key = f"      {scalar(code)}:"
    if type_ is None and transform is None:
        return [f"{key} {scalar(path)}"]
    pairs: list[tuple[str, str]] = [("path", scalar(path))]
    if type_ is not None:
        pairs.append(("type", scalar(type_)))
    case = decompile_case(transform, dialect) if transform is not None else None
    if case is not None:
        arms = [(scalar(arm.when), scalar(arm.then)) for arm in case.arms]
        pairs.append(("case", _flow(arms)))
        if _has_else(case):
            pairs.append(("else", scalar(case.otherwise)))
    elif transform is not None:
        pairs.append(("transform", scalar(transform)))
    flow = f"{key} {_flow(pairs)}"
    if len(flow) <= FLOW_WIDTH:
        return [flow]
    lines = [key]
    for name, value in pairs:
        if name == "case" and case is not None:
            lines.append("        case:")
            lines.extend(f"          {scalar(a.when)}: {scalar(a.then)}" for a in case.arms)
        else:
            lines.append(f"        {name}: {value}")
    return lines


def _has_else(case: CaseMap) -> bool:
    return case.has_else and case.otherwise is not None

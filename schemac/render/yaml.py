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

import functools
import math
import re
from typing import Any

from schemac.core.ir import CaseMap, CaseScalar
from schemac.core.loader import resolve_plain
from schemac.core.sqlcase import decompile_case

FLOW_WIDTH = 100  # a flow-style extractor longer than this is written as a block
_PLAIN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-/()$]*")
# Plain words that YAML 1.1 readers (PyYAML's default) would turn into booleans or null.
_YAML11_SPECIAL = frozenset(
    {"y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off",
     "OFF"}
)  # fmt: skip


class NotRepresentable(ValueError):
    """The wire content cannot be written in the authoring format (e.g. two columns share a
    name, which a YAML mapping cannot hold)."""


def scalar(value: CaseScalar | None) -> str:
    """One YAML scalar that reads back as exactly ``value`` (same type, same value)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise NotRepresentable(f"no YAML for the number {value!r}")
        return repr(value)
    if _PLAIN.fullmatch(value) and resolve_plain(value) == value and _yaml11_string(value):
        return value
    return _double_quoted(value)


def _yaml11_string(text: str) -> bool:
    """Whether a YAML 1.1 reader (PyYAML's default resolver) reads plain ``text`` as a string:
    it also types `1_000`, `0b101`, `2024-01-01`, `1:20` and `yes`, which YAML 1.2 does not."""
    if text in _YAML11_SPECIAL:
        return False
    return bool(_yaml11_tag(text) == "tag:yaml.org,2002:str")


@functools.cache
def _yaml11_tag(text: str) -> str:
    """The tag PyYAML's resolver gives ``text`` as a plain scalar."""
    import yaml  # here, like the loader: only pull and import need it

    resolved: str = yaml.resolver.Resolver().resolve(yaml.nodes.ScalarNode, text, (True, False))
    return resolved


def _double_quoted(text: str) -> str:
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif code < 0x20 or 0x7F <= code <= 0x9F:
            out.append(f"\\x{code:02x}")
        elif (
            code in (0x2028, 0x2029, 0xFEFF) or 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF)
        ):
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


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


def wire_to_yaml(body: dict[str, Any], dialect: str = "clickhouse") -> str:
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

"""Hover as Markdown: a rule code's explain page, a column's inferred output type per exchange
(as `schemac inspect` shows it), a path's wire type, enum values and an example value."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from schemac.lsp.complete import views, where
from schemac.lsp.context import Token, context_at, token_at

if TYPE_CHECKING:
    from schemac.catalog import Entry
    from schemac.core.ir import Schema
    from schemac.lsp.session import Session

_PATH_SLOTS = ("path", "unfold-path", "derive-path")
_MISSING = object()


def hover(
    session: Session, path: str, text: str, line: int, column: int
) -> tuple[str, Token] | None:
    """The Markdown shown for the word at ``line``/``column`` and that word, or None."""
    token = token_at(text, line, column)
    if token is None:
        return None
    if token.text.startswith("SC"):
        page = rule_page(token.text)
        return (page, token) if page else None
    if token.is_key:
        keys = context_at(text, line, token.start).keys
        if keys == ("columns",):
            found = column_hover(session, path, token.text)
            return (found, token) if found else None
        return None
    slot = where(context_at(text, line, token.end))
    if slot is None or slot.slot not in _PATH_SLOTS:
        return None
    found = path_hover(session, path, token.text, slot.exchange, unfolded=slot.slot == "path")
    return (found, token) if found else None


def rule_page(code: str) -> str | None:
    from schemac.render.rules import checking_modules, explain_text
    from schemac.rules import find_rule

    rule = find_rule(code)
    if rule is None:
        return None
    return "```text\n" + explain_text(rule, checking_modules(rule)) + "\n```"


def column_hover(session: Session, path: str, name: str) -> str | None:
    from schemac.types.inspect import inspect_column

    schema = session.schema(path)
    column = next((c for c in schema.columns if c.name == name), None) if schema else None
    if column is None:
        return None
    report = inspect_column(column, session.config.dialect)
    lines = [f"**{report.name}**: `{report.output}`"]
    if report.meta:
        lines.append(f"\nmeta `{report.meta}`")
    if report.exchanges:
        lines += ["", "| exchange | path | type | transform | output |", "|---|---|---|---|---|"]
    for row in report.exchanges:
        how = row.case or row.transform or ""
        how = how.replace("|", "\\|").replace("\n", " ")
        lines.append(f"| {row.exchange} | `{row.path}` | {row.type} | {how} | `{row.output}` |")
    return "\n".join(lines)


def path_hover(
    session: Session, path: str, column_path: str, exchange: str | None, unfolded: bool
) -> str | None:
    """What each exchange sends at ``column_path``: wire type, enum, an example value."""
    from schemac.catalog.resolve import resolve
    from schemac.catalog.wiretypes import describe

    schema = session.schema(path)
    sections = []
    for code, entry, unfold_catalog_path in views(session, schema, exchange):
        unfold = _unfold_path(schema, code) if unfolded and unfold_catalog_path else None
        found = resolve(entry, column_path, unfold)
        if not found.ok:
            sections.append(f"**{code}** ({entry.category}): not sent ({found.failure})")
            continue
        info = entry.paths[found.catalog_path or ""]
        kinds = " or ".join(f"`{t}` ({describe(t)})" for t in info.types)
        parts = [f"**{code}** ({entry.category}) `{info.path}`: {kinds}"]
        if info.enum:
            parts.append("one of " + ", ".join(f"`{v}`" for v in info.enum))
        if info.optional:
            parts.append("optional")
        if info.note:
            parts.append(info.note)
        example = example_value(session.root, code, entry, column_path)
        if example is not _MISSING:
            parts.append(f"example: `{json.dumps(example)}`")
        sections.append("\n\n".join(parts))
    return "\n\n---\n\n".join(sections) if sections else None


def _unfold_path(schema: Schema | None, code: str) -> str | None:
    unfold = (schema.unfold or {}).get(code) if schema is not None else None
    return unfold.path if unfold is not None else None


def fixture_files(root: str, exchange: str, category: str) -> list[Path]:
    """Sample messages of ``exchange`` for ``category``: `fixtures/<exchange>/<category>.jsonl`
    in the workspace, else the ones bundled with schemac (`schemac/data/fixtures`)."""
    import schemac

    folders = [
        Path(root) / "fixtures",
        Path(os.path.dirname(schemac.__file__)) / "data" / "fixtures",
    ]
    found = [f / exchange / f"{category}.jsonl" for f in folders]
    return [f for f in found if f.is_file()][:1]


def example_value(root: str, exchange: str, entry: Entry, column_path: str) -> object:
    """The value at ``column_path`` in the first sample message that has one (an array on the
    way stands for its first element, as after an unfold), or ``_MISSING``."""
    for file in fixture_files(root, exchange, entry.category):
        try:
            lines = file.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        for line in lines[:200]:
            try:
                message = json.loads(line)
            except ValueError:
                continue
            value = _value_at(message, column_path.split("."))
            if value is not _MISSING:
                return value
    return _MISSING


def _value_at(node: object, segments: list[str]) -> object:
    for segment in segments:
        if isinstance(node, list) and not segment.isdigit():
            node = node[0] if node else _MISSING
        if isinstance(node, list) and segment.isdigit():
            node = node[int(segment)] if int(segment) < len(node) else _MISSING
        elif isinstance(node, dict):
            node = node.get(segment, _MISSING)
        else:
            return _MISSING
    return node

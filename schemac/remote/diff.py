"""The diff between two contents, and whether it breaks readers of the output.

Breaking (CSV readers that go by position or by type break), each a rule of
:mod:`schemac.rules.breaking` checked in :mod:`schemac.checks.breaking`:
- a column removed, renamed, moved, or inserted before existing columns;
- a column's output type changed (declared type, meta format, meta <-> data, or a transform
  whose inferred output type changes: a `case`'s values, or the SQL inferred in the configured
  dialect by :mod:`schemac.types`; an output type that cannot be inferred is not a change);
- an exchange mapping removed (that exchange's rows lose the value);
- an unfold rule added, removed or changed (rows change meaning and count).

Compatible: a column added at the end, an exchange mapping added, a path changed, a transform
changed without a type change, derive rules changed. A breaking rule the configuration turns
off makes its changes compatible (listed, not breaking).

Renames are reported where they are evident: a removed and an added column with identical
content. Both contents are normalised first (:mod:`schemac.remote.content`).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from typing import Any

from schemac import vocabulary
from schemac.checks import breaking
from schemac.checks.changes import Change, ColumnMatch, ColumnPair, ContentDiff, ExtractorPair
from schemac.core.sqlcase import decompile_case
from schemac.remote.content import normalize_content
from schemac.types import lattice
from schemac.types.outputs import case_output
from schemac.types.transform import infer_transform

__all__ = ["Change", "ContentDiff", "diff_contents", "rule_output_type", "turn_off"]


def diff_contents(
    old_body: dict[str, Any],
    new_body: dict[str, Any],
    dialect: str = vocabulary.DEFAULT_DIALECT,
    off: Collection[str] = (),
) -> ContentDiff:
    """The changes from ``old_body`` to ``new_body``; transforms are typed in ``dialect``;
    changes under the breaking rules whose codes are in ``off`` are not breaking."""
    old, new = normalize_content(old_body), normalize_content(new_body)
    changes = [
        *_column_changes(ColumnMatch.of(old["columns"], new["columns"]), dialect),
        *breaking.unfold_changed(old["unfold"], new["unfold"]),
        *breaking.derive_changed(old["derive"], new["derive"]),
    ]
    return ContentDiff(turn_off(changes, off))


def turn_off(changes: list[Change], off: Collection[str]) -> list[Change]:
    """``changes`` with those under a rule in ``off`` (codes) marked as turned off."""
    return [
        replace(change, off=True) if change.rule is not None and change.rule.code in off else change
        for change in changes
    ]


def _column_changes(match: ColumnMatch, dialect: str) -> list[Change]:
    changes: list[Change] = []
    for name in match.removed:
        changes += breaking.column_renamed(match, name) or breaking.column_removed(match, name)
    changes += breaking.columns_moved(match)
    for name in match.added:
        changes += breaking.column_inserted(match, name)
    for old_name, new_name in match.kept.items():
        pair = ColumnPair(new_name, match.old[old_name], match.new[new_name])
        changes += _column_content_changes(pair, dialect)
    return changes


def _column_content_changes(pair: ColumnPair, dialect: str) -> list[Change]:
    if pair.old == {**pair.new, "output_column": pair.old["output_column"]}:
        return []
    switched = breaking.source_changed(pair)
    if switched:
        return switched
    if "meta" in pair.old:
        return breaking.meta_format_changed(pair)
    changes = breaking.exchange_removed(pair)
    old_data, new_data = pair.old["data"], pair.new["data"]
    for exchange, rule in new_data.items():
        if exchange not in old_data:
            changes.append(breaking.exchange_added(pair, exchange))
            continue
        before = old_data[exchange]
        extractor = ExtractorPair(
            pair.name,
            exchange,
            before,
            rule,
            rule_output_type(before, dialect),
            rule_output_type(rule, dialect),
        )
        changes += breaking.path_changed(extractor)
        changes += breaking.type_changed(extractor)
        changes += breaking.transform_changed(extractor)
    return changes


def rule_output_type(rule: dict[str, Any], dialect: str = vocabulary.DEFAULT_DIALECT) -> str | None:
    """The type a rule outputs, when it is known: the declared type without a transform, the
    type of a `case` transform's values, else the transform's type as :mod:`schemac.types`
    infers it (offline) in ``dialect``. None when unknown: never proof of a change."""
    declared = str(rule["json"]["type"])
    transform = rule.get("transform")
    if transform is None:
        return declared
    if not isinstance(transform, str) or lattice.kind_of(declared) is None:
        return None  # an invalid declared type gives `{v}` no type to infer from
    case = decompile_case(transform, dialect)
    if case is not None:
        return case_output(case)
    try:
        return infer_transform(transform, dialect, declared).output
    except Exception:  # inference is a refinement: a failure in it must not fail plan or diff
        return None

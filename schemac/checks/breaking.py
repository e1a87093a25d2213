"""The checks of the breaking-change rules (:mod:`schemac.rules.breaking`), one per rule.

Each takes a slice of two normalised contents (the column match, one surviving column, one
exchange's rule, the unfold tables) and returns the changes it finds, breaking or not:
:func:`schemac.remote.diff.diff_contents` calls them in the order a reviewer reads a diff.
Compatible differences (a column added at the end, a path changed, ...) are plain
:class:`Change` values without a rule.
"""

from __future__ import annotations

from typing import Any

from schemac.checks.changes import Change, ColumnMatch, ColumnPair, ExtractorPair
from schemac.rules import breaking as rules
from schemac.rules import check


def _longest_common_subsequence(left: list[str], right: list[str]) -> list[str]:
    table = [[0] * (len(right) + 1) for _ in range(len(left) + 1)]
    for i in range(len(left) - 1, -1, -1):
        for j in range(len(right) - 1, -1, -1):
            if left[i] == right[j]:
                table[i][j] = table[i + 1][j + 1] + 1
            else:
                table[i][j] = max(table[i + 1][j], table[i][j + 1])
    result: list[str] = []
    i = j = 0
    while i < len(left) and j < len(right):
        if left[i] == right[j]:
            result.append(left[i])
            i += 1
            j += 1
        elif table[i + 1][j] >= table[i][j + 1]:
            i += 1
        else:
            j += 1
    return result


@check(rules.COLUMN_RENAMED, scope="breaking")
def column_renamed(match: ColumnMatch, name: str) -> list[Change]:
    if name not in match.renamed:
        return []
    detail = f"column `{name}` renamed to `{match.renamed[name]}`"
    return [Change.breaking_change(rules.COLUMN_RENAMED, detail, name)]


@check(rules.COLUMN_REMOVED, scope="breaking")
def column_removed(match: ColumnMatch, name: str) -> list[Change]:
    if name in match.new or name in match.renamed:
        return []
    position = list(match.old).index(name) + 1
    detail = f"column `{name}` removed (was column {position})"
    return [Change.breaking_change(rules.COLUMN_REMOVED, detail, name)]


@check(rules.COLUMN_MOVED, scope="breaking")
def columns_moved(match: ColumnMatch) -> list[Change]:
    """Columns out of the longest run that kept its relative order."""
    old_sequence = list(match.kept.values())
    survivors = set(old_sequence)
    new_names = list(match.new)
    new_sequence = [n for n in new_names if n in survivors]
    stable = set(_longest_common_subsequence(old_sequence, new_sequence))
    changes = []
    for name in new_sequence:
        if name not in stable:
            before, after = old_sequence.index(name) + 1, new_names.index(name) + 1
            detail = f"column `{name}` moved (column {before} -> {after})"
            changes.append(Change.breaking_change(rules.COLUMN_MOVED, detail, name))
    return changes


def _first_trailing_addition(match: ColumnMatch) -> int:
    """The 0-based position where the run of new columns at the end starts."""
    names = list(match.new)
    trailing = len(names)
    fresh = set(match.added) - set(match.renamed.values())
    while trailing > 0 and names[trailing - 1] in fresh:
        trailing -= 1
    return trailing


def column_summary(column: dict[str, Any]) -> str:
    if "meta" in column:
        return f"meta {column['meta']['value']}, format {column['meta']['format']}"
    types = sorted({rule["json"]["type"] for rule in column["data"].values()})
    return f"{', '.join(types) or 'no rules'} from {', '.join(column['data']) or 'no exchange'}"


@check(rules.COLUMN_INSERTED, scope="breaking")
def column_inserted(match: ColumnMatch, name: str) -> list[Change]:
    """A new column before existing ones is breaking; at the end it is compatible."""
    if name in match.renamed.values() or name in match.old:
        return []
    position = list(match.new).index(name) + 1
    summary = column_summary(match.new[name])
    if position > _first_trailing_addition(match):
        detail = f"column `{name}` added at the end (column {position}; {summary})"
        return [Change("column_added", detail, None, name)]
    detail = f"column `{name}` inserted at column {position}, before existing columns ({summary})"
    return [Change.breaking_change(rules.COLUMN_INSERTED, detail, name)]


@check(rules.SOURCE_CHANGED, scope="breaking")
def source_changed(pair: ColumnPair) -> list[Change]:
    if ("meta" in pair.old) == ("meta" in pair.new):
        return []
    was = "meta" if "meta" in pair.old else "data"
    now = "meta" if "meta" in pair.new else "data"
    detail = f"column `{pair.name}`: {was} -> {now}"
    return [Change.breaking_change(rules.SOURCE_CHANGED, detail, pair.name)]


@check(rules.META_FORMAT_CHANGED, scope="breaking")
def meta_format_changed(pair: ColumnPair) -> list[Change]:
    if "meta" not in pair.old or "meta" not in pair.new:
        return []
    before, after = pair.old["meta"]["format"], pair.new["meta"]["format"]
    if before == after:
        return []
    detail = f"column `{pair.name}`: format {before} -> {after} (output values change)"
    return [Change.breaking_change(rules.META_FORMAT_CHANGED, detail, pair.name)]


@check(rules.EXCHANGE_REMOVED, scope="breaking")
def exchange_removed(pair: ColumnPair) -> list[Change]:
    if "data" not in pair.old or "data" not in pair.new:
        return []
    return [
        Change.breaking_change(
            rules.EXCHANGE_REMOVED,
            f"column `{pair.name}`: exchange {exchange} removed",
            pair.name,
            exchange,
        )
        for exchange in pair.old["data"]
        if exchange not in pair.new["data"]
    ]


def exchange_added(pair: ColumnPair, exchange: str) -> Change:
    rule = pair.new["data"][exchange]
    detail = (
        f"column `{pair.name}`: exchange {exchange} added "
        f"({rule['json']['path']} as {rule['json']['type']})"
    )
    return Change("exchange_added", detail, None, pair.name, exchange)


def path_changed(pair: ExtractorPair) -> list[Change]:
    before, after = pair.old["json"]["path"], pair.new["json"]["path"]
    if before == after:
        return []
    detail = f"{pair.where}: path {before} -> {after}"
    return [Change("path_changed", detail, None, pair.column, pair.exchange)]


@check(rules.TYPE_CHANGED, scope="breaking")
def type_changed(pair: ExtractorPair) -> list[Change]:
    """A declared type change breaks unless the output type is known to be the same (a
    transform that yields the same type either way)."""
    before, after = pair.old["json"]["type"], pair.new["json"]["type"]
    if before == after:
        return []
    unknown = pair.old_output is None or pair.new_output is None
    breaks = True if unknown else pair.old_output != pair.new_output
    detail = f"{pair.where}: type {before} -> {after}"
    if breaks:
        return [Change.breaking_change(rules.TYPE_CHANGED, detail, pair.column, pair.exchange)]
    return [Change("type_changed", detail, None, pair.column, pair.exchange)]


def _transform_outcome(pair: ExtractorPair) -> str:
    if pair.output_changed:
        return f"output type {pair.old_output} -> {pair.new_output}"
    if pair.old_output is not None and pair.old_output == pair.new_output:
        return f"output type {pair.old_output} unchanged"
    return "output type not inferred"


@check(rules.TRANSFORM_CHANGED, scope="breaking")
def transform_changed(pair: ExtractorPair) -> list[Change]:
    """Breaking when the output type provably changed and the declared type did not (a type
    change is reported once, by :func:`type_changed`)."""
    if pair.old.get("transform") == pair.new.get("transform"):
        return []
    verb = (
        "added"
        if "transform" not in pair.old
        else "removed"
        if "transform" not in pair.new
        else "changed"
    )
    detail = f"{pair.where}: transform {verb} ({_transform_outcome(pair)})"
    same_type = pair.old["json"]["type"] == pair.new["json"]["type"]
    rule = rules.TRANSFORM_CHANGED if pair.output_changed and same_type else None
    if rule is not None:
        return [Change.breaking_change(rule, detail, pair.column, pair.exchange)]
    return [Change("transform_changed", detail, None, pair.column, pair.exchange)]


@check(rules.UNFOLD_CHANGED, scope="breaking")
def unfold_changed(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    changes = []
    for exchange in sorted(set(old) | set(new)):
        before, after = old.get(exchange), new.get(exchange)
        if before == after:
            continue
        if before is None:
            assert after is not None
            detail = f"unfold {exchange}: added at {after['path']} (one row per element)"
        elif after is None:
            detail = f"unfold {exchange}: removed (was {before['path']})"
        else:
            detail = f"unfold {exchange}: {before['path']} -> {after['path']}"
        changes.append(Change.breaking_change(rules.UNFOLD_CHANGED, detail, None, exchange))
    return changes


def derive_changed(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    changes = []
    for exchange in sorted(set(old) | set(new)):
        before, after = old.get(exchange), new.get(exchange)
        if before == after:
            continue
        verb = "added" if before is None else "removed" if after is None else "changed"
        fields = ", ".join(f["field"] for f in (after or before or []))
        detail = f"derive {exchange}: {verb} ({fields})"
        changes.append(Change("derive_changed", detail, None, None, exchange))
    return changes


@check(rules.SCHEMA_REMOVED, scope="breaking")
def schema_removed(name: str, category: str, was_in: str) -> list[Change]:
    """A schema of the baseline that no local file holds any more (diff --against)."""
    detail = (
        f"schema {name} ({category}) is gone (it was in {was_in}); publish would leave it on "
        "the remote and create any new name beside it"
    )
    return [Change.breaking_change(rules.SCHEMA_REMOVED, detail)]

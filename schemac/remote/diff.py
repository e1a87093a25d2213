"""The column diff between two contents, and whether it breaks readers of the output.

Breaking (CSV readers that go by position or by type break):
- a column removed, renamed, moved, or inserted before existing columns;
- a column's output type changed (declared type, meta format, meta <-> data, or a transform
  whose inferred output type changes: a `case`'s values, or the SQL inferred in the configured
  dialect by :mod:`schemac.types`; an output type that cannot be inferred is not a change);
- an exchange mapping removed (that exchange's rows lose the value);
- an unfold rule added, removed or changed (rows change meaning and count).

Compatible: a column added at the end, an exchange mapping added, a path changed, a transform
changed without a type change, derive rules changed.

Renames are reported where they are evident: a removed and an added column with identical
content. Both contents are normalised first (:mod:`schemac.remote.content`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from schemac.core.sqlcase import decompile_case
from schemac.remote.content import normalize_content
from schemac.types import lattice
from schemac.types.outputs import case_output
from schemac.types.transform import infer_transform


@dataclass(frozen=True)
class Change:
    kind: str  # e.g. column_removed, type_changed; stable names for --format json
    detail: str  # one sentence for a reviewer
    breaking: bool
    column: str | None = None
    exchange: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {key: value for key, value in asdict(self).items() if value is not None}


@dataclass
class ContentDiff:
    changes: list[Change] = field(default_factory=list)

    @property
    def breaking(self) -> bool:
        return any(change.breaking for change in self.changes)

    @property
    def empty(self) -> bool:
        return not self.changes


def diff_contents(
    old_body: dict[str, Any], new_body: dict[str, Any], dialect: str = "clickhouse"
) -> ContentDiff:
    """The changes from ``old_body`` to ``new_body``; transforms are typed in ``dialect``."""
    old, new = normalize_content(old_body), normalize_content(new_body)
    result = ContentDiff()
    result.changes.extend(_column_changes(old["columns"], new["columns"], dialect))
    result.changes.extend(_unfold_changes(old["unfold"], new["unfold"]))
    result.changes.extend(_derive_changes(old["derive"], new["derive"]))
    return result


def _body_of(column: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in column.items() if key != "output_column"}


def _column_changes(
    old: list[dict[str, Any]], new: list[dict[str, Any]], dialect: str
) -> list[Change]:
    old_by_name = {c["output_column"]: c for c in old}
    new_by_name = {c["output_column"]: c for c in new}
    old_names = list(old_by_name)
    new_names = list(new_by_name)
    removed = [n for n in old_names if n not in new_by_name]
    added = [n for n in new_names if n not in old_by_name]
    renamed: dict[str, str] = {}  # old name -> new name
    for name in removed:
        for candidate in added:
            if candidate not in renamed.values() and _body_of(old_by_name[name]) == _body_of(
                new_by_name[candidate]
            ):
                renamed[name] = candidate
                break
    changes: list[Change] = []
    for name in removed:
        position = old_names.index(name) + 1
        if name in renamed:
            target = renamed[name]
            changes.append(
                Change("column_renamed", f"column `{name}` renamed to `{target}`", True, name)
            )
        else:
            changes.append(
                Change(
                    "column_removed", f"column `{name}` removed (was column {position})", True, name
                )
            )
    # Old name -> new name for every column that survives, in old order.
    kept = {n: renamed.get(n, n) for n in old_names if n in new_by_name or n in renamed}
    old_sequence = list(kept.values())
    new_sequence = [n for n in new_names if n in set(old_sequence)]
    stable = set(_longest_common_subsequence(old_sequence, new_sequence))
    for name in new_sequence:
        if name not in stable:
            before = old_sequence.index(name) + 1
            after = new_names.index(name) + 1
            changes.append(
                Change(
                    "column_moved",
                    f"column `{name}` moved (column {before} -> {after})",
                    True,
                    name,
                )
            )
    trailing = len(new_names)
    while (
        trailing > 0
        and new_names[trailing - 1] in added
        and new_names[trailing - 1] not in (renamed.values())
    ):
        trailing -= 1
    for name in added:
        if name in renamed.values():
            continue
        position = new_names.index(name) + 1
        summary = _column_summary(new_by_name[name])
        if position > trailing:
            changes.append(
                Change(
                    "column_added",
                    f"column `{name}` added at the end (column {position}; {summary})",
                    False,
                    name,
                )
            )
        else:
            changes.append(
                Change(
                    "column_inserted",
                    f"column `{name}` inserted at column {position}, before existing columns "
                    f"({summary})",
                    True,
                    name,
                )
            )
    for old_name, new_name in kept.items():
        changes.extend(
            _column_content_changes(new_name, old_by_name[old_name], new_by_name[new_name], dialect)
        )
    return changes


def _longest_common_subsequence(left: list[str], right: list[str]) -> list[str]:
    rows = len(left) + 1
    cols = len(right) + 1
    table = [[0] * cols for _ in range(rows)]
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


def _column_summary(column: dict[str, Any]) -> str:
    if "meta" in column:
        return f"meta {column['meta']['value']}, format {column['meta']['format']}"
    types = sorted({rule["json"]["type"] for rule in column["data"].values()})
    return f"{', '.join(types) or 'no rules'} from {', '.join(column['data']) or 'no exchange'}"


def meta_output_type(fmt: str) -> str:
    return "string" if fmt == "iso8601" else f"i64 ({fmt})"


def rule_output_type(rule: dict[str, Any], dialect: str = "clickhouse") -> str | None:
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


def _column_content_changes(
    name: str, old: dict[str, Any], new: dict[str, Any], dialect: str
) -> list[Change]:
    if old == {**new, "output_column": old["output_column"]}:
        return []
    if ("meta" in old) != ("meta" in new):
        was = "meta" if "meta" in old else "data"
        now = "meta" if "meta" in new else "data"
        return [Change("source_changed", f"column `{name}`: {was} -> {now}", True, name)]
    if "meta" in old:
        changes = []
        if old["meta"]["format"] != new["meta"]["format"]:
            changes.append(
                Change(
                    "meta_format_changed",
                    f"column `{name}`: format {old['meta']['format']} -> "
                    f"{new['meta']['format']} (output values change)",
                    True,
                    name,
                )
            )
        return changes
    changes = []
    old_data, new_data = old["data"], new["data"]
    for exchange in old_data:
        if exchange not in new_data:
            changes.append(
                Change(
                    "exchange_removed",
                    f"column `{name}`: exchange {exchange} removed",
                    True,
                    name,
                    exchange,
                )
            )
    for exchange, rule in new_data.items():
        if exchange not in old_data:
            changes.append(
                Change(
                    "exchange_added",
                    f"column `{name}`: exchange {exchange} added "
                    f"({rule['json']['path']} as {rule['json']['type']})",
                    False,
                    name,
                    exchange,
                )
            )
            continue
        changes.extend(_rule_changes(name, exchange, old_data[exchange], rule, dialect))
    return changes


def _rule_changes(
    name: str, exchange: str, old: dict[str, Any], new: dict[str, Any], dialect: str
) -> list[Change]:
    changes = []
    where = f"column `{name}`, {exchange}"
    if old["json"]["path"] != new["json"]["path"]:
        changes.append(
            Change(
                "path_changed",
                f"{where}: path {old['json']['path']} -> {new['json']['path']}",
                False,
                name,
                exchange,
            )
        )
    old_type, new_type = old["json"]["type"], new["json"]["type"]
    old_out, new_out = rule_output_type(old, dialect), rule_output_type(new, dialect)
    type_breaks = (
        old_type != new_type if (old_out is None or new_out is None) else old_out != new_out
    )
    if old_type != new_type:
        changes.append(
            Change(
                "type_changed",
                f"{where}: type {old_type} -> {new_type}",
                type_breaks,
                name,
                exchange,
            )
        )
    if old.get("transform") != new.get("transform"):
        if old_out is not None and new_out is not None and old_out != new_out:
            outcome = f"output type {old_out} -> {new_out}"
        elif old_out is not None and old_out == new_out:
            outcome = f"output type {old_out} unchanged"
        else:
            outcome = "output type not inferred"
        verb = (
            "added"
            if "transform" not in old
            else "removed"
            if "transform" not in new
            else "changed"
        )
        breaks = old_out is not None and new_out is not None and old_out != new_out
        changes.append(
            Change(
                "transform_changed",
                f"{where}: transform {verb} ({outcome})",
                breaks and old_type == new_type,  # a type change is reported once, above
                name,
                exchange,
            )
        )
    return changes


def _unfold_changes(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    changes = []
    for exchange in sorted(set(old) | set(new)):
        before, after = old.get(exchange), new.get(exchange)
        if before == after:
            continue
        if before is None:
            detail = f"unfold {exchange}: added at {after['path']} (one row per element)"
        elif after is None:
            detail = f"unfold {exchange}: removed (was {before['path']})"
        else:
            detail = f"unfold {exchange}: {before['path']} -> {after['path']}"
        changes.append(Change("unfold_changed", detail, True, None, exchange))
    return changes


def _derive_changes(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    changes = []
    for exchange in sorted(set(old) | set(new)):
        before, after = old.get(exchange), new.get(exchange)
        if before == after:
            continue
        verb = "added" if before is None else "removed" if after is None else "changed"
        fields = ", ".join(f["field"] for f in (after or before or []))
        changes.append(
            Change("derive_changed", f"derive {exchange}: {verb} ({fields})", False, None, exchange)
        )
    return changes

"""The category templates of `schemac new`: a category's usual columns, as data.

One file per category, ``schemac/data/new/<category>.yaml``::

    category: trade
    timestamp: received_at              # the name of the meta column (collection_timestamp_ns)
    levels:                             # optional: bids and asks sent as two arrays
      bid: [data.bids, data.b]          # candidates for each side, as column paths
      ask: [data.asks, data.a]
    columns:
      price:
        type: decimal(8)                # the column's type
        values: {buy: [buy, b]}         # optional: output value <- the enum values it stands for
        fields:                         # candidates, first sent first used
          - data.p                      # a field: a path (see below)
          - {field: data.m, type: bool, case: {true: sell, false: buy}}   # with its own reading

A field is a column path in which ``[]`` after an array means "one row per element" (the
schema unfolds that array: ``data[].p``, ``events.0.trades[].price``) and a digit picks a
position (``data.b.0.0``). ``$side`` and ``$level.N`` are the fields of the elements of the
derived ``levels`` array (a ``tagged_concat`` of the bid and ask arrays).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, NamedTuple

from schemac.core.ir import CaseScalar

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "data" / "new"
ROWS = "[]"
DERIVED = "$"  # a field of the derived levels' elements
LEVELS_FIELD, TAG_FIELD, VALUE_FIELD = "levels", "side", "level"


class Field(NamedTuple):
    field: str  # a column path with at most one `[]` (the unfold), or `$side`, `$level.N`
    type: str | None = None  # overrides the column's type for this field
    transform: str | None = None
    case: dict[CaseScalar, CaseScalar] | None = None

    @property
    def derived(self) -> bool:
        return self.field.startswith(DERIVED)

    def column_path(self) -> tuple[str, str | None]:
        """(the path a column reads, the path it unfolds or None)."""
        if self.derived:
            derived = f"data.{LEVELS_FIELD}"
            name = self.field[len(DERIVED) :]
            return f"{derived}.{TAG_FIELD if name == 'side' else name}", derived
        head, rows, rest = self.field.partition(ROWS)
        return head + rest, head if rows else None


class TemplateColumn(NamedTuple):
    name: str
    type: str
    fields: tuple[Field, ...]
    values: dict[str, tuple[str, ...]] | None = None  # output value -> enum values (any case)


class Template(NamedTuple):
    category: str
    timestamp: str
    columns: tuple[TemplateColumn, ...]
    levels: dict[str, tuple[str, ...]] | None = None  # tag (bid, ask) -> array path candidates


def categories() -> list[str]:
    """The categories that have a template."""
    return sorted(path.stem for path in TEMPLATE_DIR.glob("*.yaml"))


@functools.cache
def load_template(category: str) -> Template:
    import yaml

    data = yaml.safe_load((TEMPLATE_DIR / f"{category}.yaml").read_text(encoding="utf-8"))
    columns = tuple(_column(name, spec) for name, spec in data["columns"].items())
    levels = data.get("levels")
    return Template(
        category=data["category"],
        timestamp=data["timestamp"],
        columns=columns,
        levels={tag: tuple(paths) for tag, paths in levels.items()} if levels else None,
    )


def _column(name: str, spec: dict[str, Any]) -> TemplateColumn:
    values = spec.get("values")
    return TemplateColumn(
        name=name,
        type=spec["type"],
        fields=tuple(_field(item) for item in spec["fields"]),
        values={out: tuple(str(v) for v in ins) for out, ins in values.items()} if values else None,
    )


def _field(item: str | dict[str, Any]) -> Field:
    if isinstance(item, str):
        return Field(item)
    return Field(item["field"], item.get("type"), item.get("transform"), item.get("case"))

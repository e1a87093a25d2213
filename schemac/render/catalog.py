"""The exchange catalog as text: `schemac catalog list`'s grid and `show`'s entry table."""

from __future__ import annotations

from typing import TYPE_CHECKING

from schemac.render.table import table
from schemac.vocabulary import CATEGORIES

if TYPE_CHECKING:
    from schemac.catalog.model import Entry, ExchangeInfo
    from schemac.catalog.views import ExchangeRow, PathRow

_MARKS = {"confirmed": "C", "inferred": "i", "none": "-"}
_LEGEND = (
    "C confirmed from the exchange's documentation   i inferred (libraries, captures)\n"
    "- the exchange has no such channel              blank: no entry (not checked)\n"
    "code: confirmed = the code appears in Ticksupply's docs; guessed? = schemac's guess\n"
)


def exchanges_text(rows: list[ExchangeRow]) -> str:
    """The exchanges x categories grid, with its legend."""
    grid = [["exchange", "code", *CATEGORIES, "from"]]
    for row in rows:
        code_mark = row["code"] if row["code"] == "confirmed" else "guessed?"
        cells = [_MARKS.get(row["categories"].get(c, ""), " ") for c in CATEGORIES]
        grid.append([row["exchange"], code_mark, *cells, row["origin"]])
    return table(grid) + "\n" + _LEGEND


def entry_text(info: ExchangeInfo, entry: Entry, unfold: str | None, paths: list[PathRow]) -> str:
    """One entry: its provenance, then a table of its paths."""
    lines = [
        f"{info.name}: {entry.category}",
        f"  code      {entry.exchange} ({info.code_status})",
        f"  entry     {entry.status}",
        f"  source    {entry.source}",
    ]
    if entry.channel:
        lines.append(f"  channel   {entry.channel}")
    if entry.notes:
        lines.append(f"  notes     {entry.notes}")
    if unfold:
        lines.append(f"  paths as read after unfold at `{unfold}`")
    grid = [["path", "type", "enum", "marks", "note"]]
    for row in paths:
        enum = ", ".join(row["enum"]) if row["enum"] else ""
        grid.append([row["path"], row["type"], enum, " ".join(row["marks"]), row["note"] or ""])
    return "\n".join(lines) + "\n\n" + table(grid)

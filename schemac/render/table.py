"""Plain-text tables: the one grid writer of every command that prints columns of cells."""

from __future__ import annotations

from collections.abc import Sequence

from schemac.fileio import printable


def table(rows: Sequence[Sequence[str]]) -> str:
    """Columns padded to their widest cell, two spaces apart, no trailing blanks.

    Every cell goes through :func:`~schemac.fileio.printable` first: a cell can hold a name or a
    path read from a file or from the API, and a control character in it must neither move the
    cursor nor break the grid.
    """
    if not rows:
        return ""
    shown = [[printable(cell) for cell in row] for row in rows]
    widths = [max(len(row[i]) for row in shown) for i in range(len(shown[0]))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in shown
    ]
    return "".join(line + "\n" for line in lines)

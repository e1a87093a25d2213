"""SC603 (a path through an array): the message and a hint that leads to a schema that validates.

An exchange has one unfold path. A hint that says "unfold this array" when the exchange already
unfolds another one, or "unfold `events.trades`" when that path itself goes through the array
`events`, sends the author round in a loop. So every suggestion here is resolved against the
catalog entry before it is offered: an unfold path that reaches a row array with every outer
array addressed by position, and a column path that reads what the author meant under it.
"""

from __future__ import annotations

from schemac.catalog.model import ELEMENT, ROOT, Entry
from schemac.catalog.resolve import Resolution, resolve
from schemac.diagnostics import Diagnostic, Span
from schemac.rules.catalog import ARRAY_WITHOUT_UNFOLD


def through_array(
    entry: Entry,
    exchange: str,
    path: str,
    found: Resolution,
    span: Span,
    unfold: str | None = None,
    what: str | None = None,
) -> Diagnostic:
    """SC603 for ``path`` (a column path read under ``unfold``, or, with ``what``, an unfold or
    derive path), which ``found`` says goes through an array at ``found.failed_prefix``."""
    array = found.failed_prefix
    last = found.chain[-1] if found.chain else ROOT
    rest = path[len(array) + 1 :] if array else path
    where = f"`{path}` on {exchange} ({entry.category})"
    if last.endswith(ELEMENT):  # the element itself is an array: a level such as [price, size]
        name = rest.split(".")[0]
        if array == unfold:
            message = (
                f"{where}: the unfold at `{array}` makes each of its elements a row, and each "
                f"element is itself an array: it has positions, not a field `{name}`"
            )
        else:
            message = f"{where}: `{array}` is an array: it has positions, not a field `{name}`"
        return ARRAY_WITHOUT_UNFOLD.at(span, message, hint=_positions_hint(entry, last, array))
    message = f"{where} goes through the array `{array or '(root)'}` without an unfold at it"
    if not entry.paths[last].rows:
        hint = f"address a position of the array: `{array}.0`, `{array}.1`, ..."
    elif what is not None:
        hint = _array_path_hint(entry, exchange, path, what)
    else:
        hint = _read_hint(entry, exchange, path, array, unfold)
    return ARRAY_WITHOUT_UNFOLD.at(span, message, hint=hint)


def _positions_hint(entry: Entry, element: str, array: str) -> str:
    positions = [child for child in entry.children(element) if child.rpartition(".")[2].isdigit()]
    shown = []
    for child in positions[:4]:
        note = entry.paths[child].note
        shown.append(f"`{array}.{child.rpartition('.')[2]}`" + (f" ({note})" if note else ""))
    return "address a position: " + ", ".join(shown or [f"`{array}.0`", f"`{array}.1`"])


def _array_path_hint(entry: Entry, exchange: str, path: str, what: str) -> str:
    """An unfold or derive path through an array: the same path with the arrays it passes
    through addressed by position, when that reaches a row array."""
    positional = by_position(entry, path)
    if positional != path and _reaches_rows(entry, positional):
        return (
            f"an {what} path addresses the arrays it passes through by position: "
            f"`{what}: {{{exchange}: {positional}}}` makes each element of `{positional}` a row"
        )
    return f"an {what} path must reach an array; `schemac catalog show {exchange} " + (
        f"{entry.category}` lists the paths"
    )


def _read_hint(entry: Entry, exchange: str, path: str, array: str, unfold: str | None) -> str:
    rest = path[len(array) + 1 :] if array else path
    if unfold is not None:
        aligned = follow_unfold(path, unfold)
        if aligned != path and resolve(entry, aligned, unfold).ok:
            return f"the unfold of {exchange} is at `{unfold}`: read `{aligned}`"
    pick = f"{array}.0.{rest}" if array else f"0.{rest}"
    or_pick = f"; or pick one element: `{pick}`" if resolve(entry, pick, unfold).ok else ""
    found = _unfold_target(entry, path, array)
    if found is None:
        element = _element_hint(entry, exchange, by_position(entry, array))
        if element is not None:
            return element
        return f"pick one element: `{pick}`" if or_pick else _show_hint(entry, exchange)
    target, moved, below = found
    if unfold is None or unfold == target:
        return (
            f"unfold it (`unfold: {{{exchange}: {target}}}`), then `{moved}` reads `{below}` of "
            f"each element{or_pick}"
        )
    return (
        f"an exchange has one unfold ({exchange}'s is at `{unfold}`): move it to "
        f"`{target}` (`unfold: {{{exchange}: {target}}}`) and read `{moved}`, so that each "
        f"element of `{target}` is a row{or_pick}"
    )


def _unfold_target(entry: Entry, path: str, array: str) -> tuple[str, str, str] | None:
    """The outermost row array, at or below ``array`` on ``path``, whose unfold lets the rest
    of the path resolve: (unfold path, column path under it, the part read of each element).
    Outer arrays are addressed by position (one unfold per exchange)."""
    segments = path.split(".")
    for end in range(max(len(array.split(".")) if array else 0, 1), len(segments)):
        target = by_position(entry, ".".join(segments[:end]))
        below = ".".join(segments[end:])
        moved = f"{target}.{below}"
        if _reaches_rows(entry, target) and resolve(entry, moved, target).ok:
            return target, moved, below
    return None


def _element_hint(entry: Entry, exchange: str, target: str) -> str | None:
    """When each element of the row array ``target`` is itself an array of positions (a book
    level), the unfold and the positions to read."""
    element = (resolve(entry, target).catalog_path or "") + ELEMENT
    if element not in entry.paths or not entry.paths[element].positional:
        return None
    positions = _positions_hint(entry, element, target).removeprefix("address a position: ")
    return (
        f"unfold it (`unfold: {{{exchange}: {target}}}`): each element is an array of "
        f"positions, read {positions}"
    )


def _show_hint(entry: Entry, exchange: str) -> str:
    return f"`schemac catalog show {exchange} {entry.category}` lists the paths it sends"


def by_position(entry: Entry, path: str) -> str:
    """``path`` with position 0 after each row array it passes through, except its last
    segment: ``events.trades`` -> ``events.0.trades`` (an unfold has one array, at its end)."""
    segments = [s for s in path.split(".") if s]
    out: list[str] = []
    for position, segment in enumerate(segments):
        out.append(segment)
        is_last = position == len(segments) - 1
        following = segments[position + 1] if not is_last else ""
        if is_last or following.isdigit():
            continue
        found = resolve(entry, ".".join(out))
        if found.ok and entry.paths[found.catalog_path or ""].rows:
            out.append("0")
    return ".".join(out)


def follow_unfold(path: str, unfold: str) -> str:
    """``path`` written without the positions ``unfold`` gives (``events.trades.price`` under
    ``events.0.trades``) -> the path through the unfold (``events.0.trades.price``)."""
    named = [s for s in unfold.split(".") if not s.isdigit()]
    segments = path.split(".")
    if segments[: len(named)] != named or named == unfold.split("."):
        return path
    return ".".join([unfold, *segments[len(named) :]])


def _reaches_rows(entry: Entry, path: str) -> bool:
    found = resolve(entry, path)
    return found.ok and entry.paths[found.catalog_path or ""].rows

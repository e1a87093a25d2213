"""Column paths against catalog paths: the one place that decides what a path reads.

Semantics (README, The exchange catalog, "Paths"):

- A column path is dot segments from the message root; a digit-only segment is an array
  position (``data.b.0.0`` is the price of the first bid level).
- After ``unfold`` at path U, the element stands at U: ``data.p`` with ``unfold: data`` reads
  field ``p`` of each element. Paths that do not pass through U (``topic``, ``ts``) still read the
  message around the element.
- A derived field F (``derive``, op ``tagged_concat``) lands at ``data.F``, as the client's
  documentation says. Each element is ``{<tag_field>: <tag>, <value_field>: <source element>}``,
  in the order the arrays are listed: schemac's assumption where the vendor's docs are silent.
"""

from __future__ import annotations

from typing import NamedTuple

from schemac.catalog.model import ELEMENT, ROOT, Entry, PathInfo, child_path, index_children
from schemac.catalog.wiretypes import WIRE_TYPES

DERIVED_ROOT = "data"


class Resolution(NamedTuple):
    """Where a column path lands in an entry, or where and why it leaves the entry."""

    path: str
    catalog_path: str | None  # the catalog path it reads, None when it fails
    chain: tuple[str, ...] = ()  # every catalog path passed through, the last one included
    failure: str | None = None  # "missing" or "through_array"
    failed_prefix: str = ""  # the column-path prefix that exists (the array, for through_array)

    @property
    def ok(self) -> bool:
        return self.failure is None


def resolve(entry: Entry, path: str, unfold: str | None = None) -> Resolution:
    segments = path.split(".")
    unfold_segments = unfold.split(".") if unfold else None
    current = ROOT
    chain: list[str] = []
    for position, segment in enumerate(segments):
        info = entry.paths[current]
        prefix = ".".join(segments[:position])
        step: str | None = None
        if segment.isdigit():
            if info.rows:
                step = current + ELEMENT
            elif info.positional and child_path(current, segment) in entry.paths:
                step = child_path(current, segment)
        elif info.is_object and child_path(current, segment) in entry.paths:
            step = child_path(current, segment)
        elif info.is_array and (info.rows or info.positional):
            return Resolution(path, None, tuple(chain), "through_array", prefix)
        if step is None:
            return Resolution(path, None, tuple(chain), "missing", prefix)
        current = step
        chain.append(current)
        if unfold_segments == segments[: position + 1] and entry.paths[current].rows:
            current += ELEMENT  # the element stands at the unfold path
            chain.append(current)
    return Resolution(path, current, tuple(chain))


def column_path(catalog_path: str, unfold_catalog_path: str | None) -> str:
    """How a column reaches ``catalog_path``: ``[]`` becomes nothing at the unfolded array (the
    element stands there) and position 0 anywhere else."""
    out: list[str] = []
    so_far = ""
    for segment in catalog_path.split("."):
        name = segment[: -len(ELEMENT)] if segment.endswith(ELEMENT) else segment
        out.append(name)
        so_far = child_path(so_far, name) if so_far or name else name
        if segment.endswith(ELEMENT):
            if so_far != unfold_catalog_path:
                out.append("0")
            so_far += ELEMENT
    return ".".join(out)


def column_paths(entry: Entry, unfold_catalog_path: str | None) -> list[str]:
    """Every column path that reads a field, a position or an array in ``entry``, in catalog
    order (an array's elements are left out: their column path is the array's, or ``.0``)."""
    seen: dict[str, None] = {}
    for catalog_path in entry.paths:
        if catalog_path and not catalog_path.endswith(ELEMENT):  # an element is its array's
            seen.setdefault(column_path(catalog_path, unfold_catalog_path), None)
    return list(seen)


class DerivedArray(NamedTuple):
    path: str  # a column path to an array of the message
    tag: str


def with_derived(
    entry: Entry, field: str, arrays: list[DerivedArray], tag_field: str, value_field: str
) -> Entry:
    """``entry`` plus one tagged_concat field at ``data.<field>``. Source arrays that do not
    resolve to row arrays add nothing (the checks report them)."""
    target = child_path(DERIVED_ROOT, field)
    paths = dict(entry.paths)
    if DERIVED_ROOT not in paths:
        paths[DERIVED_ROOT] = PathInfo(DERIVED_ROOT, ("obj",))
    elif not paths[DERIVED_ROOT].is_object:
        paths[DERIVED_ROOT] = paths[DERIVED_ROOT]._replace(
            types=(*paths[DERIVED_ROOT].types, "obj")
        )
    element = target + ELEMENT
    paths[target] = PathInfo(target, ("arr",), rows=True, note="derived (tagged_concat)")
    paths[element] = PathInfo(element, ("obj",))
    tags = tuple(dict.fromkeys(a.tag for a in arrays))
    paths[child_path(element, tag_field)] = PathInfo(
        child_path(element, tag_field), ("str",), enum=tags, complete=True
    )
    value_root = child_path(element, value_field)
    sources = []
    for array in arrays:
        found = resolve(entry, array.path)
        if found.ok and entry.paths[found.catalog_path or ""].rows:
            sources.append(found.catalog_path + ELEMENT)  # type: ignore[operator]
    merged: dict[str, list[PathInfo]] = {}
    for source in sources:
        for catalog_path, info in entry.paths.items():
            if catalog_path == source or catalog_path.startswith(source + "."):
                moved = value_root + catalog_path[len(source) :]
                merged.setdefault(moved, []).append(info)
    for moved, infos in merged.items():
        types = tuple(t for t in WIRE_TYPES if any(t in info.types for info in infos))
        paths[moved] = infos[0]._replace(
            path=moved,
            types=types,
            optional=any(info.optional for info in infos) or len(infos) < len(sources),
        )
    if value_root not in paths:  # no usable source: the value is unknown, not absent
        paths[value_root] = PathInfo(value_root, ("obj", "arr"))
    return entry._replace(paths=paths, child_index=index_children(paths))

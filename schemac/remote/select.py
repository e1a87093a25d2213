"""Which schemas a command is about: NAMES, name@category or PATHS, in the order given."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from schemac.config import Config
    from schemac.remote.local import Key, LocalProject

Item = TypeVar("Item")


class SelectionError(Exception):
    """A selector that names nothing, or more than one schema (a usage error)."""


def match_name(
    selector: str, items: list[Item], key: Callable[[Item], tuple[str, str]], what: str
) -> list[Item]:
    """The one item named ``name`` or ``name@category``; raises :class:`SelectionError`."""
    name, _, category = selector.partition("@")
    matches = [i for i in items if key(i)[0] == name and (not category or key(i)[1] == category)]
    if not matches:
        raise SelectionError(f"no {what} named `{selector}`")
    if len(matches) > 1:
        options = ", ".join(f"{key(m)[0]}@{key(m)[1]}" for m in matches)
        raise SelectionError(f"`{selector}` is ambiguous across categories; name one of: {options}")
    return matches


def match_names(
    selectors: list[str], items: list[Item], key: Callable[[Item], tuple[str, str]], what: str
) -> list[Item]:
    """The items the selectors name, each once, in the order given."""
    chosen: list[Item] = []
    for selector in selectors:
        for match in match_name(selector, items, key, what):
            if match not in chosen:
                chosen.append(match)
    return chosen


def all_paths(targets: list[str]) -> bool:
    """Every target is an existing path (then only those files are loaded)."""
    return bool(targets) and all(os.path.exists(t) for t in targets)


def select_keys(
    local: LocalProject, selectors: list[str], config: Config
) -> tuple[LocalProject, list[Key]]:
    """The schemas NAMES, name@category or PATHS name, in the order given, each once: a name
    is looked up among every schema declared, clean or broken (so that a broken one is
    reported, not "not found"). Returns the project with the schemas of a path outside it
    added, and the keys."""
    from schemac.remote.local import load_checked

    chosen: list[Key] = []
    declared = local.all_keys()
    for selector in selectors:
        if os.path.exists(selector):
            found = load_checked([selector], config)
            matches = found.all_keys()
            if not set(matches) <= set(declared):
                local = local.merge(found)
                declared = local.all_keys()
        else:
            matches = match_name(selector, declared, lambda key: key, "local schema")
        chosen += [key for key in matches if key not in chosen]
    return local, chosen

"""The functions a transform may call: schemac/data/transform_functions.toml, read once.

One list for the screen (:mod:`schemac.sql.transforms`, which refuses every other function) and
the type checker (:mod:`schemac.types.functions`, which types a call from its family's
``result``). Names are compared in lower case: ClickHouse has no two functions whose names
differ only in case, so a case slip can only name a function that does not exist.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

__all__ = [
    "ALLOWLIST_FILE",
    "AllowedFunction",
    "allowed_functions",
    "dialect_key",
    "extension_key",
    "refused_reasons",
]

# a path beside the package, not importlib.resources: that imports tempfile, shutil, random
ALLOWLIST_FILE = Path(__file__).parent.parent / "data" / "transform_functions.toml"


class AllowedFunction(NamedTuple):
    name: str  # as ClickHouse spells it
    family: str
    safe_because: str
    least: int  # fewest arguments
    most: int  # most arguments; -1: any number
    result: str | None  # a schemac type, "decimal", "branches", or None (sqlglot's typing)
    takes_lambda: bool = False
    size_argument: int | None = None  # 1-based; must be an integer literal <= size_limit
    size_limit: int = 0


@functools.cache
def _document() -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # Python 3.10
        import tomli as tomllib
    with ALLOWLIST_FILE.open("rb") as file:
        document: dict[str, Any] = tomllib.load(file)
    return document


@functools.cache
def allowed_functions() -> dict[str, AllowedFunction]:
    """Every function on the list, by lower-case name."""
    found: dict[str, AllowedFunction] = {}
    for family in _document()["family"]:
        arities = family.get("arity_of", {})
        for name in family["functions"]:
            least, most = arities.get(name, family["arity"])
            found[name.lower()] = AllowedFunction(
                name,
                family["name"],
                family["safe_because"],
                least,
                most,
                family.get("result"),
                bool(family.get("lambda", False)),
                family.get("size_argument"),
                int(family.get("size_limit", 0)),
            )
    return found


@functools.cache
def refused_reasons() -> dict[str, str]:
    """Why some well-known functions are not on the list, by lower-case name."""
    return {name.lower(): reason for name, reason in _document().get("refused", {}).items()}


def extension_key(extra: Iterable[str]) -> str:
    """The configuration's additions as they enter a cache key (order and case do not count)."""
    return ",".join(sorted({name.lower() for name in extra}))


def dialect_key(dialect: str, extension: str) -> str:
    """The first part of a cache key: the dialect, and the configuration's additions when there
    are any (``clickhouse+myfn``; no dialect name holds a ``+``)."""
    return f"{dialect}+{extension}" if extension else dialect

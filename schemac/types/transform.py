"""A transform's output type, inferred once per (dialect, input type, text) and cached.

The inference itself (:mod:`schemac.types.sqltypes`) parses the transform with sqlglot and
reports SC50x findings inside the transform's text (``RULE.within``). Its results live in the
transforms cache (:mod:`schemac.sql.cache`) next to the screening findings, so that a warm
`validate` never imports sqlglot; this module holds only that cache lookup.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from schemac.sql.allowlist import dialect_key, extension_key
from schemac.types.inferred import TransformTyping

__all__ = ["TransformTyping", "infer_transform"]


def infer_transform(
    text: str, dialect: str, input_type: str, allow: Iterable[str] = ()
) -> TransformTyping:
    """The output type of ``text`` with `{v}` of ``input_type``, and the type problems in it;
    ``allow`` names the functions the configuration adds to the allow-list."""
    return _infer_cached(text, dialect, input_type, extension_key(allow))


@functools.lru_cache(maxsize=4096)
def _infer_cached(text: str, dialect: str, input_type: str, extension: str) -> TransformTyping:
    from schemac.sql import cache

    key = f"{dialect_key(dialect, extension)}\0{input_type}\0{text}"
    typing = _from_json(cache.cached_types(key))
    if typing is None:
        from schemac.types.sqltypes import infer

        allowed = frozenset(name for name in extension.split(",") if name)
        typing = infer(text, dialect, input_type, allowed)
        cache.cache_types(key, _to_json(typing))
    return typing


def _to_json(typing: TransformTyping) -> dict[str, object]:
    from schemac.sql.cache import finding_to_json

    return {
        "output": typing.output,
        "findings": [finding_to_json(f) for f in typing.findings],
        "nullable": typing.nullable,
    }


def _from_json(value: object) -> TransformTyping | None:
    """A cached entry back as a value; None for anything malformed (it is then recomputed)."""
    from schemac.sql.cache import findings_from_json

    if not isinstance(value, dict):
        return None
    output = value.get("output")
    if not (output is None or isinstance(output, str)):
        return None
    findings = findings_from_json(value.get("findings"))
    nullable = value.get("nullable")
    if findings is None or not isinstance(nullable, bool):
        return None
    return TransformTyping(output, findings, nullable)

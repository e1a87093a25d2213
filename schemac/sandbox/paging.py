"""Cursor pagination as the docs' pagination guide describes it, and the API's instants.

``?limit=&page_token=`` in, ``{items, total, limit, next_page_token}`` out, ``null`` on the last
page. A page token is opaque to clients: base64url of ``<list>:<position>``, where the position
is an offset into a fixed list (the catalog) or the creation sequence of the last item shown (an
account's subscriptions, which grow and shrink between pages). A token from another list, or
one that is not a token at all, is a 400 ``invalid_argument``; so is a limit that is not an
integer in ``1..max``.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any, TypeVar

from schemac.sandbox.models import BodyProblem

T = TypeVar("T")
_POSITION = re.compile(r"(0|[1-9][0-9]{0,18})")
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def _invalid(field: str, message: str, provided: str) -> BodyProblem:
    return BodyProblem(
        f"Invalid {field}: {message}",
        {
            "field": field,
            "provided": provided[:200],
            "errors": [{"field": field, "message": message}],
        },
    )


def page_limit(query: Mapping[str, str], default: int, maximum: int) -> int:
    """The ``limit`` query parameter, or ``default``. Raises BodyProblem."""
    text = query.get("limit")
    if text is None:
        return default
    if not _POSITION.fullmatch(text) or not 1 <= int(text) <= maximum:
        raise _invalid("limit", f"must be an integer from 1 to {maximum}", text)
    return int(text)


def page_position(query: Mapping[str, str], kind: str) -> int:
    """The position a ``page_token`` of list ``kind`` carries, 0 without one. Raises
    BodyProblem."""
    token = query.get("page_token")
    if token is None:
        return 0
    try:
        decoded = base64.urlsafe_b64decode(token.encode("ascii") + b"==").decode("ascii")
    except (UnicodeError, ValueError, binascii.Error):
        decoded = ""
    found_kind, _, position = decoded.partition(":")
    if found_kind != kind or not _POSITION.fullmatch(position):
        raise _invalid("page_token", "not a page token of this list", token)
    return int(position)


def page_token(kind: str, position: int) -> str:
    return base64.urlsafe_b64encode(f"{kind}:{position}".encode()).decode().rstrip("=")


def page_of(
    items: Sequence[T], query: Mapping[str, str], kind: str, default: int, maximum: int
) -> tuple[list[T], dict[str, Any]]:
    """(this page's items, the page body without items) of a fixed list. Raises BodyProblem."""
    limit = page_limit(query, default, maximum)
    offset = page_position(query, kind)
    end = offset + limit
    shown = list(items[offset:end])
    next_token = page_token(kind, end) if end < len(items) else None
    return shown, {"total": len(items), "limit": limit, "next_page_token": next_token}


def page_body(items: list[Any], rest: dict[str, Any]) -> dict[str, Any]:
    return {"items": items, **rest}


def now_ns(seconds: float) -> int:
    """Unix seconds as the sandbox's instants: integer ns, whole microseconds."""
    return round(seconds * 1_000_000) * 1000


def iso_ns(ns: int) -> str:
    """An instant as ISO-8601 UTC with microseconds (instants are whole microseconds)."""
    return (_EPOCH + timedelta(microseconds=ns // 1000)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

"""What a request gets back: a plain value the HTTP layer writes out, and the error bodies."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any, Protocol


class Headers(Protocol):
    """Request headers, looked up case-insensitively (``email.message.Message`` is one)."""

    def get(self, name: str, /) -> str | None: ...


@dataclass
class Response:
    """What to send back. ``body`` None means no body (204); ``drop_connection`` means send
    nothing at all and close the connection (an injected lost response)."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    drop_connection: bool = False


def error(status: int, code: str, message: str, details: dict[str, Any] | None = None) -> Response:
    payload: dict[str, Any] = {"code": code, "message": message}
    if details is not None:
        payload["details"] = details
    return Response(status, {"error": payload})


def not_found(schema_id: str, what: str = "Export schema") -> Response:
    return error(404, "not_found", f"{what} {schema_id} not found")


def method_not_allowed(allowed: list[str]) -> Response:
    response = error(405, "invalid_argument", f"Method not allowed; allowed: {', '.join(allowed)}")
    response.headers["Allow"] = ", ".join(allowed)
    return response


def new_request_id() -> str:
    return "req_" + secrets.token_hex(8)

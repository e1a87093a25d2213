"""Request bodies: read off the wire within the body cap, and screened for text nobody can store.

Reading is strict on purpose: a chunk size is hex digits only (``int(x, 16)`` would also take
``-5``, ``+5``, ``0x5`` and ``5_0``; a negative size once read to the end of the stream, past the
cap), every line has a bounded length, and the body, the chunk count and the trailers are all
capped, so one request holds at most about ``MAX_BODY_BYTES`` of memory.
"""

from __future__ import annotations

import json
import re
from typing import Any, Protocol

from schemac.sandbox.config import MAX_BODY_BYTES
from schemac.sandbox.responses import Headers, Response, error

MAX_LINE_BYTES = 1024  # a chunk-size line (with extensions) or one trailer line
MAX_TRAILER_BYTES = 16 * 1024
_CHUNK_SIZE = re.compile(rb"[0-9a-fA-F]{1,8}")  # 8 hex digits are 4 GiB: ample to refuse
_CONTENT_LENGTH = re.compile(r"[0-9]{1,19}")
# A UTF-16 surrogate as a JSON escape (\ud800) or as raw "UTF-8" (json decodes with
# surrogatepass); only a body matching this can hold a lone one.
_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}|\xed[\xa0-\xbf]")


class Stream(Protocol):
    """The request's input stream (``BaseHTTPRequestHandler.rfile``)."""

    def read(self, size: int = ..., /) -> bytes: ...

    def readline(self, size: int = ..., /) -> bytes: ...


def too_large(provided: int | None = None) -> Response:
    details: dict[str, Any] = {"max_bytes": MAX_BODY_BYTES}
    if provided is not None:
        details["provided"] = provided
    return error(400, "invalid_argument", "Request body is too large", details)


def _malformed(what: str) -> Response:
    return error(400, "invalid_argument", f"Malformed chunked request body: {what}")


def read_body(rfile: Stream, headers: Headers) -> bytes | Response:
    """The request body, or the 400 that ends the request (the caller closes the connection)."""
    encoding = headers.get("Transfer-Encoding")
    if encoding is not None:
        if encoding.strip().lower() != "chunked":
            return error(
                400, "invalid_argument", f"Unsupported Transfer-Encoding: {encoding[:100]}"
            )
        return read_chunked(rfile)
    raw_length = headers.get("Content-Length")
    if raw_length is None:
        return b""
    if not _CONTENT_LENGTH.fullmatch(raw_length.strip()):
        return error(400, "invalid_argument", "Invalid Content-Length header")
    length = int(raw_length)
    if length > MAX_BODY_BYTES:
        return too_large(length)
    return rfile.read(length)


def read_chunked(rfile: Stream) -> bytes | Response:
    """A ``Transfer-Encoding: chunked`` body, refused (without reading on) once it passes the cap
    or breaks the framing."""
    body = bytearray()
    while True:
        line = rfile.readline(MAX_LINE_BYTES + 1)
        if not line.endswith(b"\n") or len(line) > MAX_LINE_BYTES:
            return _malformed("a chunk-size line is too long or cut short")
        size_text = line.split(b";", 1)[0].strip()
        if not _CHUNK_SIZE.fullmatch(size_text):
            return _malformed(f"invalid chunk size {size_text[:20]!r}")
        size = int(size_text, 16)
        if size == 0:
            return _skip_trailers(rfile, bytes(body))
        if len(body) + size > MAX_BODY_BYTES:
            return too_large()
        chunk = rfile.read(size)
        if len(chunk) != size or rfile.read(2) != b"\r\n":
            return _malformed("a chunk is shorter than its size or not followed by CRLF")
        body += chunk


def _skip_trailers(rfile: Stream, body: bytes) -> bytes | Response:
    """Read the trailer fields up to the blank line that ends the message (bounded)."""
    seen = 0
    while True:
        line = rfile.readline(MAX_LINE_BYTES + 1)
        seen += len(line)
        if not line.endswith(b"\n") or seen > MAX_TRAILER_BYTES:
            return _malformed("trailers are too long or cut short")
        if not line.strip():
            return body


def lone_surrogate_field(body: bytes) -> str | None:
    """Where a JSON body holds a string with an unpaired UTF-16 surrogate (not Unicode text,
    so it can be neither stored nor sent back as UTF-8), as a field path like
    ``columns[0].output_column``; None when there is none or the body is not JSON (the
    endpoint reports that)."""
    if _SURROGATE.search(body) is None:
        return None
    try:
        value = json.loads(body)
    except (ValueError, RecursionError):
        return None
    return _find_surrogate(value, "")


def _find_surrogate(value: Any, where: str) -> str | None:
    # Iterative: a deeply nested body must not exhaust the stack here either.
    pending: list[tuple[Any, str]] = [(value, where)]
    while pending:
        item, path = pending.pop()
        if isinstance(item, str):
            if not _encodable(item):
                return path or "body"
        elif isinstance(item, dict):
            if not all(_encodable(key) for key in item):
                return path or "body"
            members = [(m, f"{path}.{key}" if path else key) for key, m in item.items()]
            pending.extend(reversed(members))
        elif isinstance(item, list):
            pending.extend(
                (member, f"{path}[{i}]") for i, member in reversed(list(enumerate(item)))
            )
    return None


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True

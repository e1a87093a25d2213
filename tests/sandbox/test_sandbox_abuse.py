"""Hostile requests: chunked framing that tries to get past the body cap, text that is not
Unicode. Each is refused with a 400 in the API's error envelope, at once, without a traceback."""

from __future__ import annotations

import json
import socket
from typing import Any

import httpx
import pytest

from schemac.sandbox import Sandbox
from schemac.sandbox.config import MAX_BODY_BYTES

from .conftest import API_KEY
from .helpers import create_body


def _exchange(sandbox: Sandbox, head: bytes, body: bytes = b"") -> tuple[int, dict[str, Any]]:
    """Send raw bytes, leave the connection open, and read one response (5 s at most)."""
    with socket.create_connection((sandbox.host, sandbox.port), timeout=5) as connection:
        connection.sendall(head + body)
        received = b""
        while b"\r\n\r\n" not in received:
            data = connection.recv(65536)
            assert data, f"the connection closed without a response: {received!r}"
            received += data
        headers, _, rest = received.partition(b"\r\n\r\n")
        length = int(
            next(
                line.split(b":", 1)[1]
                for line in headers.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            )
        )
        while len(rest) < length:
            data = connection.recv(65536)
            assert data, "the connection closed mid-response"
            rest += data
    status = int(headers.split(b" ", 2)[1])
    return status, json.loads(rest[:length])


def _chunked_head(sandbox: Sandbox) -> bytes:
    return (
        f"POST /v1/export-schemas HTTP/1.1\r\nHost: {sandbox.host}\r\nX-Api-Key: {API_KEY}\r\n"
        "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    ).encode()


def _assert_invalid(status: int, body: dict[str, Any]) -> dict[str, Any]:
    assert status == 400, body
    assert set(body) == {"error"} and body["error"]["code"] == "invalid_argument"
    return dict(body["error"])


@pytest.mark.parametrize("size", [b"-1", b"-fffff", b"+5", b"0x5", b"5_0", b"zz", b"1" * 40, b""])
def test_a_chunk_size_that_is_not_plain_hex_is_refused_before_reading_on(
    sandbox: Sandbox, size: bytes
) -> None:
    # The stream stays open after the size line: a server that reads "to the end" would hang
    # here (a negative size used to read until end of stream, past the 1 MiB cap).
    status, body = _exchange(sandbox, _chunked_head(sandbox), size + b"\r\n" + b"x" * 4096)
    assert "chunked" in _assert_invalid(status, body)["message"]


def test_chunks_past_the_cap_are_refused_without_reading_them(sandbox: Sandbox) -> None:
    first = b"%x\r\n" % MAX_BODY_BYTES + b" " * MAX_BODY_BYTES + b"\r\n"
    # The second chunk's size alone passes the cap; its data is never sent.
    status, body = _exchange(sandbox, _chunked_head(sandbox), first + b"1\r\n")
    assert _assert_invalid(status, body)["details"]["max_bytes"] == MAX_BODY_BYTES


def test_a_chunk_without_its_crlf_or_an_endless_trailer_is_refused(sandbox: Sandbox) -> None:
    status, body = _exchange(sandbox, _chunked_head(sandbox), b"2\r\n{}XX")
    _assert_invalid(status, body)
    trailer = b"X-Pad: " + b"p" * 1000 + b"\r\n"
    status, body = _exchange(sandbox, _chunked_head(sandbox), b"2\r\n{}\r\n0\r\n" + trailer * 40)
    _assert_invalid(status, body)


def test_a_well_formed_chunked_body_with_extensions_and_trailers_is_read(sandbox: Sandbox) -> None:
    payload = json.dumps(create_body()).encode()
    half = len(payload) // 2
    chunks = b"%x;ext=1\r\n%s\r\n%x\r\n%s\r\n0\r\nX-Trailer: yes\r\n\r\n" % (
        half,
        payload[:half],
        len(payload) - half,
        payload[half:],
    )
    status, body = _exchange(sandbox, _chunked_head(sandbox), chunks)
    assert status == 201 and body["name"] == "my_trades"


@pytest.mark.parametrize(
    ("encoding", "content_length"), [("gzip", None), (None, "+5"), (None, "5_0"), (None, " -1")]
)
def test_unsupported_encodings_and_odd_lengths_are_refused(
    sandbox: Sandbox, encoding: str | None, content_length: str | None
) -> None:
    head = f"POST /v1/export-schemas HTTP/1.1\r\nHost: x\r\nX-Api-Key: {API_KEY}\r\n"
    if encoding:
        head += f"Transfer-Encoding: {encoding}\r\n"
    if content_length:
        head += f"Content-Length: {content_length}\r\n"
    status, body = _exchange(sandbox, (head + "\r\n").encode(), b"{}")
    _assert_invalid(status, body)


# -- text that is not Unicode -------------------------------------------------------------------

SURROGATE_BODIES = [
    (json.dumps(create_body("a\ud800b")).encode(), "name"),
    (json.dumps(create_body()).replace('"ts"', '"t\\udfffs"').encode(), "columns[0].output_column"),
    ('{"name": "a\ud800", "stream_category": "trade"}'.encode("utf-8", "surrogatepass"), "name"),
    (json.dumps({"columns": [{"\udc00": 1}]}).encode(), "columns[0]"),
]


@pytest.mark.parametrize(("content", "field"), SURROGATE_BODIES)
def test_a_lone_surrogate_is_a_400_naming_the_field_not_a_500(
    sandbox: Sandbox, content: bytes, field: str, capsys: pytest.CaptureFixture[str]
) -> None:
    headers = {"X-Api-Key": API_KEY, "Content-Type": "application/json"}
    schema = httpx.post(f"{sandbox.url}/export-schemas", json=create_body(), headers=headers)
    schema_path = f"/export-schemas/{schema.json()['id']}"
    # Publish ignores its body, but not one that is not text.
    targets = ["/export-schemas", f"{schema_path}/draft", f"{schema_path}/publish"]
    for target in targets:
        response = httpx.post(f"{sandbox.url}{target}", content=content, headers=headers)
        assert response.status_code == 400, response.text
        error = response.json()["error"]
        assert error["code"] == "invalid_argument" and error["details"]["field"] == field
        assert "surrogate" in error["message"]
    assert "Traceback" not in capsys.readouterr().err


def test_a_surrogate_pair_is_text_and_is_kept(sandbox: Sandbox) -> None:
    headers = {"X-Api-Key": API_KEY, "Content-Type": "application/json"}
    content = json.dumps(create_body("trades_\U0001f600")).encode()  # escaped as a pair
    assert b"\\ud83d\\ude00" in content
    response = httpx.post(f"{sandbox.url}/export-schemas", content=content, headers=headers)
    assert response.status_code == 201 and response.json()["name"] == "trades_\U0001f600"


def test_a_surrogate_escaped_in_the_url_is_not_a_server_error(sandbox: Sandbox) -> None:
    response = httpx.get(
        f"{sandbox.url}/export-schemas/sch_%ED%A0%80", headers={"X-Api-Key": API_KEY}
    )
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_argument"

"""HTTP-level behaviour that the official client hides: headers, envelopes, odd requests."""

from __future__ import annotations

import json
import re
import socket
from typing import Any

import httpx
import pytest

from schemac.sandbox import Sandbox, start_sandbox

from .conftest import API_KEY
from .helpers import FakeClock, create_body

REQUEST_ID = re.compile(r"^req_[0-9a-f]{16}$")
RATE_HEADERS = (
    "X-RateLimit-Limit-Minute",
    "X-RateLimit-Remaining-Minute",
    "X-RateLimit-Limit-Hour",
    "X-RateLimit-Remaining-Hour",
)


@pytest.fixture
def http(sandbox: Sandbox) -> Any:
    with httpx.Client(base_url=sandbox.url, headers={"X-Api-Key": API_KEY}) as session:
        yield session


def _assert_error(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert set(body["error"]) <= {"code", "message", "details"}
    return body["error"]


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/export-schemas", None),
        ("POST", "/export-schemas", create_body()),
        ("POST", "/export-schemas", {"columns": []}),
        ("GET", "/export-schemas/sch_" + "1" * 32, None),
        ("GET", "/export-schemas/nope", None),
        ("GET", "/nowhere", None),
        ("PATCH", "/export-schemas", None),
        ("GET", "/exchanges", None),
    ],
)
def test_every_response_has_a_request_id_and_rate_limit_headers(
    http: httpx.Client, method: str, path: str, body: Any
) -> None:
    response = http.request(method, path, json=body)
    assert REQUEST_ID.match(response.headers["X-Request-Id"])
    for header in RATE_HEADERS:
        assert int(response.headers[header]) >= 0
    if response.status_code >= 400:
        _assert_error(response, response.status_code, response.json()["error"]["code"])


def test_request_ids_differ(http: httpx.Client) -> None:
    ids = {http.get("/export-schemas").headers["X-Request-Id"] for _ in range(5)}
    assert len(ids) == 5


def test_missing_key_is_401(sandbox: Sandbox) -> None:
    response = httpx.get(f"{sandbox.url}/export-schemas")
    error = _assert_error(response, 401, "unauthenticated")
    assert "API key" in error["message"]
    assert REQUEST_ID.match(response.headers["X-Request-Id"])


def test_header_name_is_matched_case_insensitively_as_http_requires(sandbox: Sandbox) -> None:
    # HTTP header names are case-insensitive on the wire; the docs' "case-sensitive" warning is
    # about spelling the name right (X-Api-Key, not Authorization).
    response = httpx.get(f"{sandbox.url}/export-schemas", headers={"x-api-key": API_KEY})
    assert response.status_code == 200
    wrong_name = httpx.get(f"{sandbox.url}/export-schemas", headers={"Authorization": API_KEY})
    _assert_error(wrong_name, 401, "unauthenticated")


def test_status_codes_of_each_endpoint(http: httpx.Client) -> None:
    created = http.post("/export-schemas", json=create_body())
    assert created.status_code == 201
    schema_id = created.json()["id"]
    assert http.get(f"/export-schemas/{schema_id}").status_code == 200
    assert (
        http.put(
            f"/export-schemas/{schema_id}", json={"columns": create_body()["columns"]}
        ).status_code
        == 200
    )
    assert http.post(f"/export-schemas/{schema_id}/draft").status_code == 201
    assert http.get(f"/export-schemas/{schema_id}/draft").status_code == 200
    assert (
        http.put(
            f"/export-schemas/{schema_id}/draft", json={"columns": create_body()["columns"]}
        ).status_code
        == 200
    )
    assert http.post(f"/export-schemas/{schema_id}/publish").status_code == 200
    assert http.post(f"/export-schemas/{schema_id}/draft").status_code == 201
    discarded = http.delete(f"/export-schemas/{schema_id}/draft")
    assert (discarded.status_code, discarded.content) == (204, b"")
    deleted = http.delete(f"/export-schemas/{schema_id}")
    assert (deleted.status_code, deleted.content) == (204, b"")


def test_full_schema_omits_unfold_and_derive_when_none_are_configured(http: httpx.Client) -> None:
    body = http.post("/export-schemas", json=create_body(unfold={}, derive=None)).json()
    assert "unfold" not in body and "derive" not in body
    with_unfold = http.post(
        "/export-schemas", json=create_body("t", unfold={"bybit_linear": {"path": "data"}})
    ).json()
    assert (
        with_unfold["unfold"] == {"bybit_linear": {"path": "data"}} and "derive" not in with_unfold
    )


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"{not json", "not valid JSON"),
        (b"", "required"),
        (b"[1, 2]", "JSON object"),
        (b"\xff\xfe", "not valid JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "not valid JSON"),
    ],
)
def test_malformed_bodies_are_400(http: httpx.Client, content: bytes, problem: str) -> None:
    response = http.post(
        "/export-schemas", content=content, headers={"Content-Type": "application/json"}
    )
    error = _assert_error(response, 400, "invalid_argument")
    assert problem in error["message"]


def test_oversized_body_is_400_without_reading_it(sandbox: Sandbox) -> None:
    response = httpx.post(
        f"{sandbox.url}/export-schemas",
        content=b" " * (1024 * 1024 + 1),
        headers={"X-Api-Key": API_KEY},
    )
    assert _assert_error(response, 400, "invalid_argument")["details"]["max_bytes"] == 1024 * 1024


def test_chunked_body_is_read(http: httpx.Client) -> None:
    payload = json.dumps(create_body()).encode()
    response = http.post("/export-schemas", content=iter([payload[:10], payload[10:]]))
    assert response.status_code == 201, response.text


def test_unknown_paths_are_404_and_wrong_methods_405(http: httpx.Client) -> None:
    for path in ("/", "/export-schemas/", "/export-schemas/sch_x/drafts", "/export-schemas/a/b/c"):
        _assert_error(http.get(path), 404, "not_found")
    _assert_error(httpx.get(http.base_url.join("/v2/export-schemas")), 404, "not_found")
    response = http.patch("/export-schemas")
    _assert_error(response, 405, "invalid_argument")
    assert response.headers["Allow"] == "GET, POST"
    head = http.head("/export-schemas")
    assert head.status_code == 405 and head.content == b""


def test_a_schema_id_with_a_trailing_newline_is_400(http: httpx.Client) -> None:
    error = _assert_error(
        http.get("/export-schemas/sch_" + "1" * 32 + "%0A"), 400, "invalid_argument"
    )
    assert error["details"]["field"] == "id"


def test_query_strings_are_ignored(http: httpx.Client) -> None:
    assert http.get("/export-schemas", params={"limit": 1}).status_code == 200


def test_idempotency_key_is_ignored_on_put_and_get(http: httpx.Client) -> None:
    schema_id = http.post("/export-schemas", json=create_body()).json()["id"]
    headers = {"Idempotency-Key": "not-a-uuid"}
    assert http.get(f"/export-schemas/{schema_id}", headers=headers).status_code == 200
    content = {"columns": create_body()["columns"]}
    first = http.put(f"/export-schemas/{schema_id}", json=content, headers=headers)
    second = http.put(f"/export-schemas/{schema_id}", json=content, headers=headers)
    assert (first.json()["version"], second.json()["version"]) == (2, 3)


def test_protocol_errors_get_a_json_error(sandbox: Sandbox) -> None:
    headers = b"".join(b"X-Filler-%d: x\r\n" % index for index in range(101))
    with socket.create_connection((sandbox.host, sandbox.port), timeout=5) as connection:
        connection.sendall(b"GET /v1/export-schemas HTTP/1.1\r\n" + headers + b"\r\n")
        received = b""
        while chunk := connection.recv(65536):  # the server closes after a protocol error
            received += chunk
    head, _, body = received.decode().partition("\r\n\r\n")
    assert head.startswith("HTTP/1.1 431")
    assert json.loads(body)["error"]["code"] == "invalid_argument"


def test_openapi_document_is_served_without_a_key(sandbox: Sandbox) -> None:
    response = httpx.get(f"{sandbox.url}/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    # Every route of the table is described, with the same methods, and nothing else is.
    from schemac.sandbox.routes import ROUTES

    assert {
        template: sorted(method.upper() for method in item if method != "parameters")
        for template, item in document["paths"].items()
    } == {template: sorted(operations) for template, operations in ROUTES}
    create = document["components"]["schemas"]["CreateSchemaRequest"]
    assert create["properties"]["columns"]["maxItems"] == 100


def test_rate_limit_per_minute_gives_429_with_retry_after() -> None:
    clock = FakeClock()
    with (
        start_sandbox([API_KEY, "key_b"], rate_limit_per_minute=3, clock=clock) as sandbox,
        httpx.Client(base_url=sandbox.url, headers={"X-Api-Key": API_KEY}) as http,
    ):
        remaining = [
            http.get("/export-schemas").headers["X-RateLimit-Remaining-Minute"] for _ in range(3)
        ]
        assert remaining == ["2", "1", "0"]
        limited = http.get("/export-schemas")
        error = _assert_error(limited, 429, "rate_limited")
        assert limited.headers["Retry-After"] == "20"  # 3 per minute: one token every 20 s
        assert "Retry after 20 seconds" in error["message"]
        assert int(limited.headers["X-RateLimit-Reset-Minute"]) == int(clock.now) + 20
        assert "X-RateLimit-Reset-Hour" not in limited.headers
        # Another account has its own bucket.
        other = http.get("/export-schemas", headers={"X-Api-Key": "key_b"})
        assert other.status_code == 200
        clock.advance(20)
        assert http.get("/export-schemas").status_code == 200


def test_rate_limit_per_hour_and_the_client_error() -> None:
    from ticksupply.exceptions import RateLimitError

    with (
        start_sandbox(rate_limit_per_hour=2, clock=FakeClock()) as sandbox,
        sandbox.client() as client,
    ):
        client.export_schemas.list()
        client.export_schemas.list()
        with pytest.raises(RateLimitError) as raised:
            client.export_schemas.list()
    assert raised.value.retry_after == 1800 and raised.value.http_status == 429


def test_stop_returns_promptly_with_an_idle_keep_alive_connection_open() -> None:
    import time

    sandbox = start_sandbox()
    http = httpx.Client(base_url=sandbox.url, headers={"X-Api-Key": API_KEY})
    assert http.get("/export-schemas").status_code == 200  # the connection stays open
    started = time.monotonic()
    sandbox.stop()
    assert time.monotonic() - started < 2
    with pytest.raises(httpx.TransportError):
        http.get("/export-schemas")
    http.close()
    sandbox.stop()  # a second stop is harmless

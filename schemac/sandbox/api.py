"""The sandbox's behaviour, independent of HTTP plumbing: a request in, a response out.

Order of checks for every ``/v1`` request (each step can end the request):
fault draw (503 before work) -> route (404/405) -> API key (401) -> rate limit (429) ->
schema id format (400) -> Idempotency-Key format (400) -> body (400) -> idempotency replay,
conflict or wait (200-409) -> the work, in one transaction with its idempotency record ->
fault after work (500 or a dropped connection).
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import sys
import time
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

from schemac.sandbox.builtins import BuiltinSchema, builtin_by_id, builtin_schemas, is_reserved_name
from schemac.sandbox.config import MAX_BODY_BYTES, SandboxConfig
from schemac.sandbox.faults import Fault, FaultInjector
from schemac.sandbox.idempotency import InFlight, fingerprint, parse_key
from schemac.sandbox.models import SCHEMA_ID_PATTERN, BodyProblem, parse_content, parse_create
from schemac.sandbox.openapi import build_openapi
from schemac.sandbox.ratelimit import RateLimiter
from schemac.sandbox.store import IdempotencyRecord, Store, StoredSchema, Transaction

_SCHEMA_ID = re.compile(SCHEMA_ID_PATTERN)
MUTATING_METHODS = frozenset({"POST", "PUT", "DELETE"})
IDEMPOTENT_METHODS = frozenset({"POST", "DELETE"})


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


def _not_found(schema_id: str, what: str = "Export schema") -> Response:
    return error(404, "not_found", f"{what} {schema_id} not found")


@dataclass(frozen=True)
class Call:
    """One authenticated, routed request."""

    method: str
    path: str
    account: str
    schema_id: str | None
    body: bytes


# A validated request's work: runs inside one store transaction and returns the response.
Work = Callable[[Transaction], Response]


def new_request_id() -> str:
    return "req_" + secrets.token_hex(8)


def account_of(api_key: str) -> str:
    """A stable account id for an API key: each key is its own account, across restarts."""
    return "acct_" + hashlib.sha256(api_key.encode()).hexdigest()[:16]


def timestamp(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _builtin_item(schema: BuiltinSchema) -> dict[str, Any]:
    """A built-in's list item: always version 1, never a draft."""
    return {
        "id": schema.id,
        "name": schema.name,
        "stream_category": schema.stream_category,
        "is_built_in": True,
        "created_at": schema.created_at,
        "version": 1,
        "has_draft": False,
    }


def _custom_item(schema: StoredSchema) -> dict[str, Any]:
    return {
        "id": schema.id,
        "name": schema.name,
        "stream_category": schema.stream_category,
        "is_built_in": False,
        "created_at": schema.created_at,
        "version": schema.version,
        "has_draft": schema.draft is not None,
    }


def _with_content(item: dict[str, Any], content: dict[str, Any]) -> dict[str, Any]:
    return {**item, **content}


class SandboxApp:
    """Every endpoint of the sandbox. Thread-safe: one instance serves all connections."""

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.store = Store(config.state)
        self.limiter = RateLimiter(config.rate_limit_per_minute, config.rate_limit_per_hour)
        self.faults = FaultInjector(config.fault_rate, config.fault_seed)
        self.accounts = {key: account_of(key) for key in config.api_keys}
        self.openapi = build_openapi(config)
        self._in_flight = InFlight()
        self._routes: dict[str, dict[str, Callable[[Call], Work]]] = {
            "collection": {"GET": self._list, "POST": self._create},
            "schema": {"GET": self._get, "PUT": self._update, "DELETE": self._delete},
            "draft": {
                "POST": self._create_draft,
                "GET": self._get_draft,
                "PUT": self._update_draft,
                "DELETE": self._discard_draft,
            },
            "publish": {"POST": self._publish},
            "exchanges": {"GET": self._exchanges},
        }

    def close(self) -> None:
        self.store.close()

    # -- the request pipeline -------------------------------------------------------------

    def handle(self, method: str, target: str, headers: Headers, body: bytes) -> Response:
        """Answer one HTTP request. Never raises: a failure of the sandbox itself is a 500."""
        try:
            response = self._respond(method.upper(), target, headers, body)
        except Exception:
            traceback.print_exc(file=sys.stderr)
            response = error(500, "internal", "The sandbox failed to handle this request")
        response.headers["X-Request-Id"] = new_request_id()
        return response

    def _respond(self, method: str, target: str, headers: Headers, body: bytes) -> Response:
        path = urlsplit(target).path
        if path == "/v1/openapi.json":
            # The description is public: tools fetch it without a key, outside faults and limits.
            response = (
                Response(200, self.openapi)
                if method == "GET"
                else self._method_not_allowed(["GET"])
            )
            response.headers.update(self.limiter.full_headers())
            return response
        fault = self.faults.draw() if path == "/v1" or path.startswith("/v1/") else None
        if fault is Fault.UNAVAILABLE:
            response = error(503, "unavailable", "The service is temporarily unavailable")
            response.headers.update(self.limiter.full_headers())
            return response
        response = self._authenticated(method, path, headers, body)
        if fault is Fault.INTERNAL_AFTER_COMMIT:
            lost = error(500, "internal", "Internal error")
            lost.headers.update(
                (name, value)
                for name, value in response.headers.items()
                if name.startswith("X-RateLimit-")
            )
            return lost
        if fault is Fault.DROP_CONNECTION:
            response.drop_connection = True
        return response

    def _authenticated(self, method: str, path: str, headers: Headers, body: bytes) -> Response:
        route = self._route(path)
        if route is None:
            response = error(404, "not_found", f"No such endpoint: {path}")
            response.headers.update(self.limiter.full_headers())
            return response
        operations, schema_id = route
        if method not in operations:
            response = self._method_not_allowed(sorted(operations))
            response.headers.update(self.limiter.full_headers())
            return response
        account = self.accounts.get(headers.get("X-Api-Key") or "")
        if account is None:
            response = error(401, "unauthenticated", "Invalid or missing API key")
            response.headers.update(self.limiter.full_headers())
            return response
        decision = self.limiter.take(account, self.config.clock())
        if not decision.allowed:
            response = error(
                429,
                "rate_limited",
                f"Rate limit exceeded. Retry after {decision.retry_after} seconds.",
            )
            response.headers["Retry-After"] = str(decision.retry_after)
        else:
            call = Call(method, path, account, schema_id, body)
            response = self._routed(call, operations[method], headers)
        response.headers.update(decision.headers)
        return response

    def _routed(self, call: Call, operation: Callable[[Call], Work], headers: Headers) -> Response:
        if call.schema_id is not None and not _SCHEMA_ID.match(call.schema_id):
            return error(
                400,
                "invalid_argument",
                "Invalid schema id: expected sch_ followed by 32 lowercase hex characters",
                {"field": "id", "pattern": SCHEMA_ID_PATTERN, "provided": call.schema_id[:200]},
            )
        key: str | None = None
        raw_key = headers.get("Idempotency-Key")
        if raw_key is not None and call.method in IDEMPOTENT_METHODS:
            key = parse_key(raw_key)
            if key is None:
                return error(
                    400,
                    "invalid_argument",
                    "Idempotency-Key must be a UUID (hyphenated, simple, braced or URN form)"
                    " of at most 128 characters",
                    {"field": "Idempotency-Key"},
                )
        if len(call.body) > MAX_BODY_BYTES:
            return error(
                400,
                "invalid_argument",
                "Request body is too large",
                {"max_bytes": MAX_BODY_BYTES, "provided": len(call.body)},
            )
        try:
            work = operation(call)
        except BodyProblem as problem:
            return error(400, "invalid_argument", problem.message, problem.details)
        if key is None:
            return self._run(call, work)
        return self._run_idempotent(call, key, work)

    def _run(self, call: Call, work: Work) -> Response:
        if call.method in MUTATING_METHODS and self.config.mutation_delay:
            time.sleep(self.config.mutation_delay)
        with self.store.transaction() as tx:
            return work(tx)

    def _run_idempotent(self, call: Call, key: str, work: Work) -> Response:
        deadline = time.monotonic() + self.config.idempotency_wait
        while (running := self._in_flight.claim(call.account, key)) is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not running.wait(remaining):
                return error(
                    409,
                    "already_exists",
                    "A request with this Idempotency-Key is still in progress; retry later",
                    {"idempotency_key": key, "reason": "in_progress"},
                )
        try:
            request_fingerprint = fingerprint(call.method, call.path, call.body)
            with self.store.transaction() as tx:
                record = tx.get_idempotency(call.account, key, self._oldest_live_record())
            if record is not None:
                return self._replay(record, request_fingerprint, key)
            if self.config.mutation_delay:
                time.sleep(self.config.mutation_delay)
            with self.store.transaction() as tx:
                response = work(tx)
                now = self.config.clock()
                tx.put_idempotency(
                    call.account,
                    key,
                    IdempotencyRecord(request_fingerprint, response.status, response.body, now),
                    expired_before=now - self.config.idempotency_ttl,
                )
            return response
        finally:
            self._in_flight.release(call.account, key)

    def _oldest_live_record(self) -> float:
        return self.config.clock() - self.config.idempotency_ttl

    @staticmethod
    def _replay(record: IdempotencyRecord, request_fingerprint: str, key: str) -> Response:
        if record.fingerprint != request_fingerprint:
            return error(
                409,
                "already_exists",
                "This Idempotency-Key was already used for a different request",
                {"idempotency_key": key, "reason": "fingerprint_mismatch"},
            )
        return Response(record.status, record.body, {"Idempotent-Replayed": "true"})

    @staticmethod
    def _method_not_allowed(allowed: list[str]) -> Response:
        response = error(
            405, "invalid_argument", f"Method not allowed; allowed: {', '.join(allowed)}"
        )
        response.headers["Allow"] = ", ".join(allowed)
        return response

    def _route(self, path: str) -> tuple[dict[str, Callable[[Call], Work]], str | None] | None:
        parts = path.split("/")
        # parts[0] is "" (the path starts with "/"); the rest must be v1/...
        if len(parts) < 3 or parts[1] != "v1":
            return None
        rest = [unquote(part) for part in parts[2:]]
        if rest == ["exchanges"]:
            return self._routes["exchanges"], None
        if rest[0] != "export-schemas" or "" in rest:
            return None
        if len(rest) == 1:
            return self._routes["collection"], None
        if len(rest) == 2:
            return self._routes["schema"], rest[1]
        if len(rest) == 3 and rest[2] in ("draft", "publish"):
            return self._routes[rest[2]], rest[1]
        return None

    # -- endpoints: each validates its request, then returns the work to run ----------------

    def _exchanges(self, call: Call) -> Work:
        listing = [{"code": code, "display_name": name} for code, name in self.config.exchanges]
        return lambda tx: Response(200, listing)

    def _list(self, call: Call) -> Work:
        def work(tx: Transaction) -> Response:
            items = [_builtin_item(schema) for schema in builtin_schemas()]
            items += [_custom_item(schema) for schema in tx.list_schemas(call.account)]
            return Response(200, items)

        return work

    def _create(self, call: Call) -> Work:
        name, category, content = parse_create(_json_body(call.body), self.config.max_columns)

        def work(tx: Transaction) -> Response:
            if is_reserved_name(name, category):
                return error(
                    409,
                    "already_exists",
                    f"The name {name!r} belongs to a built-in schema in category {category!r}",
                    {"name": name, "stream_category": category, "built_in": True},
                )
            existing = tx.find_by_name(call.account, category, name)
            if existing is not None:
                return error(
                    409,
                    "already_exists",
                    f"A schema named {name!r} already exists in category {category!r}",
                    {"name": name, "stream_category": category, "id": existing.id},
                )
            schema = StoredSchema(
                id="sch_" + uuid.uuid4().hex,
                account=call.account,
                name=name,
                stream_category=category,
                created_at=timestamp(self.config.clock()),
                version=1,
                content=content,
                draft=None,
            )
            tx.insert_schema(schema)
            return Response(201, _with_content(_custom_item(schema), content))

        return work

    def _get(self, call: Call) -> Work:
        schema_id = _id(call)

        def work(tx: Transaction) -> Response:
            builtin = builtin_by_id(schema_id)
            if builtin is not None:
                return Response(200, _with_content(_builtin_item(builtin), builtin.content))
            schema = tx.get_schema(call.account, schema_id)
            if schema is None:
                return _not_found(schema_id)
            return Response(200, _with_content(_custom_item(schema), schema.content))

        return work

    def _custom_work(
        self, call: Call, change: Callable[[Transaction, StoredSchema], Response]
    ) -> Work:
        """Work on one of the account's own schemas; built-ins and unknown ids are 404."""
        schema_id = _id(call)

        def work(tx: Transaction) -> Response:
            schema = tx.get_schema(call.account, schema_id)
            if schema is None:
                return _not_found(schema_id)
            return change(tx, schema)

        return work

    def _update(self, call: Call) -> Work:
        content = parse_content(_json_body(call.body), self.config.max_columns)

        def change(tx: Transaction, schema: StoredSchema) -> Response:
            updated = _replace(schema, version=schema.version + 1, content=content, draft=None)
            tx.save_schema(updated)
            return Response(200, _with_content(_custom_item(updated), content))

        return self._custom_work(call, change)

    def _delete(self, call: Call) -> Work:
        def change(tx: Transaction, schema: StoredSchema) -> Response:
            tx.delete_schema(schema.id)
            return Response(204)

        return self._custom_work(call, change)

    def _create_draft(self, call: Call) -> Work:
        # An empty body copies the published version; any other body must be full content.
        content = (
            None
            if not call.body.strip()
            else parse_content(_json_body(call.body), self.config.max_columns)
        )

        def change(tx: Transaction, schema: StoredSchema) -> Response:
            draft = schema.content if content is None else content
            updated = _replace(schema, draft=draft)
            tx.save_schema(updated)
            return Response(201, _with_content(_custom_item(updated), draft))

        return self._custom_work(call, change)

    def _get_draft(self, call: Call) -> Work:
        def change(tx: Transaction, schema: StoredSchema) -> Response:
            if schema.draft is None:
                return _not_found(schema.id, "No draft for export schema")
            return Response(200, _with_content(_custom_item(schema), schema.draft))

        return self._custom_work(call, change)

    def _update_draft(self, call: Call) -> Work:
        content = parse_content(_json_body(call.body), self.config.max_columns)

        def change(tx: Transaction, schema: StoredSchema) -> Response:
            if schema.draft is None:
                return _not_found(schema.id, "No draft (create one first) for export schema")
            updated = _replace(schema, draft=content)
            tx.save_schema(updated)
            return Response(200, _with_content(_custom_item(updated), content))

        return self._custom_work(call, change)

    def _discard_draft(self, call: Call) -> Work:
        def change(tx: Transaction, schema: StoredSchema) -> Response:
            if schema.draft is None:
                return _not_found(schema.id, "No draft for export schema")
            tx.save_schema(_replace(schema, draft=None))
            return Response(204)

        return self._custom_work(call, change)

    def _publish(self, call: Call) -> Work:
        def change(tx: Transaction, schema: StoredSchema) -> Response:
            if schema.draft is None:
                return _not_found(schema.id, "No draft to publish for export schema")
            updated = _replace(schema, version=schema.version + 1, content=schema.draft, draft=None)
            tx.save_schema(updated)
            return Response(200, _with_content(_custom_item(updated), updated.content))

        return self._custom_work(call, change)


def _id(call: Call) -> str:
    if call.schema_id is None:  # the router only sends id-bearing paths here
        raise ValueError("route without a schema id")
    return call.schema_id


def _replace(schema: StoredSchema, **changes: Any) -> StoredSchema:
    return replace(schema, **changes)


def _json_body(body: bytes) -> Any:
    """The parsed JSON body. Raises BodyProblem for anything that is not JSON."""
    if not body.strip():
        raise BodyProblem(
            "Request body is required (a JSON object)",
            {"field": "body", "errors": [{"field": "body", "message": "missing"}]},
        )
    try:
        return json.loads(body)
    except (ValueError, RecursionError) as problem:
        reason = str(problem) if isinstance(problem, ValueError) else "nested too deeply"
        raise BodyProblem(
            f"Request body is not valid JSON: {reason}",
            {"field": "body", "errors": [{"field": "body", "message": reason}]},
        ) from None

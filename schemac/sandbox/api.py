"""The sandbox's behaviour, independent of HTTP plumbing: a request in, a response out.

Order of checks for every ``/v1`` request (each step can end the request):
fault draw (503 before work) -> route (404/405) -> API key (401) -> rate limit (429) ->
schema id format (400) -> Idempotency-Key format (400) -> body (400) -> idempotency replay,
conflict or wait (200-409) -> the work, in one transaction with its idempotency record ->
fault after work (500 or a dropped connection).

The endpoints themselves are ``endpoints.py``; which one answers a path is ``routes.py``.
"""

from __future__ import annotations

import hashlib
import re
import sys
import time
import traceback
from urllib.parse import parse_qsl, urlsplit

from schemac.sandbox.artifacts import ARTIFACT_PREFIX, serve_artifact
from schemac.sandbox.bodies import lone_surrogate_field, too_large
from schemac.sandbox.catalog import load_catalog
from schemac.sandbox.config import MAX_BODY_BYTES, SandboxConfig
from schemac.sandbox.endpoints import Call, Endpoint, SandboxData, Work
from schemac.sandbox.faults import Fault, FaultInjector
from schemac.sandbox.idempotency import InFlight, fingerprint, parse_key
from schemac.sandbox.messages import message_source
from schemac.sandbox.models import BodyProblem
from schemac.sandbox.openapi import build_openapi
from schemac.sandbox.pauses import Point
from schemac.sandbox.ratelimit import RateLimiter
from schemac.sandbox.responses import Headers, Response, error, method_not_allowed, new_request_id
from schemac.sandbox.routes import ID_PARAMETERS, route
from schemac.sandbox.store import IdempotencyRecord, Store

_ID_PATTERNS = {name: re.compile(pattern) for name, (_, pattern) in ID_PARAMETERS.items()}
MUTATING_METHODS = frozenset({"POST", "PUT", "DELETE"})
IDEMPOTENT_METHODS = frozenset({"POST", "DELETE"})


def account_of(api_key: str) -> str:
    """A stable account id for an API key: each key is its own account, across restarts."""
    return "acct_" + hashlib.sha256(api_key.encode()).hexdigest()[:16]


class SandboxApp:
    """The sandbox's request pipeline. Thread-safe: one instance serves all connections."""

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.store = Store(config.state)
        self.limiter = RateLimiter(config.rate_limit_per_minute, config.rate_limit_per_hour)
        self.faults = FaultInjector(config.fault_rate, config.fault_seed)
        self.accounts = {key: account_of(key) for key in config.api_keys}
        self.openapi = build_openapi(config)
        self.catalog = load_catalog(config.catalog, config.exchanges)
        self.messages = message_source(config.messages, config.message_rate, config.message_seed)
        self.data = SandboxData(self.catalog, self.messages, self.store)
        self._in_flight = InFlight()

    def close(self) -> None:
        self.store.close()

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
        path, query = urlsplit(target)[2:4]
        if path.startswith(ARTIFACT_PREFIX):  # signed file URLs: not API, like S3's
            return serve_artifact(self.store, method, target, self.config.clock())
        if path == "/v1/openapi.json":
            # The description is public: tools fetch it without a key, outside faults and limits.
            response = (
                Response(200, self.openapi) if method == "GET" else method_not_allowed(["GET"])
            )
            response.headers.update(self.limiter.full_headers())
            return response
        fault = self.faults.draw() if path == "/v1" or path.startswith("/v1/") else None
        if fault is Fault.UNAVAILABLE:
            response = error(503, "unavailable", "The service is temporarily unavailable")
            response.headers.update(self.limiter.full_headers())
            return response
        response = self._authenticated(method, path, query, headers, body)
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

    def _authenticated(
        self, method: str, path: str, query: str, headers: Headers, body: bytes
    ) -> Response:
        found = route(path)
        if found is None:
            response = error(404, "not_found", f"No such endpoint: {path}")
            response.headers.update(self.limiter.full_headers())
            return response
        operations, params = found
        if method not in operations:
            response = method_not_allowed(sorted(operations))
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
            host = headers.get("Host")
            call = Call(method, path, account, body, params, _query(query), self.data, host)
            response = self._routed(call, operations[method], headers)
        response.headers.update(decision.headers)
        return response

    def _routed(self, call: Call, endpoint: Endpoint, headers: Headers) -> Response:
        for name, value in call.params.items():
            if name in _ID_PATTERNS and not _ID_PATTERNS[name].fullmatch(value):
                what, pattern = ID_PARAMETERS[name]
                return error(
                    400,
                    "invalid_argument",
                    f"Invalid {what}",
                    {"field": name, "pattern": pattern, "provided": value[:200]},
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
            return too_large(len(call.body))
        surrogate_at = lone_surrogate_field(call.body)
        if surrogate_at is not None:
            # Not Unicode text: it can be neither stored nor sent back as UTF-8.
            message = "contains an unpaired UTF-16 surrogate (not valid Unicode text)"
            return error(
                400,
                "invalid_argument",
                f"Invalid text in field {surrogate_at[:200]}: {message}",
                {
                    "field": surrogate_at[:200],
                    "errors": [{"field": surrogate_at[:200], "message": message}],
                },
            )
        try:
            work = endpoint(call, self.config)
        except BodyProblem as problem:
            return error(400, "invalid_argument", problem.message, problem.details)
        if key is None:
            return self._run(call, work)
        return self._run_idempotent(call, key, work)

    def _run(self, call: Call, work: Work) -> Response:
        if call.method in MUTATING_METHODS and self.config.mutation_delay:
            time.sleep(self.config.mutation_delay)
        self._pause(Point.BEFORE_WORK, call)
        with self.store.transaction() as tx:
            response = work(tx)
        self._pause(Point.AFTER_COMMIT, call)
        return response

    def _pause(self, point: Point, call: Call) -> None:
        if self.config.pause_points is not None:
            self.config.pause_points.reached(point, call.method, call.path)

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
            self._pause(Point.BEFORE_WORK, call)
            with self.store.transaction() as tx:
                response = work(tx)
                now = self.config.clock()
                tx.put_idempotency(
                    call.account,
                    key,
                    IdempotencyRecord(request_fingerprint, response.status, response.body, now),
                    expired_before=now - self.config.idempotency_ttl,
                )
            self._pause(Point.AFTER_COMMIT, call)
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


def _query(query: str) -> dict[str, str]:
    """The query parameters, the first value of each (blank values kept: ``?limit=`` is bad)."""
    found: dict[str, str] = {}
    for name, value in parse_qsl(query, keep_blank_values=True):
        found.setdefault(name, value)
    return found

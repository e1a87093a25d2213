"""The one way schemac talks to the API: the official ``ticksupply`` client, wrapped.

The wrapper adds what a safe publish needs and the client lacks:

- one request budget per session (:mod:`.budget`), shared by its parallel workers and sized
  from the ``X-RateLimit-*`` headers of every response, so that the workers take turns instead
  of meeting 429s; a 429 holds every worker for its ``Retry-After`` (with jitter);
- retries of 429, 5xx, 408, timeouts, lost connections and "same Idempotency-Key still in
  progress" 409s, bounded, with exponential backoff and jitter (the client's own retries are
  turned off: they ignore Retry-After and wait seconds);
- idempotency keys derived from what an operation means (:func:`idempotency_key`), so a retry
  or a re-run after a crash sends the same key and the server replays instead of repeating;
- every published content a response carries kept in the project's cache (:mod:`.cache`) when
  the session has one;
- request counting (the benchmark and the tests read it) and masking of the API key, in each
  form a message can hold it in, in every message that leaves this module (:class:`Masker`,
  :func:`describe_error`); a key an HTTP header cannot carry is refused before any request
  (:func:`key_problem`).
"""

from __future__ import annotations

import random
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from schemac.remote.budget import BudgetSpent, RequestBudget
from schemac.remote.masking import Masker as Masker  # re-exported: the CLI masks with it
from schemac.remote.masking import key_problem

if TYPE_CHECKING:
    from ticksupply import Client
    from ticksupply.exceptions import APIError, RateLimitError
    from ticksupply.models.schema import ExportSchemaListItem, ExportSchemaWithVersion
    from ticksupply.resources.export_schemas import ExportSchemasResource

    from schemac.remote.cache import RemoteCache

DEFAULT_BASE_URL = "https://api.ticksupply.com/v1"
ENV_API_KEY = "TICKSUPPLY_API_KEY"
ENV_BASE_URL = "TICKSUPPLY_BASE_URL"
# uuid5 namespace of schemac's idempotency keys (fixed forever: changing it changes every key).
KEY_NAMESPACE = uuid.UUID("5c7e3a1e-2b0f-5d6c-9a4e-73636865616d")
MAX_PARALLEL_GETS = 8
MAX_RETRY_AFTER = 120.0  # a longer Retry-After is reported instead of waited for

T = TypeVar("T")


class RemoteError(Exception):
    """A request failed for good (after retries, or not retryable). The message is masked."""

    def __init__(self, message: str, *, status: int | None = None, code: str | None = None):
        super().__init__(message)
        self.status = status
        self.code = code


class InvalidApiKey(RemoteError):
    """An API key that cannot be sent; refused before any request. The message names the
    problem, never the key."""


def describe_error(error: BaseException, mask: Masker) -> str:
    """One line for any failure of a request, with the request id when there is one."""
    from ticksupply.exceptions import APIError, NetworkError

    if isinstance(error, APIError):
        text = f"HTTP {error.http_status} {error.code}: {error.message}"
        if error.request_id:
            text += f" (request id {error.request_id})"
    elif isinstance(error, NetworkError):
        cause = error.cause
        reason = type(cause).__name__ if cause is not None else "network error"
        text = f"no response ({reason}: {cause or error})"
    else:
        text = f"{type(error).__name__}: {error}"
    return mask(text)


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 6  # tries in total for one request
    initial: float = 0.5  # first backoff, seconds; doubles each retry
    cap: float = 8.0


def idempotency_key(
    operation: str, identity: str, base_version: int, content_hash: str, attempt: int = 0
) -> str:
    """A UUID that names one logical operation: (what, on which schema, from which version,
    with which content, which attempt). Same inputs, same key, on every run and machine."""
    text = "\x1f".join([operation, identity, str(base_version), content_hash, str(attempt)])
    return str(uuid.uuid5(KEY_NAMESPACE, text))


def new_budget(sleep: Callable[[float], None]) -> RequestBudget:
    """The request budget of a new session (a seam: a test runs sessions on a fast clock)."""
    return RequestBudget(sleep=sleep)


@dataclass
class Remote:
    """An API session: the official client plus retries, a shared request budget, counting
    and masking, and (when ``cache`` is set) remembering every published content it sees."""

    api_key: str
    base_url: str = DEFAULT_BASE_URL
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    timeout: float = 30.0
    log: Callable[[str], None] | None = None
    mask: Masker = field(default_factory=Masker)
    requests: Counter[str] = field(default_factory=Counter)
    # How a retry waits; a seam so that tests can wait a Retry-After without sleeping.
    sleep: Callable[[float], None] = time.sleep
    # One budget for every worker of the session (default: new_budget(sleep)).
    budget: RequestBudget | None = None
    cache: RemoteCache | None = None
    rate_limited: int = 0  # 429 answers received

    def __post_init__(self) -> None:
        problem = key_problem(self.api_key)
        if problem is not None:
            raise InvalidApiKey(problem)
        from ticksupply import Client

        self.mask.add(self.api_key)
        if self.budget is None:
            self.budget = new_budget(self.sleep)
        self._client = Client(
            self.api_key, base_url=self.base_url, timeout=self.timeout, max_retries=0
        )
        _watch_responses(self._client, self.budget.observe)
        self._lock = threading.Lock()

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Remote:
        return self

    def __exit__(self, *args: object) -> None:
        self.close()

    @property
    def schemas(self) -> ExportSchemasResource:
        return self._client.export_schemas

    def call(self, label: str, method: str, request: Callable[[], T]) -> T:
        """Run one request with retries; raise RemoteError (masked) when it fails for good."""
        from ticksupply.exceptions import APIError, NetworkError, RateLimitError, ServerError

        budget = self.budget
        assert budget is not None  # set by __post_init__
        for attempt in range(1, self.retry.attempts + 1):
            try:
                budget.acquire()
            except BudgetSpent as spent:
                raise RemoteError(
                    f"{method} {label}: {spent}; try again later", status=429
                ) from None
            with self._lock:
                self.requests[method] += 1
            try:
                result = request()
                self._log(f"{method} {label}: ok")
                return result
            except (RateLimitError, ServerError, NetworkError, APIError) as error:
                described = describe_error(error, self.mask)
                retryable = isinstance(error, (RateLimitError, ServerError, NetworkError)) or (
                    isinstance(error, APIError) and _retryable_api_error(error)
                )
                self._log(f"{method} {label}: {described}")
                if not retryable or attempt == self.retry.attempts:
                    status = error.http_status if isinstance(error, APIError) else None
                    code = error.code if isinstance(error, APIError) else None
                    tries = f" after {attempt} tries" if retryable else ""
                    raise RemoteError(
                        f"{method} {label} failed{tries}: {described}", status=status, code=code
                    ) from None
                if isinstance(error, RateLimitError):
                    self._rate_limited(method, label, error)
                else:
                    self.sleep(self._backoff(attempt))
            finally:
                budget.release()
        raise AssertionError("unreachable")  # pragma: no cover

    def _rate_limited(self, method: str, label: str, error: RateLimitError) -> None:
        """A 429: every worker of the session holds for Retry-After (with jitter); the next
        try waits for its slot in :meth:`RequestBudget.acquire`."""
        with self._lock:
            self.rate_limited += 1
        retry_after = float(error.retry_after or 1)
        if retry_after > MAX_RETRY_AFTER:
            raise RemoteError(
                f"{method} {label}: rate limited for {retry_after:g}s; try again later",
                status=429,
                code=error.code,
            ) from None
        assert self.budget is not None
        self.budget.pause(retry_after)

    def _backoff(self, attempt: int) -> float:
        return min(self.retry.cap, self.retry.initial * 2.0 ** (attempt - 1)) * random.uniform(
            0.5, 1.0
        )

    def _log(self, text: str) -> None:
        if self.log is not None:
            self.log(self.mask(text))

    # -- the export-schema endpoints schemac uses ------------------------------------------

    def list_schemas(self) -> list[ExportSchemaListItem]:
        return self.call("/export-schemas", "GET", self.schemas.list)

    def get(self, schema_id: str) -> ExportSchemaWithVersion:
        return self._published(
            self.call(f"/export-schemas/{schema_id}", "GET", lambda: self.schemas.get(schema_id))
        )

    def _published(self, response: ExportSchemaWithVersion) -> ExportSchemaWithVersion:
        """``response`` holds a published version's content (get, create, publish): the cache
        keeps it under (id, version), which no later change can make wrong."""
        if self.cache is not None:
            from schemac.remote.content import wire_from_response

            self.cache.put(wire_from_response(response))
        return response

    def get_draft(self, schema_id: str) -> ExportSchemaWithVersion | None:
        """The draft, or None when there is none (404)."""
        try:
            return self.call(
                f"/export-schemas/{schema_id}/draft",
                "GET",
                lambda: self.schemas.get_draft(schema_id),
            )
        except RemoteError as error:
            if error.status == 404:
                return None
            raise

    def get_many(self, requests: list[Callable[[], T]]) -> list[T]:
        """Run reads in parallel (bounded), results in order; the first failure is raised."""
        if len(requests) <= 1:
            return [request() for request in requests]
        with ThreadPoolExecutor(max_workers=min(MAX_PARALLEL_GETS, len(requests))) as pool:
            futures = [pool.submit(request) for request in requests]
            return [future.result() for future in futures]

    def create(
        self, name: str, category: str, content: dict[str, Any], key: str
    ) -> ExportSchemaWithVersion:
        response = self.call(
            "/export-schemas",
            "POST",
            lambda: self.schemas.create(
                name,
                category,
                content["columns"],
                unfold=content.get("unfold"),
                derive=content.get("derive"),
                idempotency_key=key,
            ),
        )
        return self._published(response)

    def create_draft(
        self, schema_id: str, content: dict[str, Any], key: str
    ) -> ExportSchemaWithVersion:
        return self.call(
            f"/export-schemas/{schema_id}/draft",
            "POST",
            lambda: self.schemas.create_draft(
                schema_id,
                columns=content["columns"],
                unfold=content.get("unfold"),
                derive=content.get("derive"),
                idempotency_key=key,
            ),
        )

    def publish_draft(self, schema_id: str, key: str) -> ExportSchemaWithVersion:
        return self._published(
            self.call(
                f"/export-schemas/{schema_id}/publish",
                "POST",
                lambda: self.schemas.publish_draft(schema_id, idempotency_key=key),
            )
        )

    def discard_draft(self, schema_id: str, key: str) -> bool:
        """Discard the draft; False when there was none (404)."""
        try:
            self.call(
                f"/export-schemas/{schema_id}/draft",
                "DELETE",
                lambda: self.schemas.discard_draft(schema_id, idempotency_key=key),
            )
        except RemoteError as error:
            if error.status == 404:
                return False
            raise
        return True

    @property
    def writes(self) -> int:
        return self.requests["POST"] + self.requests["PUT"] + self.requests["DELETE"]


def _watch_responses(client: Client, observe: Callable[[Mapping[str, str]], None]) -> None:
    """Have every response's headers reach ``observe`` (the rate-limit headers), through an
    httpx response hook on the client's connection pool. The official client exposes neither
    the headers nor a hook, so this reaches into it; if its layout changes, the budget keeps
    its documented defaults and still honours Retry-After (a test holds the hook working)."""
    http_client = getattr(getattr(client, "_http_client", None), "_get_client", None)
    if http_client is None:
        return
    pool = http_client()
    hooks = pool.event_hooks
    hooks["response"] = [*hooks.get("response", []), lambda response: observe(response.headers)]
    pool.event_hooks = hooks


def _retryable_api_error(error: APIError) -> bool:
    if error.http_status == 408 or error.code == "request_timeout" or error.http_status >= 500:
        return True
    details = error.details or {}
    # The server still runs the original request of this Idempotency-Key: wait and ask again.
    return error.http_status == 409 and details.get("reason") == "in_progress"

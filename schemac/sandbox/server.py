"""The HTTP layer (stdlib ``http.server``) and the library entry point ``start_sandbox``."""

from __future__ import annotations

import contextlib
import json
import socket
import sys
import threading
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from schemac.sandbox.api import SandboxApp
from schemac.sandbox.bodies import read_body
from schemac.sandbox.config import DEFAULTS, SandboxConfig
from schemac.sandbox.responses import Response, error, new_request_id

if TYPE_CHECKING:
    from ticksupply import Client

    from schemac.sandbox.catalog import SandboxCatalog
    from schemac.sandbox.exportparts import ExportRenderer
    from schemac.sandbox.messages import MessageSource
    from schemac.sandbox.pauses import PausePoints


class _Server(ThreadingHTTPServer):
    # Handler threads are joined on close (after their sockets are shut), so stop() returns
    # only when no request is still touching the store.
    daemon_threads = False
    block_on_close = True
    # The listen backlog (the kernel caps it at net.core.somaxconn). The standard library's 5
    # made a burst of a few hundred clients see resets and timeouts while handler threads
    # started; each accepted connection gets its own thread at once, so the queue only has to
    # hold a burst until the accept loop reaches it.
    request_queue_size = 4096

    def __init__(
        self, address: tuple[str, int], app: SandboxApp, log: Callable[[str], None] | None
    ):
        self.app = app
        self.log = log
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.address_family = family
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        with self._connections_lock:
            open_connections = list(self._connections)
        for connection in open_connections:
            # OSError: the peer closed it already.
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hangs up mid-response is normal traffic for a fault-injecting server.
        if isinstance(sys.exc_info()[1], OSError):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "schemac-sandbox"
    # Headers and body go out in two writes; without TCP_NODELAY, Nagle's algorithm and the
    # peer's delayed ACK add ~40 ms to every response.
    disable_nagle_algorithm = True
    timeout = 120  # idle keep-alive connections are closed after this many seconds
    server: _Server

    def version_string(self) -> str:
        return self.server_version

    def do_GET(self) -> None:
        self._dispatch()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = do_GET

    def _dispatch(self) -> None:
        body = self._read_body()
        if isinstance(body, Response):
            self.close_connection = True
            body.headers["X-Request-Id"] = new_request_id()
            self._send(body)
            return
        self._send(self.server.app.handle(self.command, self.path, self.headers, body))

    def _read_body(self) -> bytes | Response:
        return read_body(self.rfile, self.headers)

    def _send(self, response: Response) -> None:
        if response.drop_connection:
            # An injected lost response: the work is committed, the client hears nothing.
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        if isinstance(response.body, bytes):  # a file (an export's artifact): its own type
            payload = response.body
        else:
            payload = b"" if response.body is None else json.dumps(response.body).encode()
        self.send_response(response.status)
        if response.body is not None and "Content-Type" not in response.headers:
            self.send_header("Content-Type", "application/json")
        if response.status != 204:
            self.send_header("Content-Length", str(len(payload)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Protocol-level errors (bad request line, oversized headers) in the API's envelope."""
        self.close_connection = True
        api_code = "not_found" if code == 404 else "invalid_argument"
        response = error(code if code < 500 else 400, api_code, message or "Bad request")
        response.headers["X-Request-Id"] = new_request_id()
        if not hasattr(self, "command") or self.command is None:
            self.command = "GET"
        if not hasattr(self, "request_version"):
            self.request_version = "HTTP/1.1"
        self._send(response)

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.log is not None:
            self.server.log(f"{self.address_string()} {format % args}")


class Sandbox:
    """A running sandbox. ``url`` is the base URL to give the client (ends in ``/v1``).

    Use as a context manager, or call ``stop()``.
    """

    def __init__(self, app: SandboxApp, server: _Server, thread: threading.Thread) -> None:
        self.app = app
        self._server = server
        self._thread = thread
        self._stopped = False
        host, port = server.server_address[:2]
        self.host: str = str(host)
        self.port: int = int(port)
        shown_host = f"[{self.host}]" if ":" in self.host else self.host
        self.url = f"http://{shown_host}:{self.port}/v1"

    @property
    def config(self) -> SandboxConfig:
        return self.app.config

    @property
    def catalog(self) -> SandboxCatalog:
        """The exchanges, instruments and datastreams this sandbox serves."""
        return self.app.catalog

    @property
    def messages(self) -> MessageSource:
        """The raw messages each datastream holds (before clipping to subscription spans)."""
        return self.app.messages

    @property
    def api_keys(self) -> tuple[str, ...]:
        return self.app.config.api_keys

    @property
    def fault_counts(self) -> dict[str, int]:
        """How many faults of each kind were injected so far."""
        return {fault.value: count for fault, count in self.app.faults.counts.items()}

    def client(self, api_key: str | None = None, **options: Any) -> Client:
        """An official ``ticksupply.Client`` for this sandbox (first API key by default).

        Retries are off unless ``max_retries`` is given, so tests see every response.
        """
        from ticksupply import Client

        options.setdefault("max_retries", 0)
        options.setdefault("timeout", 10.0)
        return Client(api_key or self.api_keys[0], base_url=self.url, **options)

    def stop(self) -> None:
        """Stop serving, close open connections, wait for running requests, close the store."""
        if self._stopped:
            return
        self._stopped = True
        self._server.shutdown()
        self._server.close_connections()
        self._server.server_close()
        self._thread.join()
        self.app.close()

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def serve(
    config: SandboxConfig,
    log: Callable[[str], None] | None = None,
    poll_interval: float = 0.01,
) -> Sandbox:
    """Start a sandbox for ``config`` in a background thread. Raises ValueError for a bad
    configuration and OSError when the address cannot be bound. ``stop()`` takes up to
    ``poll_interval`` seconds: short for tests, which start and stop hundreds of sandboxes."""
    problems = config.problems()
    if problems:
        raise ValueError("; ".join(problems))
    app = SandboxApp(config)
    try:
        server = _Server((config.host, config.port), app, log)
    except BaseException:
        app.close()
        raise
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": poll_interval}, name="schemac-sandbox"
    )
    thread.daemon = True
    thread.start()
    return Sandbox(app, server, thread)


def start_sandbox(
    api_keys: Iterable[str] = DEFAULTS.api_keys,
    *,
    host: str = DEFAULTS.host,
    port: int = DEFAULTS.port,
    state: str | Path | None = DEFAULTS.state,
    fault_rate: float = DEFAULTS.fault_rate,
    fault_seed: int | None = DEFAULTS.fault_seed,
    rate_limit_per_minute: int = DEFAULTS.rate_limit_per_minute,
    rate_limit_per_hour: int = DEFAULTS.rate_limit_per_hour,
    max_columns: int = DEFAULTS.max_columns,
    exchanges: Iterable[tuple[str, str]] | None = DEFAULTS.exchanges,
    idempotency_ttl: float = DEFAULTS.idempotency_ttl,
    idempotency_wait: float = DEFAULTS.idempotency_wait,
    mutation_delay: float = DEFAULTS.mutation_delay,
    allow_remote: bool = DEFAULTS.allow_remote,
    clock: Callable[[], float] | None = None,
    pause_points: PausePoints | None = None,
    log: Callable[[str], None] | None = None,
    catalog: Iterable[str | Path] = DEFAULTS.catalog,
    messages: str | Path | None = DEFAULTS.messages,
    message_rate: float = DEFAULTS.message_rate,
    message_seed: int = DEFAULTS.message_seed,
    backfill: float = DEFAULTS.backfill,
    ingestion_delay: float = DEFAULTS.ingestion_delay,
    export_delay: float = DEFAULTS.export_delay,
    export_fail_rate: float = DEFAULTS.export_fail_rate,
    renderer: ExportRenderer | None = None,
) -> Sandbox:
    """Start a local Ticksupply API in a background thread; see ``Sandbox`` and the example
    in ``schemac.sandbox``.

    Each API key is its own account. ``port=0`` picks a free port (read ``.port``/``.url``).
    ``state`` is a SQLite file that keeps data across restarts (default: memory). With
    ``fault_rate`` p, each request fails with probability p, reproducibly for one
    ``fault_seed``: a 503 before any work, or, after the work is committed, a 500 or a closed
    connection. ``clock`` (Unix seconds), ``mutation_delay`` and ``pause_points`` exist for
    tests (docs/sandbox.md). ``log`` receives one line per request (default: silent). A
    non-loopback ``host`` is refused (ValueError) unless ``allow_remote`` is true, and then
    the default API key is refused. ``catalog`` files extend the shipped catalog;
    ``messages`` is a folder of recorded raw messages (default: synthesised at
    ``message_rate`` per second per datastream, timed by ``message_seed``); a new
    subscription's first span starts ``backfill`` seconds before it is created; availability
    lags now by ``ingestion_delay`` seconds. Exports take ``export_delay`` seconds, a share
    ``export_fail_rate`` of them fails, and ``renderer`` renders their schemas (schemac's:
    ``schemac.run.exportrender.ClickHouseExportRenderer``; None: raw CSV only).
    """
    given = dict(locals())  # first: the parameters are SandboxConfig's fields, plus log
    import time

    del given["log"]
    converted = {
        "api_keys": tuple(api_keys),
        "state": Path(state) if state is not None else None,
        "exchanges": None if exchanges is None else tuple(exchanges),
        "clock": clock or time.time,
        "catalog": tuple(Path(path) for path in catalog),
        "messages": Path(messages) if messages is not None else None,
    }
    return serve(SandboxConfig(**{**given, **converted}), log)

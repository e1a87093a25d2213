"""A burst of concurrent clients, far past the standard library's listen backlog of 5, is
answered in full: no reset, no timeout. (`benchmarks/sandbox_load.py` does 1,000 with latencies.)"""

from __future__ import annotations

import socket
import threading
from collections import Counter

from schemac.sandbox import start_sandbox

from .conftest import API_KEY

CLIENTS = 200


def _one_request(host: str, port: int, start: threading.Barrier) -> str:
    """The status code of one GET on a fresh connection, or the name of the error."""
    start.wait()
    request = (
        f"GET /v1/exchanges HTTP/1.1\r\nHost: {host}\r\nX-Api-Key: {API_KEY}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    try:
        with socket.create_connection((host, port), timeout=10) as connection:
            connection.sendall(request)
            received = b""
            while data := connection.recv(65536):
                received += data
    except OSError as problem:
        return type(problem).__name__
    return received.split(b" ", 2)[1].decode() if received else "closed without a response"


def test_a_burst_of_concurrent_clients_is_answered_without_a_reset() -> None:
    outcomes: list[str] = []
    lock = threading.Lock()
    with start_sandbox([API_KEY], rate_limit_per_minute=10 * CLIENTS) as sandbox:
        start = threading.Barrier(CLIENTS)

        def client() -> None:
            outcome = _one_request(sandbox.host, sandbox.port, start)
            with lock:
                outcomes.append(outcome)

        threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert Counter(outcomes) == {"200": CLIENTS}

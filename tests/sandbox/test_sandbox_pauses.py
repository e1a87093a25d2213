"""The test-only pause points: a chosen request stops at a chosen point until released."""

from __future__ import annotations

import threading
from typing import Any

import httpx

from schemac.sandbox import start_sandbox
from schemac.sandbox.pauses import Arrival, PausePoints, Point

from .conftest import API_KEY
from .helpers import create_body

HEADERS = {"X-Api-Key": API_KEY}


def _in_thread(request: Any) -> tuple[threading.Thread, list[httpx.Response]]:
    answers: list[httpx.Response] = []
    thread = threading.Thread(target=lambda: answers.append(request()), daemon=True)
    thread.start()
    return thread, answers


def test_a_create_held_after_commit_is_visible_before_its_answer() -> None:
    def is_create(arrival: Arrival) -> bool:
        return arrival.method == "POST" and arrival.path == "/v1/export-schemas"

    pauses = PausePoints(is_create, points=(Point.AFTER_COMMIT,))
    with start_sandbox([API_KEY], pause_points=pauses) as sandbox, pauses:
        url = f"{sandbox.url}/export-schemas"
        thread, answers = _in_thread(lambda: httpx.post(url, json=create_body(), headers=HEADERS))
        held = pauses.next_held(timeout=10)
        assert held is not None and held.arrival == Arrival(
            Point.AFTER_COMMIT, "POST", "/v1/export-schemas"
        )
        # Committed, not yet answered: another client already sees the schema.
        listed = httpx.get(url, headers=HEADERS).json()
        assert "my_trades" in [item["name"] for item in listed] and answers == []
        held.release()
        thread.join(10)
    assert answers[0].status_code == 201
    assert pauses.timed_out == 0


def test_a_request_held_before_its_work_has_done_nothing_yet() -> None:
    pauses = PausePoints(lambda arrival: arrival.method == "POST")
    with start_sandbox([API_KEY], pause_points=pauses) as sandbox, pauses:
        url = f"{sandbox.url}/export-schemas"
        thread, answers = _in_thread(lambda: httpx.post(url, json=create_body(), headers=HEADERS))
        held = pauses.next_held(timeout=10)
        assert held is not None and held.arrival.point is Point.BEFORE_WORK
        listed = httpx.get(url, headers=HEADERS).json()  # GETs are not matched: not held
        assert "my_trades" not in [item["name"] for item in listed]
        pauses.release_all()
        thread.join(10)
        assert answers[0].status_code == 201
        # After release_all nothing is held any more.
        assert httpx.post(url, json=create_body("other"), headers=HEADERS).status_code == 201
        assert pauses.next_held(timeout=0.01) is None


def test_a_held_request_goes_on_by_itself_after_the_hold_timeout() -> None:
    pauses = PausePoints(hold_timeout=0.05)
    with start_sandbox([API_KEY], pause_points=pauses) as sandbox:
        response = httpx.get(f"{sandbox.url}/exchanges", headers=HEADERS)
    assert response.status_code == 200 and pauses.timed_out == 1


def test_without_pause_points_nothing_is_held(sandbox: Any) -> None:
    assert sandbox.config.pause_points is None
    assert httpx.get(f"{sandbox.url}/exchanges", headers=HEADERS).status_code == 200

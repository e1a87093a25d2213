"""Two publishers of one schema, in every order their requests can reach the sandbox: exactly one
reports "published" (its content is live at base + 1) and the other "moved"."""

from __future__ import annotations

import itertools
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import partial

import pytest

from remote.conftest import API_KEY
from remote.helpers_remote import FEE_COLUMN, trades_yaml
from remote.interleave import Run, every_schedule, following, play
from remote.test_reliability import PATIENT, local
from schemac.remote.apply import ApplyResult, apply_plan
from schemac.remote.client import Remote
from schemac.remote.content import content_body, same_content, wire_from_response
from schemac.remote.plan import RemoteSchema, SchemaPlan, build_plan
from schemac.sandbox import Sandbox, start_sandbox
from schemac.sandbox.pauses import PausePoints

_names = itertools.count()
A, B = 0, 1
Chooser = Callable[[int, tuple[int, ...]], int]


@dataclass
class Race:
    sandbox: Sandbox
    pauses: PausePoints
    admin: Remote  # seeds and checks
    publishers: list[Remote]  # A and B (clients are reused: each costs ~0.3 s of TLS setup)


@pytest.fixture(scope="module")
def race() -> Iterator[Race]:
    """One sandbox for every race of this module (each race publishes a schema of its own)."""
    pauses = PausePoints()
    pauses.release_all()  # nothing is held until a race says what
    with start_sandbox(
        [API_KEY], rate_limit_per_minute=10**7, rate_limit_per_hour=10**8, pause_points=pauses
    ) as sandbox:
        remotes = [Remote(API_KEY, sandbox.url, retry=PATIENT) for _ in range(3)]
        try:
            yield Race(sandbox, pauses, remotes[0], remotes[1:])
        finally:
            for remote in remotes:
                remote.close()


@dataclass
class Contest:
    """One schema at v1 and the two publishers' plans to change it, each its own way."""

    schema_id: str
    texts: list[str]
    plans: list[list[SchemaPlan]]


def new_contest(race: Race) -> Contest:
    name = f"race_{next(_names)}"
    base = local(trades_yaml(name=name))
    created = race.admin.create(name, "trade", content_body(base.body), str(uuid.uuid4()))
    seen = RemoteSchema(created.id, name, "trade", 1, False, body=base.body)
    texts = [
        trades_yaml(FEE_COLUMN, name=name),
        trades_yaml(FEE_COLUMN.replace("fee", "tax"), name=name),
    ]
    plans = [
        build_plan([local(text)], [replace(seen)], include_remote_only=False).schemas
        for text in texts
    ]
    return Contest(created.id, texts, plans)


def check_one_winner(race: Race, contest: Contest, results: list[ApplyResult], story: str) -> int:
    """Exactly one publisher says published, its content is live at v2, no draft is left;
    the other says moved. Returns the winner."""
    outcomes = [result.outcomes[0] for result in results]
    story = f"{story} -> {[(o.status, o.message) for o in outcomes]}"
    assert sorted(o.status for o in outcomes) == ["moved", "published"], story
    winner = next(i for i, o in enumerate(outcomes) if o.status == "published")
    loser = outcomes[1 - winner]
    assert any(word in loser.message for word in ("another writer", "moved", "someone else")), story
    assert outcomes[winner].version == 2, story
    final = race.admin.get(contest.schema_id)
    assert final.version == 2 and not final.has_draft, story
    assert same_content(wire_from_response(final), local(contest.texts[winner]).body), story
    race.admin.call("delete", "DELETE", lambda: race.admin.schemas.delete(contest.schema_id))
    return winner


def run_race(race: Race, choose: Chooser) -> tuple[Run, int]:
    """A new contest, both publishers' requests on its schema released in the order ``choose``
    gives; checked. Returns the run and the winner."""
    contest = new_contest(race)
    path_part = f"/{contest.schema_id}"
    works = [
        partial(apply_plan, remote, plans)
        for remote, plans in zip(race.publishers, contest.plans, strict=True)
    ]
    run = play(race.pauses, lambda arrival: path_part in arrival.path, works, choose)
    return run, check_one_winner(race, contest, run.results, run.story())


def test_every_interleaving_ends_with_one_winner_and_one_moved(race: Race) -> None:
    runs = list(every_schedule(lambda prefix: run_race(race, following(prefix))[0]))
    stories = {run.story() for run in runs}
    assert len(stories) == len(runs) >= 10  # each order once
    assert {len(run.steps) for run in runs} >= {5, 6}  # moves found at every step
    assert race.pauses.timed_out == 0


def test_a_draft_the_other_writer_published_is_not_taken_for_a_stale_replay(race: Race) -> None:
    # The order that used to report "moved" for both: B drafts and reads its draft back, A's
    # draft replaces it, B publishes (A's content goes live), and only then A reads its draft
    # back: gone. A took that for the replay of an old key, drafted again on v2, discarded that
    # and said "moved", while its own content was live.
    run, winner = run_race(race, following([B, B, A, B, A]))
    assert winner == A
    methods = [what.split()[0] for _, _, what in run.steps]
    assert methods == ["POST", "GET", "POST", "POST", "GET", "GET"]  # no second draft


def test_racing_publishes_end_with_one_winner_and_remote_moved(race: Race) -> None:
    # The same race with real threads and no pauses, as often as CI time allows: whatever the
    # scheduler does, one winner.
    winners = []
    for _ in range(200):
        contest = new_contest(race)
        results: list[ApplyResult | None] = [None, None]
        start = threading.Barrier(2)

        def publish(i: int, contest: Contest, start: threading.Barrier, results: list) -> None:
            start.wait()
            results[i] = apply_plan(race.publishers[i], contest.plans[i])

        threads = [
            threading.Thread(target=publish, args=(i, contest, start, results)) for i in (A, B)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        done = [result for result in results if result is not None]
        winners.append(check_one_winner(race, contest, done, "free-running"))
    assert set(winners) <= {A, B}

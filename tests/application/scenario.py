"""A small school's lesson study, built through the service: the givens of the tests.

Imported by the test modules as ``application.scenario`` (tests/ is on the path).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

from eventsourcing.persistence import IntegrityError

from lessonstudy.application import LessonStudy

ServiceFactory = Callable[[str], LessonStudy]

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)

# People, by id. The founder facilitates; everyone else is added with their roles.
FACILITATOR = "fay"
PLANNER = "pat"
INSTRUCTOR = "ian"  # teaches cycle 1
INSTRUCTOR_2 = "ivy"  # teaches the revised lesson in cycle 2
OBSERVER = "oli"
CURATOR = "cam"
KNOWLEDGEABLE_OTHER = "kit"  # a guest, joins with the code
GUEST_OBSERVER = "gus"  # a guest, joins with the code
OUTSIDER = "zed"  # on no team

MEMBERS: dict[str, list[str]] = {
    PLANNER: ["planner"],
    INSTRUCTOR: ["instructor", "planner"],
    INSTRUCTOR_2: ["instructor"],
    OBSERVER: ["observer"],
    CURATOR: ["curator"],
}

LAYOUT = {"G1": ["G1-S1", "G1-S2"], "G2": ["G2-S1", "G2-S2"]}
STEP_1 = {"activity": "Show the bag: 3 red, 1 white ball", "key_question": "Is it fair?"}
STEP_2 = {"activity": "Groups test their guesses", "minutes": 20}


class FakeClock:
    """The service's clock, moved on by the test; every service in a test shares it."""

    def __init__(self, start: dt.datetime = START) -> None:
        self.now = start
        self._lock = threading.Lock()

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> dt.datetime:
        with self._lock:
            self.now += dt.timedelta(**delta)
            return self.now


def form_team(app: LessonStudy) -> str:
    team_id = app.form_team(
        actor_id=FACILITATOR,
        actor_name="Fay",
        name="Grade 6 maths",
        school="Hill School",
        research_theme="Students reason from evidence",
        roles=["facilitator"],
    )
    for person_id, roles in MEMBERS.items():
        app.add_member(
            actor_id=FACILITATOR,
            team_id=team_id,
            person_id=person_id,
            name=person_id.title(),
            roles=roles,
        )
    return str(team_id)


def define_task(app: LessonStudy, team_id: str) -> str:
    task_id = app.define_task(
        actor_id=PLANNER,
        team_id=team_id,
        statement="Which colour is more likely to be drawn from the bag?",
        subject="Mathematics",
        grade="6",
        topic="probability",
        cognitive_demand="analyse",
    )
    return str(task_id)


def catalogue(app: LessonStudy, team_id: str, task_id: str) -> str:
    entry_id = app.catalogue_misconception(
        actor_id=PLANNER,
        team_id=team_id,
        statement="Every outcome is equally likely",
        task_id=task_id,
        topic="probability",
        subject="Mathematics",
    )
    return str(entry_id)


def plan_lesson(app: LessonStudy, team_id: str, task_id: str, misconception_id: str) -> str:
    """A plan with goals, a class layout, two steps and three anticipated responses."""
    lesson_id = str(
        app.plan_lesson(actor_id=PLANNER, team_id=team_id, task_id=task_id, title="Fair bags")
    )
    base = app.get_plan(lesson_id).revision
    edit = {"actor_id": PLANNER, "lesson_id": lesson_id}
    app.change_plan_field(
        **edit, field="lesson_goals", value="Compare likelihoods", base_revision=base
    )
    app.change_plan_field(**edit, field="class_layout", value=LAYOUT, base_revision=base)
    app.add_step(**edit, step_id="s1", fields=STEP_1)
    app.add_step(**edit, step_id="s2", fields=STEP_2)
    app.anticipate_response(
        **edit, step_id="s1", response_id="r1", kind="correct_strategy", text="Red: 3 of 4"
    )
    app.anticipate_response(
        **edit,
        step_id="s2",
        response_id="r2",
        kind="misconception",
        text="Red or white, so 50-50",
        misconception_id=misconception_id,
    )
    app.anticipate_response(
        **edit, step_id="s2", response_id="r3", kind="correct_strategy", text="Counts draws"
    )
    return lesson_id


def lesson_with_plan(app: LessonStudy) -> tuple[str, str, str]:
    """(team_id, misconception_id, lesson_id) of a planned, untaught lesson."""
    team_id = form_team(app)
    task_id = define_task(app, team_id)
    misconception_id = catalogue(app, team_id, task_id)
    return team_id, misconception_id, plan_lesson(app, team_id, task_id, misconception_id)


def teach(app: LessonStudy, lesson_id: str, instructor: str = INSTRUCTOR, label: str = "6A") -> str:
    """A teaching of the current plan version, scheduled and started now."""
    teaching_id = str(
        app.schedule_teaching(
            actor_id=instructor, lesson_id=lesson_id, instructor_id=instructor, class_label=label
        )
    )
    app.start_teaching(actor_id=instructor, teaching_id=teaching_id)
    return teaching_id


def note(text: str, step_id: str = "s1", code: str = "G1-S1", **extra: Any) -> dict[str, Any]:
    """The fields of a note about one seat, said aloud by a student."""
    return {
        "subject_kind": "seat",
        "subject_code": code,
        "kind": "student_talk",
        "text": text,
        "step_id": step_id,
        **extra,
    }


def event_names(app: LessonStudy, aggregate_id: Any) -> list[str]:
    """The names of an aggregate's stored events, in order."""
    return [type(e).__name__ for e in app.events.get(aggregate_id)]


def run_together(*calls: Callable[[], Any], timeout: float = 30) -> list[Any]:
    """Run each call in its own thread, released at the same moment; results or errors."""
    barrier = threading.Barrier(len(calls), timeout=timeout)
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        barrier.wait()
        try:
            results[index] = call()
        except Exception as error:
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(t.is_alive() for t in threads), "a writer hung"
    return results


class SaveGate:
    """Holds each thread's first save until every thread has loaded: a certain race.

    Wraps the services' ``_save_all`` (through monkeypatch) and counts the
    optimistic-concurrency conflicts that made ``_transact`` run a command again.
    """

    def __init__(self, monkeypatch: Any, services: list[LessonStudy], parties: int) -> None:
        self.barrier = threading.Barrier(parties, timeout=20)
        self.conflicts = 0
        self.saves = 0
        self._lock = threading.Lock()
        self._local = threading.local()
        for service in {id(s): s for s in services}.values():
            monkeypatch.setattr(service, "_save_all", self._gated(service._save_all))

    def _gated(self, save: Callable[[list[Any]], list[Any]]) -> Callable[[list[Any]], list[Any]]:
        def gated(aggregates: list[Any]) -> list[Any]:
            if not getattr(self._local, "waited", False):
                self._local.waited = True
                self.barrier.wait()
            try:
                return save(aggregates)
            except IntegrityError:
                with self._lock:
                    self.conflicts += 1
                raise
            finally:
                with self._lock:
                    self.saves += 1

        return gated

"""Each side of the comparison set up on a fresh database, with its operations ready.

A side is prepared (untimed: the team, the plan, the teaching or the bare plan) and
hands back its operations as closures, one list per thread, so the timing loop is
the same code for both sides.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from bench import workload as w
from bench.bare import BareApp
from lessonstudy.application.service import LessonStudy

Op = Callable[[], object]


@dataclass
class Prepared:
    """Operations to time (one list per thread) and how to let go of the side."""

    threads: list[list[Op]]
    close: Callable[[], None]


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def by_observer(specs: list[w.NoteSpec], threaded: bool) -> list[list[w.NoteSpec]]:
    if not threaded:
        return [specs]
    return [[s for s in specs if s.observer_id == o] for o in w.OBSERVERS]


# --- the service ---------------------------------------------------------------------


def service_notes(url: str, specs: list[w.NoteSpec], threaded: bool) -> Prepared:
    service = LessonStudy(url)
    lesson_id = _planned_lesson(service)
    teaching_id = service.schedule_teaching(
        actor_id=w.LEAD, lesson_id=lesson_id, instructor_id=w.INSTRUCTOR, class_label="5B"
    )
    service.start_teaching(actor_id=w.LEAD, teaching_id=teaching_id)

    def op(spec: w.NoteSpec) -> Op:
        return lambda: service.record_note(
            actor_id=spec.observer_id,
            teaching_id=teaching_id,
            note_id=spec.note_id,
            recorded_at=now(),
            **spec.fields,
        )

    threads = [[op(s) for s in part] for part in by_observer(specs, threaded)]
    return Prepared(threads, service.close)


def service_edits(url: str, specs: list[w.EditSpec]) -> Prepared:
    service = LessonStudy(url)
    lesson_id = _planned_lesson(service)
    seen = {"revision": service.get_plan(lesson_id).revision}

    def op(spec: w.EditSpec) -> Op:
        def edit() -> None:
            common: dict[str, Any] = {
                "actor_id": w.LEAD,
                "lesson_id": lesson_id,
                "field": spec.field,
                "value": spec.value,
                "base_revision": seen["revision"],
            }
            if spec.step_id is None:
                change = service.change_plan_field(**common)
            else:
                change = service.change_step(step_id=spec.step_id, **common)
            seen["revision"] = change.revision

        return edit

    return Prepared([[op(s) for s in specs]], service.close)


def _planned_lesson(service: LessonStudy) -> UUID:
    """A team of seven, a task, and a four-step plan with responses and a class layout."""
    team_id = service.form_team(
        actor_id=w.LEAD,
        actor_name="Lead Planner",
        name="Grade 5 mathematics",
        school="Hillside Primary",
        research_theme="Students explain their reasoning about fractions to each other.",
    )
    service.add_member(
        actor_id=w.LEAD,
        team_id=team_id,
        person_id=w.INSTRUCTOR,
        name="Ms Okafor",
        roles=["instructor"],
    )
    for n, observer in enumerate(w.OBSERVERS, 1):
        service.add_member(
            actor_id=w.LEAD,
            team_id=team_id,
            person_id=observer,
            name=f"Observer {n}",
            roles=["observer"],
        )
    task_id = service.define_task(
        actor_id=w.LEAD,
        team_id=team_id,
        statement="Which is bigger, 3/4 or 5/8? Show how you know in two ways.",
        subject="Mathematics",
        grade="5",
        topic="Comparing fractions",
        cognitive_demand="analyse",
    )
    lesson_id = service.plan_lesson(
        actor_id=w.LEAD, team_id=team_id, task_id=task_id, title="Comparing fractions"
    )
    for step in w.STEPS:
        service.add_step(
            actor_id=w.LEAD, lesson_id=lesson_id, step_id=step, fields=_step_fields(step)
        )
        for n, response in enumerate(w.RESPONSES[step]):
            service.anticipate_response(
                actor_id=w.LEAD,
                lesson_id=lesson_id,
                step_id=step,
                response_id=response,
                kind="misconception" if n else "correct_strategy",
                text=w.SENTENCES[n],
            )
    service.change_plan_field(
        actor_id=w.LEAD,
        lesson_id=lesson_id,
        field="class_layout",
        value=w.GROUPS,
        base_revision=None,
    )
    return lesson_id


def _step_fields(step: str) -> dict[str, Any]:
    return {
        "activity": f"Step {step}: " + w.SENTENCES[0],
        "key_question": w.SENTENCES[3],
        "minutes": 10,
    }


# --- the bare baseline -----------------------------------------------------------------


def bare_notes(
    url: str, service_env: dict[str, str], specs: list[w.NoteSpec], threaded: bool
) -> Prepared:
    app = BareApp(url, service_env)
    teaching_id = str(UUID(int=1))
    started_at = now()

    def op(spec: w.NoteSpec) -> Op:
        return lambda: app.record_note(
            teaching_id=teaching_id,
            observer_id=spec.observer_id,
            started_at=started_at,
            note_id=spec.note_id,
            recorded_at=now(),
            fields=spec.fields,
        )

    threads = [[op(s) for s in part] for part in by_observer(specs, threaded)]
    return Prepared(threads, app.close)


def bare_edits(url: str, service_env: dict[str, str], specs: list[w.EditSpec]) -> Prepared:
    app = BareApp(url, service_env)
    plan_id = app.plan(
        fields={"title": "Comparing fractions", "class_layout": w.GROUPS},
        steps={step: _step_fields(step) for step in w.STEPS},
    )
    seen = {"revision": 1}

    def op(spec: w.EditSpec) -> Op:
        def edit() -> None:
            if spec.step_id is None:
                seen["revision"] = app.change_field(
                    plan_id=plan_id, by=w.LEAD, field=spec.field, value=spec.value
                )
            else:
                seen["revision"] = app.change_step(
                    plan_id=plan_id,
                    by=w.LEAD,
                    step_id=spec.step_id,
                    field=spec.field,
                    value=spec.value,
                )

        return edit

    return Prepared([[op(s) for s in specs]], app.close)

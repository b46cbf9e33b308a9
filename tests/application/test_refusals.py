"""Refused commands: when not (the cycle's order), what does not exist, what is not an
id, and a command that keeps losing races. A refusal writes nothing.
"""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest
from application.scenario import (
    CURATOR,
    FACILITATOR,
    INSTRUCTOR,
    OBSERVER,
    PLANNER,
    note,
)
from application.world import World, check_refused
from eventsourcing.persistence import IntegrityError

from lessonstudy.application.errors import ServiceBusyError
from lessonstudy.domain.errors import (
    InvalidValueError,
    LifecycleError,
    NotFoundError,
    PhaseOrderError,
)


def test_lifecycle(world: World) -> None:
    app, disc = world.app, world.discussion_id
    empty = app.plan_lesson(
        actor_id=PLANNER, team_id=world.team_id, task_id=app.get_plan(world.lesson_id).task_id,
        title="Empty",
    )  # fmt: skip
    check_refused(
        app,
        [
            (
                "a note before the lesson starts",
                lambda: app.record_note(
                    actor_id=OBSERVER, teaching_id=world.scheduled_id, note_id="e1", **note("Hi")
                ),
                LifecycleError,
                "teaching_id",
            ),
            (
                "a discussion before the lesson is taught",
                lambda: app.open_discussion(actor_id=FACILITATOR, teaching_id=world.scheduled_id),
                LifecycleError,
                "teaching_id",
            ),
            (
                "a discussion while the lesson is under way",
                lambda: app.open_discussion(actor_id=FACILITATOR, teaching_id=world.live_id),
                LifecycleError,
                "teaching_id",
            ),
            (
                "teaching a plan without steps",
                lambda: app.schedule_teaching(
                    actor_id=INSTRUCTOR, lesson_id=empty, instructor_id=INSTRUCTOR, class_label="6E"
                ),
                LifecycleError,
                "steps",
            ),
            (
                "starting twice",
                lambda: app.start_teaching(actor_id=INSTRUCTOR, teaching_id=world.live_id),
                LifecycleError,
                "status",
            ),
            (
                "ending before the start",
                lambda: app.end_teaching(actor_id=INSTRUCTOR, teaching_id=world.scheduled_id),
                LifecycleError,
                "status",
            ),
            (
                "skipping a phase",
                lambda: app.move_discussion_phase(
                    actor_id=FACILITATOR, discussion_id=disc, phase="observations"
                ),
                PhaseOrderError,
                "phase",
            ),
            (
                "a claim before its phase",
                lambda: app.make_claim(
                    actor_id=OBSERVER, discussion_id=disc, claim_id="c", text="T", note_ids=["n1"]
                ),
                PhaseOrderError,
                "phase",
            ),
            (
                "the next cycle with nothing accepted",
                lambda: app.start_next_cycle(actor_id=FACILITATOR, discussion_id=disc),
                LifecycleError,
                "revisions",
            ),
        ],
    )


def test_unknown_and_malformed_ids(world: World) -> None:
    app, unknown = world.app, str(uuid4())
    check_refused(
        app,
        [
            ("no such lesson", lambda: app.get_plan(unknown), NotFoundError, "lesson_id"),
            ("a team is no lesson", lambda: app.get_plan(world.team_id), NotFoundError,
             "lesson_id"),
            ("no such team", lambda: app.get_team(unknown), NotFoundError, "team_id"),
            ("no such task", lambda: app.get_task(unknown), NotFoundError, "task_id"),
            ("no such teaching", lambda: app.get_teaching(world.lesson_id), NotFoundError,
             "teaching_id"),
            ("no such discussion", lambda: app.get_discussion(unknown), NotFoundError,
             "discussion_id"),
            ("no such entry", lambda: app.get_misconception(unknown), NotFoundError,
             "misconception_id"),
            ("no such lesson's history", lambda: app.lesson_history(unknown), NotFoundError,
             "lesson_id"),
            (
                "a note in no teaching",
                lambda: app.record_note(
                    actor_id=OBSERVER, teaching_id=unknown, note_id="x", **note("Hi")
                ),
                NotFoundError,
                "teaching_id",
            ),
            (
                "no such step",
                lambda: app.change_step(
                    actor_id=PLANNER, lesson_id=world.lesson_id, step_id="s9", field="minutes",
                    value=5, base_revision=None,
                ),
                NotFoundError,
                "step_id",
            ),
            (
                "no such merge target",
                lambda: app.merge_misconceptions(
                    actor_id=CURATOR, team_id=world.team_id,
                    source_id=world.misconception_id, target_id=unknown,
                ),
                NotFoundError,
                "target_id",
            ),
            (
                "no such anticipated response",
                lambda: app.change_response(
                    actor_id=PLANNER, lesson_id=world.lesson_id, response_id="r9", field="text",
                    value="T", base_revision=None,
                ),
                NotFoundError,
                "response_id",
            ),
            (
                "amending a note one did not record",
                lambda: app.amend_note(
                    actor_id=PLANNER, teaching_id=world.done_id, note_id="n1",
                    changes={"text": "Mine now"},
                ),
                InvalidValueError,
                "note_id",
            ),
            ("a malformed lesson id", lambda: app.get_plan("lesson-1"), InvalidValueError,
             "lesson_id"),
            ("an empty teaching id", lambda: app.get_teaching(""), InvalidValueError,
             "teaching_id"),
            (
                "a malformed teaching id in a command",
                lambda: app.record_note(
                    actor_id=OBSERVER, teaching_id="12", note_id="x", **note("Hi")
                ),
                InvalidValueError,
                "teaching_id",
            ),
            (
                "a malformed team id in a command",
                lambda: app.add_member(
                    actor_id=FACILITATOR, team_id="team", person_id="p", name="P",
                    roles=["observer"],
                ),
                InvalidValueError,
                "team_id",
            ),
        ],
    )  # fmt: skip


def test_a_command_that_keeps_losing_races_gives_up_cleanly(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = world.app
    attempts: list[int] = []

    def always_conflicts(aggregates: list[Any]) -> list[Any]:
        attempts.append(len(aggregates))
        raise IntegrityError("someone saved first")

    monkeypatch.setattr(app, "_save_all", always_conflicts)
    check_refused(
        app,
        [
            (
                "eight lost races",
                lambda: app.change_plan_field(
                    actor_id=PLANNER, lesson_id=world.lesson_id, field="rationale",
                    value="Why", base_revision=None,
                ),
                ServiceBusyError,
                None,
            )
        ],
    )  # fmt: skip
    assert attempts == [1] * 8

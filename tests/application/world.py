"""The world the refusal tests act on, and the check every refusal must pass."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from application.scenario import (
    FACILITATOR,
    INSTRUCTOR,
    KNOWLEDGEABLE_OTHER,
    OBSERVER,
    lesson_with_plan,
    note,
    teach,
)

from lessonstudy.application import LessonStudy
from lessonstudy.domain.errors import DomainError

Case = tuple[str, Callable[[], Any], type[DomainError], str | None]


@dataclass
class World:
    app: LessonStudy
    team_id: str
    misconception_id: str
    lesson_id: str
    scheduled_id: str  # a teaching not yet started
    live_id: str  # under way, open to guests with `code`, the knowledgeable other joined
    code: str
    done_id: str  # taught and ended, with the guest's and the observer's note "n1"
    discussion_id: str  # of done_id, just opened


def build_world(app: LessonStudy) -> World:
    team_id, misconception_id, lesson_id = lesson_with_plan(app)
    scheduled_id = str(
        app.schedule_teaching(
            actor_id=INSTRUCTOR, lesson_id=lesson_id, instructor_id=INSTRUCTOR, class_label="6C"
        )
    )
    done_id = teach(app, lesson_id, label="6A")
    admit(app, done_id, app.open_to_guests(actor_id=INSTRUCTOR, teaching_id=done_id))
    app.record_note(actor_id=OBSERVER, teaching_id=done_id, note_id="n1", **note("Counts red"))
    app.end_teaching(actor_id=INSTRUCTOR, teaching_id=done_id)
    discussion_id = str(app.open_discussion(actor_id=FACILITATOR, teaching_id=done_id))
    live_id = teach(app, lesson_id, label="6B")
    code = app.open_to_guests(actor_id=INSTRUCTOR, teaching_id=live_id)
    admit(app, live_id, code)
    return World(
        app,
        team_id,
        misconception_id,
        lesson_id,
        scheduled_id,
        live_id,
        code,
        done_id,
        discussion_id,
    )


def admit(app: LessonStudy, teaching_id: str, code: str) -> None:
    app.join_as_guest(
        teaching_id=teaching_id,
        join_code=code,
        person_id=KNOWLEDGEABLE_OTHER,
        name="Kit",
        roles=["knowledgeable_other"],
    )


def check_refused(app: LessonStudy, cases: list[Case]) -> None:
    for label, call, error_class, field in cases:
        head = app.recorder.max_notification_id()
        with pytest.raises(DomainError) as caught:
            call()
        assert type(caught.value) is error_class, f"{label}: {caught.value!r}"
        assert caught.value.field == field, f"{label}: field {caught.value.field}"
        assert app.recorder.max_notification_id() == head, f"{label} wrote something"

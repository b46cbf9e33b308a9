"""StudyLesson: the steps of the lesson flow added, changed, moved and removed."""

from __future__ import annotations

from typing import Any

import pytest
from domain.gwt import then_events, then_no_events, then_refused
from domain.lessons import a_planned_lesson, step_defaults

from lessonstudy.domain.errors import InvalidValueError, NotFoundError
from lessonstudy.domain.plan_fields import STEP_FIELDS

LONG = "x" * 20_001

VALID_STEP = [
    ("activity", "Compare on the chart"),
    ("key_question", "Which is larger?"),
    ("teacher_support", "Ask for a drawing"),
    ("points_to_notice", "Do they align the points?"),
    ("minutes", 0),
    ("minutes", 240),
]
INVALID_STEP = [
    ("activity", "a" * 5001),
    ("key_question", 4),
    ("teacher_support", LONG),
    ("points_to_notice", LONG),
    ("minutes", -1),
    ("minutes", 241),
    ("minutes", 1.5),
    ("minutes", True),
    ("minutes", "10"),
]


def test_every_step_field_is_covered() -> None:
    assert {f for f, _ in VALID_STEP} == {f for f, _ in INVALID_STEP} == set(STEP_FIELDS)


def test_add_step_appends_with_defaults() -> None:
    lesson = a_planned_lesson()
    assert lesson.add_step(by="bob", step_id=" s3 ", fields={"minutes": 5}, reason="close")
    assert then_events(lesson) == [
        (
            "StudyLesson.StepAdded",
            {
                "step_id": "s3",
                "position": 2,
                "fields": step_defaults(minutes=5),
                "by": "bob",
                "reason": "close",
                "revision_id": None,
            },
        )
    ]
    assert lesson.step_ids() == ["s1", "s2", "s3"]


def test_add_step_at_a_position() -> None:
    lesson = a_planned_lesson()
    lesson.add_step(by="bob", step_id="s0", position=0)
    assert then_events(lesson)[0][1]["position"] == 0
    assert lesson.step_ids() == ["s0", "s1", "s2"]


def test_adding_the_same_step_id_again_is_a_retry() -> None:
    lesson = a_planned_lesson()
    assert not lesson.add_step(by="bob", step_id="s1", fields={"activity": "Other"})
    then_no_events(lesson)


@pytest.mark.parametrize(("field", "value"), VALID_STEP)
def test_add_step_accepts_each_field(field: str, value: Any) -> None:
    lesson = a_planned_lesson()
    lesson.add_step(by="bob", step_id="s3", fields={field: value})
    assert lesson.steps["s3"][field] == value


@pytest.mark.parametrize(("field", "value"), [*INVALID_STEP, ("colour", "red")])
def test_add_step_validates_each_field(field: str, value: Any) -> None:
    lesson = a_planned_lesson()
    error_field = field if field in STEP_FIELDS else "field"
    then_refused(
        lesson,
        InvalidValueError,
        error_field,
        lambda: lesson.add_step(by="bob", step_id="s3", fields={field: value}),
    )


@pytest.mark.parametrize(
    ("step_id", "position", "field"),
    [
        ("", None, "step_id"),
        ("s3", 3, "position"),
        ("s3", -1, "position"),
        ("s3", True, "position"),
    ],
)
def test_add_step_validates_id_and_position(step_id: str, position: Any, field: str) -> None:
    lesson = a_planned_lesson()
    then_refused(
        lesson,
        InvalidValueError,
        field,
        lambda: lesson.add_step(by="bob", step_id=step_id, position=position),
    )


@pytest.mark.parametrize(("field", "value"), VALID_STEP[:-1])
def test_change_step(field: str, value: Any) -> None:
    lesson = a_planned_lesson()
    assert lesson.change_step(by="bob", step_id="s1", field=field, value=value, base_revision=4)
    assert then_events(lesson) == [
        (
            "StudyLesson.StepFieldChanged",
            {
                "step_id": "s1",
                "field": field,
                "value": value,
                "by": "bob",
                "reason": "",
                "revision_id": None,
            },
        )
    ]


@pytest.mark.parametrize(("field", "value"), [*INVALID_STEP, ("colour", "red")])
def test_change_step_validates(field: str, value: Any) -> None:
    lesson = a_planned_lesson()
    error_field = field if field in STEP_FIELDS else "field"
    then_refused(
        lesson,
        InvalidValueError,
        error_field,
        lambda: lesson.change_step(
            by="bob", step_id="s1", field=field, value=value, base_revision=4
        ),
    )


def test_change_an_unknown_step_is_not_found() -> None:
    lesson = a_planned_lesson()
    then_refused(
        lesson,
        NotFoundError,
        "step_id",
        lambda: lesson.change_step(
            by="bob", step_id="s9", field="minutes", value=5, base_revision=4
        ),
    )


def test_move_step() -> None:
    lesson = a_planned_lesson()
    assert lesson.move_step(by="bob", step_id="s2", position=0, reason="explore first")
    assert then_events(lesson) == [
        (
            "StudyLesson.StepMoved",
            {"step_id": "s2", "position": 0, "by": "bob", "reason": "explore first"},
        )
    ]
    assert lesson.step_ids() == ["s2", "s1"]


def test_move_step_to_where_it_is_changes_nothing() -> None:
    lesson = a_planned_lesson()
    assert not lesson.move_step(by="bob", step_id="s2", position=1)
    then_no_events(lesson)


@pytest.mark.parametrize(
    ("step_id", "position", "error", "field"),
    [
        ("s9", 0, NotFoundError, "step_id"),
        ("s1", 2, InvalidValueError, "position"),
        ("s1", -1, InvalidValueError, "position"),
    ],
)
def test_move_step_refusals(step_id: str, position: int, error: type[Any], field: str) -> None:
    lesson = a_planned_lesson()
    then_refused(
        lesson, error, field, lambda: lesson.move_step(by="bob", step_id=step_id, position=position)
    )


def test_remove_step_removes_its_responses() -> None:
    lesson = a_planned_lesson()
    lesson.remove_step(by="bob", step_id="s2", base_revision=4, reason="too long")
    assert then_events(lesson) == [
        ("StudyLesson.StepRemoved", {"step_id": "s2", "by": "bob", "reason": "too long"})
    ]
    assert lesson.step_ids() == ["s1"]
    assert lesson.responses == {}


def test_remove_an_unknown_step_is_not_found() -> None:
    lesson = a_planned_lesson()
    then_refused(
        lesson,
        NotFoundError,
        "step_id",
        lambda: lesson.remove_step(by="bob", step_id="s9", base_revision=None),
    )

"""StudyLesson: anticipated responses anticipated, changed and removed."""

from __future__ import annotations

from typing import Any

import pytest
from domain.gwt import then_events, then_no_events, then_refused
from domain.lessons import a_planned_lesson

from lessonstudy.domain.errors import InvalidValueError, NotFoundError
from lessonstudy.domain.plan_fields import RESPONSE_FIELDS

VALID_RESPONSE = [
    ("text", " Adds a zero: 0.30 ", "Adds a zero: 0.30"),
    ("kind", "correct_strategy", "correct_strategy"),
    ("misconception_id", "m-7", "m-7"),
    ("misconception_id", "", None),
]
INVALID_RESPONSE = [
    ("text", "", "text"),
    ("text", "t" * 5001, "text"),
    ("kind", "guess", "kind"),
    ("misconception_id", "m" * 101, "misconception_id"),
    ("misconception_id", 3, "misconception_id"),
]


def test_every_response_field_is_covered() -> None:
    assert {f for f, _, _ in VALID_RESPONSE} == set(RESPONSE_FIELDS)
    assert {f for f, _, _ in INVALID_RESPONSE} == set(RESPONSE_FIELDS)


def test_anticipate_response() -> None:
    lesson = a_planned_lesson()
    assert lesson.anticipate_response(
        by="bob",
        step_id="s2",
        response_id="r2",
        kind="correct_strategy",
        text=" Lines up the decimal points ",
        misconception_id="m-1",
        reason="seen last year",
    )
    assert then_events(lesson) == [
        (
            "StudyLesson.ResponseAnticipated",
            {
                "step_id": "s2",
                "response_id": "r2",
                "kind": "correct_strategy",
                "text": "Lines up the decimal points",
                "misconception_id": "m-1",
                "by": "bob",
                "reason": "seen last year",
                "revision_id": None,
            },
        )
    ]
    assert [r["id"] for r in lesson.responses_of("s2")] == ["r1", "r2"]
    assert lesson.responses_of("s1") == []


def test_anticipating_the_same_response_id_again_is_a_retry() -> None:
    lesson = a_planned_lesson()
    assert not lesson.anticipate_response(
        by="bob", step_id="s1", response_id="r1", kind="misconception", text="other"
    )
    then_no_events(lesson)


@pytest.mark.parametrize(("field", "value", "error_field"), INVALID_RESPONSE)
def test_anticipate_response_validates_each_field(field: str, value: Any, error_field: str) -> None:
    lesson = a_planned_lesson()
    args: dict[str, Any] = {"kind": "misconception", "text": "0.3 < 0.25", field: value}
    then_refused(
        lesson,
        InvalidValueError,
        error_field,
        lambda: lesson.anticipate_response(by="bob", step_id="s2", response_id="r2", **args),
    )


def test_anticipate_response_needs_an_id_and_a_known_step() -> None:
    lesson = a_planned_lesson()
    then_refused(
        lesson,
        InvalidValueError,
        "response_id",
        lambda: lesson.anticipate_response(
            by="bob", step_id="s2", response_id=" ", kind="misconception", text="t"
        ),
    )
    then_refused(
        lesson,
        NotFoundError,
        "step_id",
        lambda: lesson.anticipate_response(
            by="bob", step_id="s9", response_id="r2", kind="misconception", text="t"
        ),
    )


@pytest.mark.parametrize(("field", "value", "stored"), VALID_RESPONSE[:3])
def test_change_response(field: str, value: Any, stored: Any) -> None:
    lesson = a_planned_lesson()
    assert lesson.change_response(
        by="bob", response_id="r1", field=field, value=value, base_revision=4, reason="seen"
    )
    assert then_events(lesson) == [
        (
            "StudyLesson.ResponseChanged",
            {
                "response_id": "r1",
                "field": field,
                "value": stored,
                "by": "bob",
                "reason": "seen",
                "revision_id": None,
            },
        )
    ]
    assert lesson.responses["r1"][field] == stored


def test_change_response_to_its_value_changes_nothing() -> None:
    lesson = a_planned_lesson()
    assert not lesson.change_response(
        by="bob", response_id="r1", field="misconception_id", value="", base_revision=4
    )
    then_no_events(lesson)


@pytest.mark.parametrize(
    ("field", "value", "error_field"), [*INVALID_RESPONSE, ("step_id", "s1", "field")]
)
def test_change_response_validates(field: str, value: Any, error_field: str) -> None:
    lesson = a_planned_lesson()
    then_refused(
        lesson,
        InvalidValueError,
        error_field,
        lambda: lesson.change_response(
            by="bob", response_id="r1", field=field, value=value, base_revision=4
        ),
    )


def test_change_an_unknown_response_is_not_found() -> None:
    lesson = a_planned_lesson()
    then_refused(
        lesson,
        NotFoundError,
        "response_id",
        lambda: lesson.change_response(
            by="bob", response_id="r9", field="text", value="t", base_revision=4
        ),
    )


def test_remove_response() -> None:
    lesson = a_planned_lesson()
    lesson.remove_response(by="bob", response_id="r1", base_revision=4, reason="never seen")
    assert then_events(lesson) == [
        ("StudyLesson.ResponseRemoved", {"response_id": "r1", "by": "bob", "reason": "never seen"})
    ]
    assert lesson.responses == {}
    assert lesson.steps["s2"]["responses"] == []


def test_remove_an_unknown_response_is_not_found() -> None:
    lesson = a_planned_lesson()
    then_refused(
        lesson,
        NotFoundError,
        "response_id",
        lambda: lesson.remove_response(by="bob", response_id="r9", base_revision=None),
    )

"""StudyLesson: every plan, step and response field checked; steps and responses edited."""

from __future__ import annotations

from typing import Any

import pytest
from domain.gwt import then_events, then_no_events, then_refused
from domain.lessons import a_lesson

from lessonstudy.domain.errors import InvalidValueError
from lessonstudy.domain.lesson import StudyLesson
from lessonstudy.domain.plan_fields import PLAN_FIELDS

LONG = "x" * 20_001
LAYOUT = {"G1": ["G1-S1", "G1-S2"], "G2": ["G2-S1"]}

VALID_PLAN = [
    ("title", "  Comparing decimals, again ", "Comparing decimals, again"),
    ("subject", "maths", "maths"),
    ("grade", "5", "5"),
    ("date", "2026-11-23", "2026-11-23"),
    ("date", "20261124", "2026-11-24"),
    ("instructor_id", "bob", "bob"),
    ("research_theme", "Reasoning aloud", "Reasoning aloud"),
    ("unit_goals", "Order decimals", "Order decimals"),
    ("lesson_goals", "Compare tenths and hundredths", "Compare tenths and hundredths"),
    ("rationale", "Students read 0.25 as 25", "Students read 0.25 as 25"),
    ("development", "Grade 4: tenths", "Grade 4: tenths"),
    ("data_collection_points", "Watch G1", "Watch G1"),
    ("class_layout", LAYOUT, LAYOUT),
    ("focus", {"bob": ["G1", "G2-S1"]}, {"bob": ["G1", "G2-S1"]}),
]

INVALID_PLAN = [
    ("title", "   ", "title"),
    ("title", "t" * 201, "title"),
    ("subject", "s" * 101, "subject"),
    ("subject", 5, "subject"),
    ("grade", "g" * 51, "grade"),
    ("date", "23/11/2026", "date"),
    ("instructor_id", "i" * 101, "instructor_id"),
    ("instructor_id", 7, "instructor_id"),
    ("research_theme", LONG, "research_theme"),
    ("unit_goals", LONG, "unit_goals"),
    ("lesson_goals", ["goal"], "lesson_goals"),
    ("rationale", LONG, "rationale"),
    ("development", LONG, "development"),
    ("data_collection_points", LONG, "data_collection_points"),
    ("class_layout", ["G1"], "class_layout"),
    ("class_layout", {"g1": []}, "class_layout.g1"),
    ("class_layout", {"G1": "G1-S1"}, "class_layout"),
    ("class_layout", {"G1": ["Jane Doe"]}, "class_layout.G1"),
    ("class_layout", {"G1": ["S1"], "G2": ["S1"]}, "class_layout"),
    ("focus", "G1", "focus"),
    ("focus", {"bob": "G1"}, "focus"),
    ("focus", {"bob": ["Jane"]}, "focus.bob"),
    ("nickname", "x", "field"),
]


def test_plan() -> None:
    lesson = StudyLesson.plan(team_id="team-1", task_id="task-1", title=" Decimals ", by="ann")
    assert then_events(lesson) == [
        (
            "StudyLesson.Planned",
            {"team_id": "team-1", "task_id": "task-1", "title": "Decimals", "by": "ann"},
        )
    ]
    assert lesson.fields["title"] == "Decimals"
    assert lesson.fields["class_layout"] == {}
    assert lesson.plan_version == 1


def test_plan_needs_a_title() -> None:
    with pytest.raises(InvalidValueError) as info:
        StudyLesson.plan(team_id="team-1", task_id="task-1", title="", by="ann")
    assert info.value.field == "title"


def test_every_plan_field_is_covered() -> None:
    assert {f for f, _, _ in VALID_PLAN} == set(PLAN_FIELDS)
    assert {f for f, _, _ in INVALID_PLAN} - {"nickname"} == set(PLAN_FIELDS)


@pytest.mark.parametrize(("field", "value", "stored"), VALID_PLAN)
def test_change_field(field: str, value: Any, stored: Any) -> None:
    lesson = a_lesson()
    assert lesson.change_field(by="bob", field=field, value=value, base_revision=1, reason="why")
    assert then_events(lesson) == [
        (
            "StudyLesson.PlanFieldChanged",
            {"field": field, "value": stored, "by": "bob", "reason": "why", "revision_id": None},
        )
    ]
    assert lesson.fields[field] == stored
    assert lesson.last_changed[field] == {"revision": 2, "by": "bob"}


@pytest.mark.parametrize(("field", "value", "error_field"), INVALID_PLAN)
def test_change_field_validates(field: str, value: Any, error_field: str) -> None:
    lesson = a_lesson()
    then_refused(
        lesson,
        InvalidValueError,
        error_field,
        lambda: lesson.change_field(by="bob", field=field, value=value, base_revision=1),
    )


@pytest.mark.parametrize(("field", "value"), [("instructor_id", ""), ("date", None)])
def test_empty_optional_field_equals_its_default(field: str, value: Any) -> None:
    lesson = a_lesson()
    assert not lesson.change_field(by="bob", field=field, value=value, base_revision=1)
    then_no_events(lesson)


def test_reason_is_limited() -> None:
    lesson = a_lesson()
    then_refused(
        lesson,
        InvalidValueError,
        "reason",
        lambda: lesson.change_field(
            by="bob", field="grade", value="5", base_revision=1, reason="r" * 1001
        ),
    )


def test_seat_and_group_codes_come_from_the_layout() -> None:
    lesson = a_lesson()
    lesson.change_field(by="bob", field="class_layout", value=LAYOUT, base_revision=None)
    assert lesson.seat_and_group_codes() == {"G1", "G2", "G1-S1", "G1-S2", "G2-S1"}

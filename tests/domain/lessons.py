"""Study lessons in known states, shared by the plan and edit-conflict tests."""

from __future__ import annotations

from domain.gwt import given

from lessonstudy.domain.lesson import StudyLesson

# Revisions of `a_planned_lesson()`: 1 planned, 2 step s1, 3 step s2, 4 response r1.
BASE = 4


def a_lesson() -> StudyLesson:
    """Revision 1: only the title."""
    return given(
        StudyLesson.plan(team_id="team-1", task_id="task-1", title="Comparing decimals", by="ann")
    )


def a_planned_lesson() -> StudyLesson:
    """Revision 4: steps s1 and s2; s2 anticipates misconception r1."""
    lesson = StudyLesson.plan(
        team_id="team-1", task_id="task-1", title="Comparing decimals", by="ann"
    )
    lesson.add_step(by="ann", step_id="s1", fields={"activity": "Launch", "minutes": 10})
    lesson.add_step(by="ann", step_id="s2", fields={"activity": "Explore", "minutes": 20})
    lesson.anticipate_response(
        by="ann",
        step_id="s2",
        response_id="r1",
        kind="misconception",
        text="0.25 is larger because it has more digits",
    )
    assert lesson.version == BASE
    return given(lesson)


def step_defaults(**fields: object) -> dict[str, object]:
    return {
        "activity": "",
        "key_question": "",
        "teacher_support": "",
        "points_to_notice": "",
        "minutes": 0,
        **fields,
    }

"""Planners editing one plan at the same moment, from two services on one database.

Edits to different parts both land (the loser of the race runs again on fresh state);
edits to the same part from the same base revision: one lands, the other is refused
with the winner's value. SaveGate makes the race certain, and counts the conflicts.
"""

from __future__ import annotations

from typing import Any

import pytest
from application.scenario import (
    INSTRUCTOR,
    INSTRUCTOR_2,
    PLANNER,
    SaveGate,
    lesson_with_plan,
    run_together,
)

from lessonstudy.application import LessonStudy
from lessonstudy.application.results import PlanChange
from lessonstudy.domain.errors import EditConflictError


def change_step(service: LessonStudy, lesson_id: str, step: str, value: str, base: int) -> Any:
    return lambda: service.change_step(
        actor_id=PLANNER,
        lesson_id=lesson_id,
        step_id=step,
        field="key_question",
        value=value,
        base_revision=base,
    )


def test_edits_to_different_steps_both_land(
    app: LessonStudy, peer: LessonStudy, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, _, lesson_id = lesson_with_plan(app)
    base = app.get_plan(lesson_id).revision
    gate = SaveGate(monkeypatch, [app, peer], parties=2)
    first, second = run_together(
        change_step(app, lesson_id, "s1", "Which is more likely?", base),
        change_step(peer, lesson_id, "s2", "What did your group get?", base),
    )
    assert isinstance(first, PlanChange) and isinstance(second, PlanChange)
    assert (first.changed, second.changed) == (True, True)
    assert sorted([first.revision, second.revision]) == [base + 1, base + 2]
    assert first.position != second.position
    assert (gate.conflicts, gate.saves) == (1, 3)  # the loser saved again, once
    for service in (app, peer):
        plan = service.get_plan(lesson_id)
        assert plan.revision == base + 2
        questions = [s["key_question"] for s in plan.steps]
        assert questions == ["Which is more likely?", "What did your group get?"]


def test_edits_to_the_same_field_one_wins_one_conflicts(
    app: LessonStudy, peer: LessonStudy, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, _, lesson_id = lesson_with_plan(app)
    base = app.get_plan(lesson_id).revision
    gate = SaveGate(monkeypatch, [app, peer], parties=2)
    texts = ["Is the bag fair?", "Which colour wins more often?"]
    results = run_together(
        change_step(app, lesson_id, "s1", texts[0], base),
        change_step(peer, lesson_id, "s1", texts[1], base),
    )
    check_one_winner(results, texts, base)
    assert gate.conflicts == 1
    winner = texts[0] if isinstance(results[0], PlanChange) else texts[1]
    assert app.get_plan(lesson_id).steps[0]["key_question"] == winner
    assert peer.get_plan(lesson_id).revision == base + 1


def test_same_field_at_the_same_moment_repeatedly(app: LessonStudy, peer: LessonStudy) -> None:
    """Without the gate the threads interleave as they will: the outcome must not vary."""
    _, _, lesson_id = lesson_with_plan(app)
    for round_ in range(4):
        base = app.get_plan(lesson_id).revision
        texts = [f"Question A{round_}", f"Question B{round_}"]
        results = run_together(
            change_step(app, lesson_id, "s2", texts[0], base),
            change_step(peer, lesson_id, "s2", texts[1], base),
        )
        check_one_winner(results, texts, base)
        assert app.get_plan(lesson_id).revision == base + 1


def check_one_winner(results: list[Any], texts: list[str], base: int) -> None:
    changes = [r for r in results if isinstance(r, PlanChange)]
    conflicts = [r for r in results if isinstance(r, EditConflictError)]
    assert (len(changes), len(conflicts)) == (1, 1), results
    winner = texts[results.index(changes[0])]
    assert changes[0].revision == base + 1
    error = conflicts[0]
    assert error.field == "step:" + error.current["field"].split(":", 1)[1]
    assert error.current["value"] == winner
    assert error.current["changed_in"] == base + 1
    assert error.current["changed_by"] == PLANNER
    assert error.current["revision"] == base + 1


def test_two_teachings_scheduled_at_once_are_both_kept(
    app: LessonStudy, peer: LessonStudy, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both write the lesson's TeachingScheduled: the loser must still save its teaching."""
    _, _, lesson_id = lesson_with_plan(app)
    gate = SaveGate(monkeypatch, [app, peer], parties=2)
    results = run_together(
        lambda: app.schedule_teaching(
            actor_id=INSTRUCTOR, lesson_id=lesson_id, instructor_id=INSTRUCTOR, class_label="6A"
        ),
        lambda: peer.schedule_teaching(
            actor_id=INSTRUCTOR_2, lesson_id=lesson_id, instructor_id=INSTRUCTOR_2, class_label="6B"
        ),
    )
    assert gate.conflicts == 1
    ids = [str(r) for r in results]
    assert sorted(app.get_plan(lesson_id).teaching_ids) == sorted(ids)
    labels = {peer.get_teaching(t).class_label for t in ids}
    assert labels == {"6A", "6B"}
    history = [(e.aggregate, e.event) for e in app.lesson_history(lesson_id)]
    assert history.count(("Teaching", "Scheduled")) == 2
    assert history.count(("StudyLesson", "TeachingScheduled")) == 2

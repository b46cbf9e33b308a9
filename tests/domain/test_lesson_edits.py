"""StudyLesson: concurrent edits from a base revision, teachings and plan versions."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from domain.gwt import assert_replays, given, then_events, then_no_events, then_refused
from domain.lessons import BASE, a_lesson, a_planned_lesson

from lessonstudy.domain.errors import EditConflictError, InvalidValueError
from lessonstudy.domain.lesson import StudyLesson

Edit = Callable[[StudyLesson, int | None], object]

EDITS: dict[str, Edit] = {
    "change_field": lambda lesson, base: lesson.change_field(
        by="cy", field="title", value="New", base_revision=base
    ),
    "change_step": lambda lesson, base: lesson.change_step(
        by="cy", step_id="s1", field="minutes", value=15, base_revision=base
    ),
    "change_response": lambda lesson, base: lesson.change_response(
        by="cy", response_id="r1", field="text", value="New", base_revision=base
    ),
    "remove_step": lambda lesson, base: lesson.remove_step(
        by="cy", step_id="s2", base_revision=base
    ),
    "remove_response": lambda lesson, base: lesson.remove_response(
        by="cy", response_id="r1", base_revision=base
    ),
}


def test_edits_to_different_parts_from_the_same_base_both_land() -> None:
    lesson = a_planned_lesson()
    lesson.change_step(
        by="ann", step_id="s1", field="activity", value="Warm up", base_revision=BASE
    )
    given(lesson)
    assert lesson.change_step(by="bob", step_id="s1", field="minutes", value=5, base_revision=BASE)
    assert lesson.change_field(by="bob", field="grade", value="5", base_revision=BASE)
    assert [(name, e["field"], e["value"]) for name, e in then_events(lesson)] == [
        ("StudyLesson.StepFieldChanged", "minutes", 5),
        ("StudyLesson.PlanFieldChanged", "grade", "5"),
    ]
    assert lesson.steps["s1"]["activity"] == "Warm up"
    assert lesson.version == BASE + 3


def test_same_part_from_a_stale_base_is_a_conflict_carrying_the_current_value() -> None:
    lesson = a_planned_lesson()
    lesson.change_step(
        by="ann", step_id="s1", field="activity", value="Warm up", base_revision=BASE
    )
    lesson.change_field(by="ann", field="grade", value="5", base_revision=BASE)
    given(lesson)
    error = then_refused(
        lesson,
        EditConflictError,
        "step:s1:activity",
        lambda: lesson.change_step(
            by="bob", step_id="s1", field="activity", value="Hook", base_revision=BASE
        ),
    )
    assert error.current == {
        "field": "step:s1:activity",
        "value": "Warm up",
        "revision": BASE + 2,
        "changed_in": BASE + 1,
        "changed_by": "ann",
    }
    assert lesson.steps["s1"]["activity"] == "Warm up"


def test_plan_field_and_response_conflicts_name_their_keys() -> None:
    lesson = a_planned_lesson()
    lesson.change_field(by="ann", field="title", value="Decimals", base_revision=BASE)
    lesson.change_response(
        by="ann", response_id="r1", field="kind", value="correct_strategy", base_revision=BASE
    )
    given(lesson)
    title = then_refused(
        lesson, EditConflictError, "title", lambda: EDITS["change_field"](lesson, BASE)
    )
    assert title.current["value"] == "Decimals"
    kind = then_refused(
        lesson,
        EditConflictError,
        "response:r1:kind",
        lambda: lesson.change_response(
            by="bob", response_id="r1", field="kind", value="misconception", base_revision=BASE
        ),
    )
    assert (kind.current["value"], kind.current["changed_in"]) == ("correct_strategy", BASE + 2)


def test_the_same_value_from_a_stale_base_is_no_change_not_a_conflict() -> None:
    lesson = a_planned_lesson()
    lesson.change_step(by="ann", step_id="s1", field="minutes", value=12, base_revision=BASE)
    given(lesson)
    assert not lesson.change_step(
        by="bob", step_id="s1", field="minutes", value=12, base_revision=BASE
    )
    then_no_events(lesson)


def test_an_edit_from_the_latest_change_is_not_stale() -> None:
    lesson = a_planned_lesson()
    lesson.change_step(by="ann", step_id="s1", field="minutes", value=12, base_revision=BASE)
    given(lesson)
    assert lesson.change_step(
        by="bob", step_id="s1", field="minutes", value=14, base_revision=BASE + 1
    )
    assert lesson.last_changed["step:s1:minutes"] == {"revision": BASE + 2, "by": "bob"}
    assert len(then_events(lesson)) == 1


def test_without_a_base_the_last_writer_wins() -> None:
    lesson = a_planned_lesson()
    lesson.change_step(by="ann", step_id="s1", field="minutes", value=12, base_revision=BASE)
    given(lesson)
    assert lesson.change_step(by="bob", step_id="s1", field="minutes", value=14, base_revision=None)
    assert len(then_events(lesson)) == 1


@pytest.mark.parametrize(
    ("edit", "key"),
    [
        (
            lambda lesson: lesson.change_step(
                by="ann", step_id="s2", field="minutes", value=30, base_revision=BASE
            ),
            "step:s2:minutes",
        ),
        (
            lambda lesson: lesson.change_response(
                by="ann", response_id="r1", field="text", value="0.25 > 0.3", base_revision=BASE
            ),
            "response:r1:text",
        ),
        (
            lambda lesson: lesson.anticipate_response(
                by="ann", step_id="s2", response_id="r2", kind="misconception", text="t"
            ),
            "response:r2:text",
        ),
    ],
)
def test_removing_a_step_changed_since_the_base_is_a_conflict(
    edit: Callable[[StudyLesson], object], key: str
) -> None:
    lesson = a_planned_lesson()
    edit(lesson)
    given(lesson)
    error = then_refused(lesson, EditConflictError, key, lambda: EDITS["remove_step"](lesson, BASE))
    assert (error.current["changed_by"], error.current["changed_in"]) == ("ann", BASE + 1)
    assert lesson.step_ids() == ["s1", "s2"]


def test_removing_a_response_changed_since_the_base_is_a_conflict() -> None:
    lesson = a_planned_lesson()
    lesson.change_response(
        by="ann", response_id="r1", field="misconception_id", value="m-1", base_revision=BASE
    )
    given(lesson)
    error = then_refused(
        lesson,
        EditConflictError,
        "response:r1:misconception_id",
        lambda: EDITS["remove_response"](lesson, BASE),
    )
    assert error.current["value"] == "m-1"


@pytest.mark.parametrize("name", list(EDITS))
@pytest.mark.parametrize("base", [0, BASE + 1])
def test_base_revision_out_of_range(name: str, base: int) -> None:
    lesson = a_planned_lesson()
    then_refused(lesson, InvalidValueError, "base_revision", lambda: EDITS[name](lesson, base))


# --- teachings and plan versions --------------------------------------------------------


def test_record_teaching() -> None:
    lesson = a_planned_lesson()
    lesson.record_teaching(by="ann", teaching_id="teaching-1")
    assert then_events(lesson) == [
        (
            "StudyLesson.TeachingScheduled",
            {"teaching_id": "teaching-1", "plan_version": 1, "by": "ann"},
        )
    ]
    assert lesson.teaching_ids == ["teaching-1"]


def test_record_teaching_needs_a_step() -> None:
    lesson = a_lesson()
    then_refused(
        lesson,
        InvalidValueError,
        "steps",
        lambda: lesson.record_teaching(by="ann", teaching_id="teaching-1"),
    )


def test_start_next_version() -> None:
    lesson = a_planned_lesson()
    assert lesson.start_next_version(by="ann", discussion_id="d-1", revision_ids=["rev-1"]) == 2
    assert then_events(lesson) == [
        (
            "StudyLesson.NextVersionStarted",
            {"plan_version": 2, "discussion_id": "d-1", "revision_ids": ["rev-1"], "by": "ann"},
        )
    ]
    assert lesson.versions[-1] == {
        "plan_version": 2,
        "revision": BASE + 1,
        "discussion_id": "d-1",
        "revision_ids": ["rev-1"],
    }


@pytest.mark.parametrize(
    ("discussion_id", "revision_ids", "field"),
    [("d-2", [], "revision_ids"), ("d-1", ["rev-2"], "discussion_id")],
)
def test_start_next_version_refusals(
    discussion_id: str, revision_ids: list[str], field: str
) -> None:
    lesson = a_planned_lesson()
    lesson.start_next_version(by="ann", discussion_id="d-1", revision_ids=["rev-1"])
    given(lesson)
    then_refused(
        lesson,
        InvalidValueError,
        field,
        lambda: lesson.start_next_version(
            by="ann", discussion_id=discussion_id, revision_ids=revision_ids
        ),
    )
    assert lesson.plan_version == 2


def test_replay() -> None:
    lesson = StudyLesson.plan(team_id="team-1", task_id="task-1", title="Decimals", by="ann")
    lesson.change_field(by="ann", field="class_layout", value={"G1": ["G1-S1"]}, base_revision=1)
    lesson.add_step(by="ann", step_id="s1", fields={"activity": "Launch"})
    lesson.add_step(by="bob", step_id="s2", position=0)
    lesson.anticipate_response(
        by="bob", step_id="s1", response_id="r1", kind="misconception", text="t"
    )
    lesson.anticipate_response(
        by="bob", step_id="s2", response_id="r2", kind="misconception", text="u"
    )
    lesson.change_response(by="ann", response_id="r1", field="text", value="v", base_revision=5)
    lesson.change_step(by="ann", step_id="s1", field="minutes", value=9, base_revision=None)
    lesson.move_step(by="ann", step_id="s1", position=0)
    lesson.remove_response(by="ann", response_id="r2", base_revision=None)
    lesson.remove_step(by="ann", step_id="s2", base_revision=None)
    lesson.record_teaching(by="ann", teaching_id="teaching-1")
    lesson.start_next_version(by="ann", discussion_id="d-1", revision_ids=["rev-1"])
    assert_replays(lesson, lesson.collect_events())
    assert lesson.step_ids() == ["s1"]
    assert lesson.last_changed["response:r1:text"] == {"revision": 7, "by": "ann"}


def test_a_copy_edits_without_touching_the_original() -> None:
    """The repository hands commands a copy; the cached original must not move."""
    import copy

    original = a_planned_lesson()
    before = copy.deepcopy(original.__dict__)
    clone = copy.deepcopy(original)
    clone.change_step(by="bo", step_id="s1", field="activity", value="Warm up", base_revision=BASE)
    clone.change_response(by="bo", response_id="r1", field="text", value="x", base_revision=BASE)
    clone.anticipate_response(
        by="bo", step_id="s1", response_id="r2", kind="misconception", text="y"
    )
    clone.move_step(by="bo", step_id="s2", position=0)
    clone.change_field(by="bo", field="class_layout", value={"G1": ["G1-S1"]}, base_revision=None)
    clone.remove_step(by="bo", step_id="s2", base_revision=None)
    assert original.__dict__ == before
    assert original.steps["s1"]["activity"] == "Launch" and "s2" in original.steps

"""Discussion: the next level of work, revisions proposed and decided; replay; the
checks on a revision's plan changes and how they are applied to the plan."""

from __future__ import annotations

from typing import Any

import pytest
from domain.discussions import CHANGES, KNOWN, at_phase, with_a_revision
from domain.gwt import AT, assert_replays, given, then_events, then_no_events, then_refused
from domain.lessons import a_planned_lesson, step_defaults

from lessonstudy.domain.discussion import PHASES, Discussion
from lessonstudy.domain.errors import InvalidValueError, NotFoundError, PhaseOrderError
from lessonstudy.domain.revisions import apply_changes, check_changes


def test_propose_revision() -> None:
    discussion = at_phase("next_steps")
    assert discussion.propose_revision(
        by="cy",
        revision_id="rev-1",
        summary=" More time ",
        changes=CHANGES,
        note_ids=["n2"],
        known_notes=KNOWN,
    )
    assert then_events(discussion) == [
        (
            "Discussion.RevisionProposed",
            {
                "revision_id": "rev-1",
                "summary": "More time",
                "changes": CHANGES,
                "note_ids": ["n2"],
                "by": "cy",
            },
        )
    ]
    assert discussion.revisions["rev-1"]["status"] == "proposed"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"revision_id": "rev-1", "summary": "again"}, None),
        ({"summary": ""}, "summary"),
        ({"changes": []}, "changes"),
        ({"changes": [{"op": "delete_everything"}]}, "changes.0.op"),
    ],
)
def test_propose_revision_refusals(change: dict[str, Any], field: str | None) -> None:
    discussion = with_a_revision()
    args: dict[str, Any] = {"revision_id": "rev-2", "summary": "s", "changes": CHANGES, **change}

    def propose() -> bool:
        return discussion.propose_revision(by="cy", note_ids=["n1"], known_notes=KNOWN, **args)

    if field is None:
        assert not propose()
        then_no_events(discussion)
    else:
        then_refused(discussion, InvalidValueError, field, propose)


def test_decide_revision() -> None:
    discussion = with_a_revision()
    discussion.decide_revision(by="fay", revision_id="rev-1", accept=True, reason="agreed")
    assert then_events(discussion) == [
        (
            "Discussion.RevisionDecided",
            {"revision_id": "rev-1", "status": "accepted", "by": "fay", "reason": "agreed"},
        )
    ]
    assert list(discussion.accepted_revisions()) == ["rev-1"]
    discussion.decide_revision(by="fay", revision_id="rev-1", accept=True)
    then_no_events(discussion)
    discussion.decide_revision(by="fay", revision_id="rev-1", accept=False)
    assert [e["status"] for _, e in then_events(discussion)] == ["rejected"]
    assert discussion.accepted_revisions() == {}


def test_decide_revision_refusals() -> None:
    discussion = with_a_revision()
    then_refused(
        discussion,
        NotFoundError,
        "revision_id",
        lambda: discussion.decide_revision(by="fay", revision_id="rev-9", accept=True),
    )
    discussion.move_to_phase(by="fay", phase="evaluation", at=AT)
    given(discussion)
    then_refused(
        discussion,
        PhaseOrderError,
        "phase",
        lambda: discussion.decide_revision(by="fay", revision_id="rev-1", accept=True),
    )


def test_replay() -> None:
    discussion = Discussion.open(
        teaching_id="t-1",
        lesson_id="l-1",
        team_id="team-1",
        instructor_id="bob",
        teaching_status="ended",
        by="fay",
        at=AT,
    )
    discussion.contribute(
        by="bob",
        roles=["instructor"],
        contribution_id="c1",
        text="t",
        note_ids=[],
        known_notes=KNOWN,
    )
    for phase in PHASES[1:4]:
        discussion.move_to_phase(by="fay", phase=phase, at=AT)
    discussion.create_pattern(
        by="cy", pattern_id="p1", name="a", note_ids=["n1", "n2"], known_notes=KNOWN
    )
    discussion.create_pattern(
        by="cy", pattern_id="p2", name="b", note_ids=["n2"], known_notes=KNOWN
    )
    discussion.place_note(by="cy", note_id="n3", pattern_id="p1", known_notes=KNOWN)
    discussion.rename_pattern(by="cy", pattern_id="p2", name="c")
    discussion.make_claim(by="cy", claim_id="k1", text="t", note_ids=["n1"], known_notes=KNOWN)
    discussion.confirm_misconception(
        by="fay", misconception_id="m-1", note_ids=["n1"], known_notes=KNOWN
    )
    for phase in PHASES[4:]:
        discussion.move_to_phase(by="fay", phase=phase, at=AT)
    discussion.propose_revision(
        by="cy", revision_id="r1", summary="s", changes=CHANGES, note_ids=["n1"], known_notes=KNOWN
    )
    discussion.decide_revision(by="fay", revision_id="r1", accept=True)
    discussion.close(by="fay", next_plan_version=2, at=AT)
    assert_replays(discussion, discussion.collect_events())
    assert discussion.patterns["p1"]["note_ids"] == ["n1", "n3"]


# --- the plan changes a revision makes ------------------------------------------------

EVERY_OP: list[dict[str, Any]] = [
    {"op": "change_field", "field": "lesson_goals", "value": " Compare decimals "},
    {"op": "change_step", "step_id": "s1", "field": "minutes", "value": 15},
    {"op": "add_step", "step_id": "s3", "position": 1, "fields": {"activity": " Share "}},
    {
        "op": "anticipate_response",
        "step_id": "s3",
        "response_id": "r2",
        "kind": "correct_strategy",
        "text": " Uses money ",
    },
]


def test_check_changes_normalises_every_operation() -> None:
    assert check_changes(EVERY_OP) == [
        {"op": "change_field", "field": "lesson_goals", "value": "Compare decimals"},
        {"op": "change_step", "step_id": "s1", "field": "minutes", "value": 15},
        {"op": "add_step", "step_id": "s3", "position": 1, "fields": {"activity": "Share"}},
        {
            "op": "anticipate_response",
            "step_id": "s3",
            "response_id": "r2",
            "text": "Uses money",
            "kind": "correct_strategy",
            "misconception_id": None,
        },
    ]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ("change it", "changes"),
        ([], "changes"),
        (["op"], "changes.0.op"),
        ([EVERY_OP[0], {"op": "remove_step", "step_id": "s1"}], "changes.1.op"),
        ([{"op": "change_field", "field": "mood", "value": "x"}], "changes.0.field"),
        ([{"op": "change_field", "field": "title", "value": ""}], "changes.0.value"),
        ([{"op": "change_step", "field": "minutes", "value": 5}], "changes.0.step_id"),
        (
            [{"op": "change_step", "step_id": "s1", "field": "minutes", "value": 999}],
            "changes.0.value",
        ),
        ([{"op": "add_step", "step_id": "s3", "position": "first"}], "changes.0.position"),
        ([{"op": "add_step", "step_id": "s3", "position": -1}], "changes.0.position"),
        (
            [{"op": "add_step", "step_id": "s3", "fields": {"minutes": -5}}],
            "changes.0.fields.minutes",
        ),
        ([{**EVERY_OP[3], "kind": "guess"}], "changes.0.kind"),
        ([{**EVERY_OP[3], "response_id": ""}], "changes.0.response_id"),
    ],
)
def test_check_changes_refuses(changes: Any, field: str) -> None:
    with pytest.raises(InvalidValueError) as info:
        check_changes(changes)
    assert info.value.field == field


def test_apply_changes_names_the_revision_on_every_plan_event() -> None:
    lesson = a_planned_lesson()
    apply_changes(lesson, check_changes(EVERY_OP), by="fay", revision_id="rev-1")
    common = {"by": "fay", "reason": "accepted revision", "revision_id": "rev-1"}
    assert then_events(lesson) == [
        (
            "StudyLesson.PlanFieldChanged",
            {"field": "lesson_goals", "value": "Compare decimals", **common},
        ),
        (
            "StudyLesson.StepFieldChanged",
            {"step_id": "s1", "field": "minutes", "value": 15, **common},
        ),
        (
            "StudyLesson.StepAdded",
            {"step_id": "s3", "position": 1, "fields": step_defaults(activity="Share"), **common},
        ),
        (
            "StudyLesson.ResponseAnticipated",
            {
                "step_id": "s3",
                "response_id": "r2",
                "kind": "correct_strategy",
                "text": "Uses money",
                "misconception_id": None,
                **common,
            },
        ),
    ]
    assert lesson.step_ids() == ["s1", "s3", "s2"]

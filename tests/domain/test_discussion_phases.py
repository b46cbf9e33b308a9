"""Discussion: opened after the lesson, phases in order, who speaks when, closing."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from typing import Any

import pytest
from domain.discussions import CHANGES, KNOWN, OPEN, at_phase, with_a_revision
from domain.gwt import AT, given, minutes, then_events, then_no_events, then_refused

from lessonstudy.domain.discussion import PHASES, Discussion, discussion_id_for
from lessonstudy.domain.errors import (
    EvidenceRequiredError,
    InvalidValueError,
    LifecycleError,
    PermissionDeniedError,
    PhaseOrderError,
)


def test_open() -> None:
    discussion = Discussion.open(**{**OPEN, "teaching_status": "ended"})
    expected = {k: v for k, v in OPEN.items() if k != "teaching_status"}
    assert then_events(discussion) == [("Discussion.Opened", expected)]
    assert discussion.id == discussion_id_for("teaching-1")
    assert discussion.phase == "instructor_reflection"


@pytest.mark.parametrize("status", ["scheduled", "started"])
def test_no_critique_before_the_lesson_is_taught(status: str) -> None:
    with pytest.raises(LifecycleError) as info:
        Discussion.open(**{**OPEN, "teaching_status": status})
    assert info.value.field == "teaching_id"


@pytest.mark.parametrize(("here", "there"), list(pairwise(PHASES)))
def test_phases_move_forward_one_at_a_time(here: str, there: str) -> None:
    discussion = at_phase(here)
    discussion.move_to_phase(by="fay", phase=there, at=minutes(5))
    assert then_events(discussion) == [
        (
            "Discussion.PhaseMoved",
            {"phase": there, "direction": "forward", "by": "fay", "at": minutes(5)},
        )
    ]


@pytest.mark.parametrize(("here", "there"), [(0, 2), (0, 7), (3, 5), (5, 7)])
def test_phases_cannot_be_skipped(here: int, there: int) -> None:
    discussion = at_phase(PHASES[here])
    then_refused(
        discussion,
        PhaseOrderError,
        "phase",
        lambda: discussion.move_to_phase(by="fay", phase=PHASES[there], at=AT),
    )


def test_back_to_any_earlier_phase_is_recorded_with_its_direction() -> None:
    discussion = at_phase("evaluation")
    discussion.move_to_phase(by="fay", phase="instructor_reflection", at=minutes(30))
    assert then_events(discussion) == [
        (
            "Discussion.PhaseMoved",
            {"phase": "instructor_reflection", "direction": "back", "by": "fay", "at": minutes(30)},
        )
    ]
    assert discussion.phase_log[-1]["direction"] == "back"
    assert len(discussion.phase_log) == PHASES.index("evaluation") + 2


def test_moving_to_the_current_phase_changes_nothing() -> None:
    discussion = at_phase("patterns")
    discussion.move_to_phase(by="fay", phase="patterns", at=AT)
    then_no_events(discussion)


@pytest.mark.parametrize("phase", ["gossip", "closed"])
def test_unknown_phase_is_refused(phase: str) -> None:
    discussion = at_phase("patterns")
    then_refused(
        discussion,
        InvalidValueError,
        "phase",
        lambda: discussion.move_to_phase(by="fay", phase=phase, at=AT),
    )


def contribute(discussion: Discussion, by: str = "bob", **change: Any) -> bool:
    args: dict[str, Any] = {
        "roles": ["instructor"],
        "contribution_id": "c1",
        "text": " They read 0.25 as 25 ",
        "note_ids": [],
        "known_notes": KNOWN,
        **change,
    }
    return discussion.contribute(by=by, **args)


def test_the_instructor_speaks_first() -> None:
    discussion = at_phase("instructor_reflection")
    assert contribute(discussion)
    assert then_events(discussion) == [
        (
            "Discussion.Contributed",
            {
                "contribution_id": "c1",
                "phase": "instructor_reflection",
                "by": "bob",
                "text": "They read 0.25 as 25",
                "note_ids": [],
                "step_id": None,
            },
        )
    ]


def test_nobody_else_speaks_in_the_instructors_reflection() -> None:
    discussion = at_phase("instructor_reflection")
    then_refused(
        discussion,
        PermissionDeniedError,
        "phase",
        lambda: contribute(discussion, by="fay", roles=["facilitator", "instructor"]),
    )


def test_observers_share_their_notes_step_by_step() -> None:
    discussion = at_phase("observations")
    assert contribute(
        discussion, by="cy", roles=["observer"], note_ids=["n2", "n1", "n2"], step_id="s2"
    )
    events = then_events(discussion)
    assert [(e["phase"], e["by"], e["note_ids"], e["step_id"]) for _, e in events] == [
        ("observations", "cy", ["n2", "n1"], "s2")
    ]


def test_a_contribution_id_twice_is_a_retry() -> None:
    discussion = at_phase("planning_team")
    contribute(discussion, by="cy")
    then_events(discussion)
    assert not contribute(discussion, by="cy", text="other")
    then_no_events(discussion)


@pytest.mark.parametrize(
    ("change", "error", "field"),
    [
        ({"note_ids": ["n9"]}, EvidenceRequiredError, "note_ids"),
        ({"text": "  "}, InvalidValueError, "text"),
    ],
)
def test_contribution_refusals(change: dict[str, Any], error: type[Any], field: str) -> None:
    discussion = at_phase("planning_team")
    then_refused(discussion, error, field, lambda: contribute(discussion, by="cy", **change))


def test_only_the_knowledgeable_other_speaks_in_their_phase() -> None:
    discussion = at_phase("knowledgeable_other")
    then_refused(
        discussion,
        PermissionDeniedError,
        "phase",
        lambda: contribute(discussion, by="fay", roles=["facilitator", "observer"]),
    )
    assert contribute(discussion, by="kim", roles=["knowledgeable_other"])
    assert [e["by"] for _, e in then_events(discussion)] == ["kim"]


def test_close_once_a_revision_is_accepted() -> None:
    discussion = with_a_revision(accepted=True)
    discussion.close(by="fay", next_plan_version=2, at=minutes(60))
    assert then_events(discussion) == [
        ("Discussion.Closed", {"next_plan_version": 2, "by": "fay", "at": minutes(60)})
    ]
    assert (discussion.phase, discussion.next_plan_version) == ("closed", 2)


def test_close_needs_an_accepted_revision() -> None:
    discussion = with_a_revision()
    discussion.decide_revision(by="fay", revision_id="rev-1", accept=False)
    given(discussion)
    then_refused(
        discussion,
        LifecycleError,
        "revisions",
        lambda: discussion.close(by="fay", next_plan_version=2, at=AT),
    )


def test_close_belongs_to_next_steps() -> None:
    discussion = at_phase("knowledgeable_other")
    then_refused(
        discussion,
        PhaseOrderError,
        "phase",
        lambda: discussion.close(by="fay", next_plan_version=2, at=AT),
    )


COMMANDS: dict[str, Callable[[Discussion], object]] = {
    "move_to_phase": lambda d: d.move_to_phase(by="fay", phase="patterns", at=AT),
    "contribute": lambda d: contribute(d, by="cy", contribution_id="c9"),
    "create_pattern": lambda d: d.create_pattern(
        by="cy", pattern_id="p9", name="n", note_ids=["n1"], known_notes=KNOWN
    ),
    "rename_pattern": lambda d: d.rename_pattern(by="cy", pattern_id="p1", name="n"),
    "place_note": lambda d: d.place_note(by="cy", note_id="n1", pattern_id=None, known_notes=KNOWN),
    "make_claim": lambda d: d.make_claim(
        by="cy", claim_id="k9", text="t", note_ids=["n1"], known_notes=KNOWN
    ),
    "confirm_misconception": lambda d: d.confirm_misconception(
        by="fay", misconception_id="m-1", note_ids=["n1"], known_notes=KNOWN
    ),
    "propose_revision": lambda d: d.propose_revision(
        by="cy",
        revision_id="rev-9",
        summary="s",
        changes=CHANGES,
        note_ids=["n1"],
        known_notes=KNOWN,
    ),
    "decide_revision": lambda d: d.decide_revision(by="fay", revision_id="rev-1", accept=False),
    "close": lambda d: d.close(by="fay", next_plan_version=3, at=AT),
}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_closed_discussion_refuses_everything(command: str) -> None:
    discussion = with_a_revision(accepted=True)
    discussion.close(by="fay", next_plan_version=2, at=AT)
    then_events(discussion)
    then_refused(discussion, LifecycleError, "phase", lambda: COMMANDS[command](discussion))

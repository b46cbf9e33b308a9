"""Discussions in known phases, shared by the discussion tests."""

from __future__ import annotations

from typing import Any

from domain.gwt import AT, given

from lessonstudy.domain.discussion import PHASES, Discussion

KNOWN = frozenset({"n1", "n2", "n3"})
OPEN: dict[str, Any] = {
    "teaching_id": "teaching-1",
    "lesson_id": "lesson-1",
    "team_id": "team-1",
    "instructor_id": "bob",
    "teaching_status": "ended",
    "by": "fay",
    "at": AT,
}
CHANGES = [{"op": "change_step", "step_id": "s1", "field": "minutes", "value": 15}]


def at_phase(phase: str) -> Discussion:
    """Opened by the facilitator fay, then moved forward one phase at a time."""
    discussion = Discussion.open(**OPEN)
    for name in PHASES[1 : PHASES.index(phase) + 1]:
        discussion.move_to_phase(by="fay", phase=name, at=AT)
    return given(discussion)


def with_patterns() -> Discussion:
    """At the patterns phase with pattern p1 (n1, n2) and p2 (n3)."""
    discussion = at_phase("patterns")
    discussion.create_pattern(
        by="cy", pattern_id="p1", name="Longer is larger", note_ids=["n1", "n2"], known_notes=KNOWN
    )
    discussion.create_pattern(
        by="cy", pattern_id="p2", name="Lines up points", note_ids=["n3"], known_notes=KNOWN
    )
    return given(discussion)


def with_a_revision(accepted: bool = False) -> Discussion:
    """At next_steps with revision rev-1 proposed (and accepted when asked)."""
    discussion = at_phase("next_steps")
    discussion.propose_revision(
        by="cy",
        revision_id="rev-1",
        summary="More time to explore",
        changes=CHANGES,
        note_ids=["n1"],
        known_notes=KNOWN,
    )
    if accepted:
        discussion.decide_revision(by="fay", revision_id="rev-1", accept=True)
    return given(discussion)

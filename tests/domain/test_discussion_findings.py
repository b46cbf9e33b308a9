"""Discussion: patterns, claims, confirmed misconceptions and revisions, each citing notes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from domain.discussions import CHANGES, KNOWN, at_phase, with_patterns
from domain.gwt import AT, given, then_events, then_no_events, then_refused

from lessonstudy.domain.discussion import PHASES, Discussion
from lessonstudy.domain.errors import (
    EvidenceRequiredError,
    InvalidValueError,
    NotFoundError,
    PhaseOrderError,
)

Cite = Callable[[Discussion, Any], object]

# Every command that cites notes, with the phase it belongs to; each takes note_ids.
CITING: dict[str, tuple[str, Cite]] = {
    "create_pattern": (
        "observations",
        lambda d, ids: d.create_pattern(
            by="cy", pattern_id="p9", name="n", note_ids=ids, known_notes=KNOWN
        ),
    ),
    "place_note": (
        "patterns",
        lambda d, ids: d.place_note(by="cy", note_id=ids[0], pattern_id=None, known_notes=KNOWN),
    ),
    "make_claim": (
        "prediction",
        lambda d, ids: d.make_claim(
            by="cy", claim_id="k1", text="t", note_ids=ids, known_notes=KNOWN
        ),
    ),
    "confirm_misconception": (
        "evaluation",
        lambda d, ids: d.confirm_misconception(
            by="fay", misconception_id="m-1", note_ids=ids, known_notes=KNOWN
        ),
    ),
    "propose_revision": (
        "next_steps",
        lambda d, ids: d.propose_revision(
            by="cy",
            revision_id="rev-9",
            summary="s",
            changes=CHANGES,
            note_ids=ids,
            known_notes=KNOWN,
        ),
    ),
}
ALLOWED = {
    "create_pattern": {"observations", "patterns"},
    "place_note": {"observations", "patterns"},
    "make_claim": {"patterns", "prediction", "evaluation"},
    "confirm_misconception": {"patterns", "evaluation"},
    "propose_revision": {"next_steps"},
}


@pytest.mark.parametrize("command", [c for c in CITING if c != "place_note"])
@pytest.mark.parametrize("note_ids", [[], ["n1", "n9"], ("n9",), "n1"])
def test_every_citation_needs_known_notes(command: str, note_ids: Any) -> None:
    phase, run = CITING[command]
    discussion = at_phase(phase)
    then_refused(discussion, EvidenceRequiredError, "note_ids", lambda: run(discussion, note_ids))


def test_only_known_notes_are_placed() -> None:
    discussion = with_patterns()
    then_refused(
        discussion,
        EvidenceRequiredError,
        "note_ids",
        lambda: discussion.place_note(by="cy", note_id="n9", pattern_id="p1", known_notes=KNOWN),
    )


@pytest.mark.parametrize(
    ("command", "phase"),
    [(c, p) for c in CITING for p in PHASES if p not in ALLOWED[c]],
)
def test_each_kind_of_work_belongs_to_its_phases(command: str, phase: str) -> None:
    discussion = at_phase(phase)
    then_refused(
        discussion, PhaseOrderError, "phase", lambda: CITING[command][1](discussion, ["n1"])
    )


@pytest.mark.parametrize(("command", "phase"), [(c, p) for c in CITING for p in sorted(ALLOWED[c])])
def test_each_kind_of_work_is_accepted_in_its_phases(command: str, phase: str) -> None:
    discussion = at_phase(phase)
    if command == "place_note":
        discussion.create_pattern(
            by="cy", pattern_id="p1", name="n", note_ids=["n1"], known_notes=KNOWN
        )
        given(discussion)
    assert CITING[command][1](discussion, ["n1"]) is True
    assert len(then_events(discussion)) == 1


def test_create_pattern_takes_its_notes_from_other_patterns() -> None:
    discussion = with_patterns()
    assert discussion.create_pattern(
        by="dan", pattern_id="p3", name=" Adds zeros ", note_ids=["n2", "n3"], known_notes=KNOWN
    )
    assert then_events(discussion) == [
        (
            "Discussion.PatternCreated",
            {"pattern_id": "p3", "name": "Adds zeros", "note_ids": ["n2", "n3"], "by": "dan"},
        )
    ]
    assert {p: v["note_ids"] for p, v in discussion.patterns.items()} == {
        "p1": ["n1"],
        "p2": [],
        "p3": ["n2", "n3"],
    }


def test_create_pattern_refusals() -> None:
    discussion = with_patterns()
    assert not discussion.create_pattern(
        by="dan", pattern_id="p1", name="Other", note_ids=["n3"], known_notes=KNOWN
    )
    then_no_events(discussion)
    then_refused(
        discussion,
        InvalidValueError,
        "name",
        lambda: discussion.create_pattern(
            by="dan", pattern_id="p3", name="", note_ids=["n3"], known_notes=KNOWN
        ),
    )


def test_rename_pattern() -> None:
    discussion = with_patterns()
    discussion.rename_pattern(by="dan", pattern_id="p1", name="More digits, larger")
    assert then_events(discussion) == [
        (
            "Discussion.PatternRenamed",
            {"pattern_id": "p1", "name": "More digits, larger", "by": "dan"},
        )
    ]
    discussion.rename_pattern(by="dan", pattern_id="p1", name=" More digits, larger ")
    then_no_events(discussion)


@pytest.mark.parametrize(
    ("pattern_id", "name", "error", "field"),
    [("p9", "x", NotFoundError, "pattern_id"), ("p1", " ", InvalidValueError, "name")],
)
def test_rename_pattern_refusals(pattern_id: str, name: str, error: type[Any], field: str) -> None:
    discussion = with_patterns()
    then_refused(
        discussion,
        error,
        field,
        lambda: discussion.rename_pattern(by="dan", pattern_id=pattern_id, name=name),
    )


def test_rename_pattern_belongs_to_clustering() -> None:
    discussion = with_patterns()
    discussion.move_to_phase(by="fay", phase="prediction", at=AT)
    given(discussion)
    then_refused(
        discussion,
        PhaseOrderError,
        "phase",
        lambda: discussion.rename_pattern(by="dan", pattern_id="p1", name="x"),
    )


@pytest.mark.parametrize(
    ("note_id", "pattern_id", "after"),
    [
        ("n1", "p2", {"p1": ["n2"], "p2": ["n3", "n1"]}),
        ("n3", None, {"p1": ["n1", "n2"], "p2": []}),
    ],
)
def test_place_note_moves_it_between_patterns(
    note_id: str, pattern_id: str | None, after: dict[str, list[str]]
) -> None:
    discussion = with_patterns()
    assert discussion.place_note(
        by="dan", note_id=note_id, pattern_id=pattern_id, known_notes=KNOWN
    )
    assert then_events(discussion) == [
        ("Discussion.NotePlaced", {"note_id": note_id, "pattern_id": pattern_id, "by": "dan"})
    ]
    assert {p: v["note_ids"] for p, v in discussion.patterns.items()} == after
    assert discussion.pattern_of(note_id) == pattern_id


def test_place_note_where_it_is_changes_nothing() -> None:
    discussion = with_patterns()
    assert not discussion.place_note(by="dan", note_id="n1", pattern_id="p1", known_notes=KNOWN)
    then_no_events(discussion)


def test_place_note_into_an_unknown_pattern() -> None:
    discussion = with_patterns()
    then_refused(
        discussion,
        NotFoundError,
        "pattern_id",
        lambda: discussion.place_note(by="dan", note_id="n1", pattern_id="p9", known_notes=KNOWN),
    )


def test_make_claim() -> None:
    discussion = at_phase("prediction")
    assert discussion.make_claim(
        by="cy",
        claim_id="k1",
        text=" Compares digit counts ",
        note_ids=["n1", "n1", "n3"],
        known_notes=KNOWN,
    )
    assert then_events(discussion) == [
        (
            "Discussion.ClaimMade",
            {
                "claim_id": "k1",
                "phase": "prediction",
                "text": "Compares digit counts",
                "note_ids": ["n1", "n3"],
                "by": "cy",
            },
        )
    ]
    assert not discussion.make_claim(
        by="cy", claim_id="k1", text="again", note_ids=["n2"], known_notes=KNOWN
    )
    then_no_events(discussion)
    then_refused(
        discussion,
        InvalidValueError,
        "text",
        lambda: discussion.make_claim(
            by="cy", claim_id="k2", text="", note_ids=["n2"], known_notes=KNOWN
        ),
    )


def test_confirm_misconception() -> None:
    discussion = at_phase("evaluation")

    def confirm(d: Discussion, helpful: Any) -> bool:
        return d.confirm_misconception(
            by="fay",
            misconception_id="m-1",
            note_ids=["n1", "n2"],
            known_notes=KNOWN,
            helpful_responses=helpful,
        )

    assert confirm(discussion, " A number line ")
    assert then_events(discussion) == [
        (
            "Discussion.MisconceptionConfirmed",
            {
                "misconception_id": "m-1",
                "note_ids": ["n1", "n2"],
                "helpful_responses": "A number line",
                "by": "fay",
            },
        )
    ]
    assert not confirm(discussion, "A number line")
    then_no_events(discussion)
    assert confirm(discussion, "Money: 25p and 30p")
    assert [e["helpful_responses"] for _, e in then_events(discussion)] == ["Money: 25p and 30p"]
    then_refused(discussion, InvalidValueError, "helpful_responses", lambda: confirm(discussion, 5))


def test_resends_are_acknowledged_after_the_phase_has_moved_on() -> None:
    """A device that lost an acknowledgement resends; the discussion moved on meanwhile."""
    discussion = with_patterns()
    discussion.confirm_misconception(
        by="fay", misconception_id="m1", note_ids=["n1"], known_notes=KNOWN
    )
    discussion.make_claim(
        by="cy", claim_id="c1", text="Longer means larger", note_ids=["n1"], known_notes=KNOWN
    )
    for phase in ("prediction", "evaluation", "knowledgeable_other", "next_steps"):
        discussion.move_to_phase(by="fay", phase=phase, at=AT)
    given(discussion)
    assert (
        discussion.create_pattern(
            by="cy", pattern_id="p1", name="Longer is larger", note_ids=["n1"], known_notes=KNOWN
        )
        is False
    )
    assert (
        discussion.make_claim(
            by="cy", claim_id="c1", text="Longer means larger", note_ids=["n1"], known_notes=KNOWN
        )
        is False
    )
    assert (
        discussion.confirm_misconception(
            by="fay", misconception_id="m1", note_ids=["n1"], known_notes=KNOWN
        )
        is False
    )
    then_no_events(discussion)

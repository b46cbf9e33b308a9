"""Two people at one board: a change made from what a screen showed a moment ago.

A facilitator's "next", a pattern's new name and a card's move may carry what the
screen showed; if the discussion changed meanwhile the command is a conflict carrying
the current state, and a command that would change nothing is simply acknowledged.
"""

from __future__ import annotations

from domain.discussions import KNOWN, at_phase, with_patterns
from domain.gwt import AT, then_events, then_no_events, then_refused

from lessonstudy.domain.errors import ConflictError


def test_a_second_next_from_a_stale_phase_does_not_skip_one() -> None:
    discussion = at_phase("planning_team")
    error = then_refused(
        discussion,
        ConflictError,
        "from_phase",
        lambda: discussion.move_to_phase(
            by="fay", phase="patterns", at=AT, from_phase="instructor_reflection"
        ),
    )
    assert error.current == {"phase": "planning_team"}


def test_moving_to_where_the_discussion_already_is_changes_nothing() -> None:
    discussion = at_phase("observations")
    discussion.move_to_phase(by="fay", phase="observations", at=AT, from_phase="planning_team")
    then_no_events(discussion)


def test_moving_on_from_the_phase_on_screen_works() -> None:
    discussion = at_phase("observations")
    discussion.move_to_phase(by="fay", phase="patterns", at=AT, from_phase="observations")
    assert [name for name, _ in then_events(discussion)] == ["Discussion.PhaseMoved"]


def test_renaming_from_a_stale_name_is_a_conflict_with_the_current_name() -> None:
    discussion = with_patterns()
    error = then_refused(
        discussion,
        ConflictError,
        "name",
        lambda: discussion.rename_pattern(
            by="cy", pattern_id="p1", name="Counts, not ratios", base_name="Old name"
        ),
    )
    assert error.current == {"pattern_id": "p1", "name": "Longer is larger"}
    # The same name chosen twice is no conflict, and a fresh base renames.
    discussion.rename_pattern(
        by="cy", pattern_id="p1", name="Longer is larger", base_name="Old name"
    )
    then_no_events(discussion)
    discussion.rename_pattern(
        by="cy", pattern_id="p1", name="Counts, not ratios", base_name="Longer is larger"
    )
    assert discussion.patterns["p1"]["name"] == "Counts, not ratios"


def test_a_card_moved_by_someone_else_meanwhile_is_a_conflict() -> None:
    discussion = with_patterns()
    error = then_refused(
        discussion,
        ConflictError,
        "from_pattern_id",
        lambda: discussion.place_note(
            by="cy",
            note_id="n1",
            pattern_id="p2",
            known_notes=KNOWN,
            check_from=True,
            from_pattern_id=None,
        ),
    )
    assert error.current == {"note_id": "n1", "pattern_id": "p1"}
    discussion.place_note(
        by="cy",
        note_id="n1",
        pattern_id="p2",
        known_notes=KNOWN,
        check_from=True,
        from_pattern_id="p1",
    )
    assert discussion.pattern_of("n1") == "p2"

"""Catching a live client up: the note changes after its last position, from the log.

A client that missed broadcasts asks for everything since the last position it has;
what it gets must be exactly what it missed, in order, and only this teaching's.
"""

from __future__ import annotations

import pytest
from application.scenario import (
    INSTRUCTOR,
    OBSERVER,
    PLANNER,
    FakeClock,
    lesson_with_plan,
    note,
    teach,
)

from lessonstudy.application import LessonStudy, note_feed


def summary(changes: list[note_feed.NoteChange]) -> list[tuple[str, str, str]]:
    return [(c.type, c.note_id, c.observer_id) for c in changes]


def test_changes_since_a_position_are_exactly_those_after_it(
    app: LessonStudy, clock: FakeClock
) -> None:
    _, _, lesson_id = lesson_with_plan(app)
    teaching_id = teach(app, lesson_id)
    other_id = teach(app, lesson_id, label="6B")
    clock.advance(seconds=60)
    first = app.record_note(actor_id=OBSERVER, teaching_id=teaching_id, note_id="a1", **note("A"))
    # What happens from here on is what a client holding `first.position` missed.
    app.record_note(actor_id=PLANNER, teaching_id=teaching_id, note_id="b1", **note("B"))
    app.record_note(actor_id=OBSERVER, teaching_id=other_id, note_id="x1", **note("elsewhere"))
    app.move_to_step(actor_id=INSTRUCTOR, teaching_id=teaching_id, step_id="s2")
    amended = app.amend_note(
        actor_id=OBSERVER, teaching_id=teaching_id, note_id="a1", changes={"text": '"3 of 4"'}
    )
    retracted = app.retract_note_once(
        actor_id=PLANNER, teaching_id=teaching_id, note_id="b1", reason="wrong seat"
    )

    caught = app.notes_since(teaching_id, first.position)

    assert not caught.snapshot
    assert caught.head == app.recorder.max_notification_id()
    assert summary(caught.changes) == [
        ("recorded", "b1", PLANNER),
        ("amended", "a1", OBSERVER),
        ("retracted", "b1", PLANNER),
    ]
    positions = [c.position for c in caught.changes]
    assert positions == sorted(positions) and positions[-1] == retracted.position
    assert caught.changes[1].changes == {"text": '"3 of 4"'}
    assert caught.changes[1].position == amended.position
    assert caught.changes[2].reason == "wrong seat"
    recorded = caught.changes[0].note
    assert recorded is not None and recorded["text"] == "B" and recorded["retracted"] is False
    # Nothing after the head: an empty list, not a snapshot.
    assert app.notes_since(teaching_id, caught.head).changes == []


def test_a_broadcast_is_the_same_change_catch_up_replays(app: LessonStudy) -> None:
    _, _, lesson_id = lesson_with_plan(app)
    teaching_id = teach(app, lesson_id)
    receipt = app.record_note(actor_id=OBSERVER, teaching_id=teaching_id, note_id="a1", **note("A"))
    live = app.note_change_at(teaching_id, OBSERVER, receipt.position)
    replayed = app.notes_since(teaching_id, receipt.position - 1).changes
    assert live is not None and replayed == [live]
    # Another observer's position is not theirs to claim.
    assert app.note_change_at(teaching_id, PLANNER, receipt.position) is None


def test_each_receipt_carries_the_change_as_the_log_reads_it_back(app: LessonStudy) -> None:
    """Live rooms are sent the receipt's change, built from the saved event rather
    than read back: it must equal what the log gives at that position."""
    _, _, lesson_id = lesson_with_plan(app)
    teaching_id = teach(app, lesson_id)
    ids = {"actor_id": OBSERVER, "teaching_id": teaching_id, "note_id": "a1"}
    receipts = [
        app.record_note(**ids, **note("A")),
        app.amend_note(**ids, changes={"text": '"3 of 4"', "flagged": True}),
        app.retract_note_once(**ids, reason="wrong seat"),
    ]
    for receipt in receipts:
        read_back = app.note_change_at(teaching_id, OBSERVER, receipt.position)
        assert receipt.change is not None and receipt.change == read_back
    assert [r.change.type for r in receipts if r.change] == ["recorded", "amended", "retracted"]
    # A resend stores nothing, so there is nothing new to send the room.
    assert app.record_note(**ids, **note("A")).change is None
    assert app.retract_note_once(**ids, reason="wrong seat").change is None


def test_from_zero_or_an_unknown_position_gives_every_note_as_it_stands(
    app: LessonStudy,
) -> None:
    _, _, lesson_id = lesson_with_plan(app)
    teaching_id = teach(app, lesson_id)
    app.record_note(actor_id=OBSERVER, teaching_id=teaching_id, note_id="a1", **note("A"))
    app.record_note(actor_id=PLANNER, teaching_id=teaching_id, note_id="b1", **note("B"))
    app.amend_note(actor_id=OBSERVER, teaching_id=teaching_id, note_id="a1", changes={"text": "Z"})
    app.retract_note(actor_id=PLANNER, teaching_id=teaching_id, note_id="b1")
    head = app.recorder.max_notification_id()
    for since in (0, (head or 0) + 10):
        caught = app.notes_since(teaching_id, since)
        assert caught.snapshot and caught.head == head
        notes = {c.note_id: c.note for c in caught.changes}
        assert notes["a1"] is not None and notes["a1"]["text"] == "Z"
        assert notes["b1"] is not None and notes["b1"]["retracted"] is True
        assert all(c.position is None and c.type == "recorded" for c in caught.changes)


def test_a_gap_too_long_to_replay_falls_back_to_a_snapshot(
    app: LessonStudy, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, _, lesson_id = lesson_with_plan(app)
    teaching_id = teach(app, lesson_id)
    first = app.record_note(actor_id=OBSERVER, teaching_id=teaching_id, note_id="a0", **note("A"))
    for n in range(1, 4):
        app.record_note(actor_id=OBSERVER, teaching_id=teaching_id, note_id=f"a{n}", **note("A"))
    assert not app.notes_since(teaching_id, first.position).snapshot
    monkeypatch.setattr(note_feed, "SCAN_LIMIT", 2)
    monkeypatch.setattr(note_feed, "SCAN_PAGE", 2)
    caught = app.notes_since(teaching_id, first.position)
    assert caught.snapshot
    assert sorted(c.note_id for c in caught.changes) == ["a0", "a1", "a2", "a3"]


def test_resent_amendments_and_retractions_are_duplicates(app: LessonStudy) -> None:
    _, _, lesson_id = lesson_with_plan(app)
    teaching_id = teach(app, lesson_id)
    app.record_note(actor_id=OBSERVER, teaching_id=teaching_id, note_id="a1", **note("A"))
    ids = {"actor_id": OBSERVER, "teaching_id": teaching_id, "note_id": "a1"}
    assert not app.amend_note(**ids, changes={"text": "B"}).duplicate
    head = app.recorder.max_notification_id()
    assert app.amend_note(**ids, changes={"text": "B"}).duplicate
    assert not app.retract_note_once(**ids).duplicate
    assert app.retract_note_once(**ids).duplicate
    assert app.recorder.max_notification_id() == (head or 0) + 1

"""A note sent twice is stored once and acknowledged with the original's position.

Observers on school Wi-Fi resend notes they got no ack for; the same note id may
even arrive on two server processes at once.
"""

from __future__ import annotations

import pytest
from application.scenario import (
    INSTRUCTOR,
    OBSERVER,
    PLANNER,
    FakeClock,
    SaveGate,
    lesson_with_plan,
    note,
    run_together,
    teach,
)

from lessonstudy.application import LessonStudy
from lessonstudy.application.results import NoteReceipt


def note_records(app: LessonStudy, lesson_id: str) -> list[str]:
    return [e.data["note_id"] for e in app.lesson_history(lesson_id) if e.event == "NoteRecorded"]


def test_the_same_note_twice_acks_the_original(app: LessonStudy, clock: FakeClock) -> None:
    _, _, lesson_id = lesson_with_plan(app)
    teaching_id = teach(app, lesson_id)
    clock.advance(seconds=90)
    first = app.record_note(
        actor_id=OBSERVER, teaching_id=teaching_id, note_id="a1", **note('"Red, 3 of 4"')
    )
    # Other writes move the head of the log on, so a wrong position would show.
    clock.advance(seconds=30)
    app.record_note(actor_id=PLANNER, teaching_id=teaching_id, note_id="b1", **note("Counts"))
    app.move_to_step(actor_id=INSTRUCTOR, teaching_id=teaching_id, step_id="s2")
    head = app.recorder.max_notification_id()
    clock.advance(seconds=30)
    again = app.record_note(
        actor_id=OBSERVER, teaching_id=teaching_id, note_id="a1", **note("Edited on resend")
    )
    assert first.duplicate is False and again.duplicate is True
    assert again.position == first.position != head
    assert again.note == first.note
    assert again.note["text"] == '"Red, 3 of 4"'
    assert again.note["offset_seconds"] == 90.0
    assert again.nudge is None
    assert app.recorder.max_notification_id() == head  # nothing written
    assert [n["note_id"] for n in app.get_notes(teaching_id)] == ["a1", "b1"]
    assert note_records(app, lesson_id) == ["a1", "b1"]


@pytest.mark.parametrize("gated", [True, False], ids=["race", "free"])
def test_the_same_note_from_two_servers_at_once_is_stored_once(
    app: LessonStudy,
    peer: LessonStudy,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    gated: bool,
) -> None:
    _, _, lesson_id = lesson_with_plan(app)
    teaching_id = teach(app, lesson_id)
    clock.advance(minutes=1)
    gate = SaveGate(monkeypatch, [app, peer], parties=2) if gated else None
    fields = note('"Half and half"', code="G2-S1")
    receipts = run_together(
        *(
            lambda s=service: s.record_note(
                actor_id=OBSERVER, teaching_id=teaching_id, note_id="c1", **fields
            )
            for service in (app, peer)
        )
    )
    assert all(isinstance(r, NoteReceipt) for r in receipts), receipts
    assert sorted(r.duplicate for r in receipts) == [False, True]
    assert receipts[0].position == receipts[1].position == app.recorder.max_notification_id()
    assert receipts[0].note == receipts[1].note
    if gate is not None:
        # Both opened the observer's log; the loser ran again and found the note.
        assert gate.conflicts == 1
    for service in (app, peer):
        notes = service.get_notes(teaching_id)
        assert [(n["note_id"], n["subject_code"]) for n in notes] == [("c1", "G2-S1")]
    assert note_records(app, lesson_id) == ["c1"]
    opened = [e for e in app.lesson_history(lesson_id) if e.aggregate == "ObservationLog"]
    assert [e.event for e in opened] == ["Opened", "NoteRecorded"]

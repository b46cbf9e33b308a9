"""Notes over Socket.IO: acked once committed, broadcast once, caught up by position."""

from __future__ import annotations

from realtime.room import Lesson, note, notes_recorded, received, record

from lessonstudy.application.note_feed import NOTE_TOPICS


def stored_note_events(lesson: Lesson) -> list[str]:
    """Every note event in the log, by note id: what "stored once" is checked against."""
    recorder = lesson.world.site.services.service.recorder
    mapper = lesson.world.site.services.service.mapper
    found = recorder.select_notifications(start=1, limit=10_000, topics=list(NOTE_TOPICS))
    return [mapper.to_domain_event(n).note_id for n in found]


def test_a_note_is_acked_with_its_position_and_reaches_the_room(lesson: Lesson) -> None:
    world = lesson.world
    obi, ana = lesson.observer(world.obi), lesson.observer(world.ana)
    elsewhere = lesson.connect(world.ana)  # connected, not in the room
    head = world.site.head()
    ack = record(obi, lesson, text='"B has more red, so B"', response_ids=["r1"])
    assert ack["ok"] is True and ack["duplicate"] is False
    assert ack["position"] == world.site.head() > head
    assert ack["note"]["text"] == '"B has more red, so B"'
    assert ack["note"]["observer_id"] == world.obi.id
    assert "nudge" not in ack
    for client in (ana, obi):
        [change] = notes_recorded(client)
        assert change["type"] == "recorded"
        assert change["position"] == ack["position"]
        assert change["teaching_id"] == lesson.teaching_id
        assert change["note"] == ack["note"]
    assert received(elsewhere) == []


def test_a_resent_note_acks_the_original_and_is_not_broadcast_or_stored_again(
    lesson: Lesson,
) -> None:
    obi, ana = lesson.observer(lesson.world.obi), lesson.observer(lesson.world.ana)
    payload = {"teaching_id": lesson.teaching_id, **note('"Red, 3 of 4"')}
    first = obi.emit("note:record", payload, callback=True)
    record(ana, lesson)  # moves the head on, so a wrong position would show
    received(obi), received(ana)
    again = obi.emit("note:record", {**payload, "text": "edited on resend"}, callback=True)
    assert again["duplicate"] is True
    assert again["position"] == first["position"]
    assert again["note"] == first["note"]
    assert received(obi) == [] and received(ana) == []
    assert stored_note_events(lesson).count(payload["note_id"]) == 1


def test_a_judgement_gets_a_nudge_and_is_still_stored(lesson: Lesson) -> None:
    obi = lesson.observer(lesson.world.obi)
    ack = record(obi, lesson, text="He is bored and weak at this")
    assert ack["ok"] is True and ack["nudge"]
    assert ack["position"] == lesson.world.site.head()


def test_amend_and_retract_own_notes_reach_the_room_once(lesson: Lesson) -> None:
    obi, ana = lesson.observer(lesson.world.obi), lesson.observer(lesson.world.ana)
    note_id = record(obi, lesson)["note_id"]
    received(ana)
    ids = {"teaching_id": lesson.teaching_id, "note_id": note_id}
    amended = obi.emit("note:amend", {**ids, "changes": {"text": '"6 of 8"'}}, callback=True)
    assert amended["ok"] and not amended["duplicate"]
    assert amended["note"]["text"] == '"6 of 8"' and amended["note"]["amendments"] == 1
    again = obi.emit("note:amend", {**ids, "changes": {"text": '"6 of 8"'}}, callback=True)
    assert again["duplicate"] is True and again["position"] is None
    retracted = obi.emit("note:retract", {**ids, "reason": "wrong seat"}, callback=True)
    assert retracted["ok"] and not retracted["duplicate"]
    assert retracted["note"]["retracted"] is True
    resent = obi.emit("note:retract", {**ids, "reason": "wrong seat"}, callback=True)
    assert resent == {**resent, "ok": True, "duplicate": True, "position": None}
    heard = received(ana, "note:amended", "note:retracted")
    assert [(name, body["position"]) for name, body in heard] == [
        ("note:amended", amended["position"]),
        ("note:retracted", retracted["position"]),
    ]
    assert heard[0][1]["changes"] == {"text": '"6 of 8"'}
    assert heard[1][1]["reason"] == "wrong seat"


def test_catch_up_returns_exactly_the_changes_missed(lesson: Lesson) -> None:
    world = lesson.world
    obi = lesson.observer(world.obi)
    first = record(obi, lesson, text="one")
    ana = lesson.observer(world.ana, since=first["position"])
    # Obi goes away; what happens next reaches Ana live but not Obi.
    obi.disconnect()
    second = record(ana, lesson, text="two")
    ids = {"teaching_id": lesson.teaching_id, "note_id": second["note_id"]}
    ana.emit("note:amend", {**ids, "changes": {"flagged": True}}, callback=True)
    ana.emit("note:retract", ids, callback=True)
    live = [body for _, body in received(ana, "note:recorded", "note:amended", "note:retracted")]
    back = lesson.connect(world.obi)
    ack = back.emit(
        "teaching:join",
        {"teaching_id": lesson.teaching_id, "since": first["position"]},
        callback=True,
    )
    assert ack["snapshot"] is False
    assert ack["notes_since"] == live
    assert [c["type"] for c in live] == ["recorded", "amended", "retracted"]
    assert ack["head"] == world.site.head() == live[-1]["position"]


def test_joining_from_zero_gets_every_note_as_it_stands(lesson: Lesson) -> None:
    obi = lesson.observer(lesson.world.obi)
    kept, dropped = record(obi, lesson, text="kept"), record(obi, lesson, text="dropped")
    ids = {"teaching_id": lesson.teaching_id, "note_id": dropped["note_id"]}
    obi.emit("note:retract", ids, callback=True)
    ack = lesson.connect(lesson.world.ana).emit(
        "teaching:join", {"teaching_id": lesson.teaching_id, "since": 0}, callback=True
    )
    assert ack["snapshot"] is True and ack["head"] == lesson.world.site.head()
    notes = {c["note_id"]: c["note"] for c in ack["notes_since"]}
    assert notes[kept["note_id"]]["text"] == "kept"
    assert notes[dropped["note_id"]]["retracted"] is True
    teaching = ack["teaching"]
    assert teaching["status"] == "started" and teaching["current_step_id"] == "s1"
    assert [s["id"] for s in teaching["steps"]] == ["s1", "s2"]
    assert ack["you"] == {"person_id": lesson.world.ana.id, "name": "Ana", "guest": False}


def test_after_leaving_the_room_nothing_more_arrives(memory_lesson: Lesson) -> None:
    lesson = memory_lesson
    obi, ana = lesson.observer(lesson.world.obi), lesson.observer(lesson.world.ana)
    ack = ana.emit("teaching:leave", {"teaching_id": lesson.teaching_id}, callback=True)
    assert ack == {"ok": True}
    record(obi, lesson)
    assert received(ana) == []
    assert len(notes_recorded(obi)) == 1

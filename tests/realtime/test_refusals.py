"""Every refusal in the teaching room: the REST error shape in the ack, and nothing stored.

The order is the REST API's: not signed in 401, unknown teaching 404, not on the team
and not its guest 403, then a bad payload 422 naming the field, and 409 for the wrong
moment in the lesson (a note before it starts, or after it ends).
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from flask_socketio import SocketIOTestClient
from realtime.room import Lesson, connect, note, received, record, refused, teach_lesson
from server.site import ok

EVENTS = ["teaching:join", "note:record", "note:amend", "note:retract", "teaching:focus"]


def full_payload(lesson: Lesson, event: str) -> dict[str, Any]:
    """A payload that would be accepted from a member (ids of a note that may not exist)."""
    ref = {"teaching_id": lesson.teaching_id}
    return {
        "teaching:join": {**ref, "since": 0},
        "note:record": {**ref, **note()},
        "note:amend": {**ref, "note_id": "n1", "changes": {"text": "x"}},
        "note:retract": {**ref, "note_id": "n1"},
        "teaching:focus": {**ref, "codes": ["G1"]},
    }[event]


def test_a_connection_needs_a_signed_in_person_or_a_guest(lesson: Lesson) -> None:
    socketio = lesson.world.site.services.socketio
    visitor = socketio.test_client(
        lesson.world.site.app, flask_test_client=lesson.world.visitor.client
    )
    assert not visitor.is_connected()


@pytest.mark.parametrize("event", EVENTS)
def test_outsiders_and_unknown_teachings_are_refused_before_the_payload_is_read(
    memory_lesson: Lesson, event: str
) -> None:
    lesson = memory_lesson
    world = lesson.world
    head = world.site.head()
    nia = connect(world, world.nia)  # signed in, on no team
    refused(nia.emit(event, full_payload(lesson, event), callback=True), 403)
    # An outsider learns nothing from validation messages: still 403 with a bad payload.
    refused(nia.emit(event, {"teaching_id": lesson.teaching_id, "bogus": 1}, callback=True), 403)
    obi = connect(world, world.obi)
    unknown = {**full_payload(lesson, event), "teaching_id": str(uuid.uuid4())}
    refused(obi.emit(event, unknown, callback=True), 404)
    assert world.site.head() == head
    assert received(nia) == []


@pytest.mark.parametrize("event", EVENTS)
def test_bad_payloads_are_422_naming_the_field(memory_lesson: Lesson, event: str) -> None:
    lesson = memory_lesson
    obi = connect(lesson.world, lesson.world.obi)
    head = lesson.world.site.head()
    refused(
        obi.emit(event, {**full_payload(lesson, event), "bogus": 1}, callback=True), 422, "bogus"
    )
    refused(obi.emit(event, {"since": 0}, callback=True), 422, "teaching_id")
    refused(obi.emit(event, {"teaching_id": "not-an-id"}, callback=True), 422, "teaching_id")
    refused(obi.emit(event, "a string", callback=True), 422, "request")
    refused(obi.emit(event, callback=True), 422, "request")
    assert lesson.world.site.head() == head


BAD_NOTES: list[tuple[dict[str, Any], str]] = [
    ({"note_id": None}, "note_id"),
    ({"note_id": "x" * 65}, "note_id"),
    ({"recorded_at": "2026-03-02T09:00:00"}, "recorded_at"),  # no time zone
    ({"recorded_at": "yesterday"}, "recorded_at"),
    ({"subject_kind": "student"}, "subject_kind"),
    ({"subject_code": "Maria"}, "subject_code"),  # never a student's name
    ({"subject_code": "G9-S9"}, "subject_code"),  # not in the class layout
    ({"kind": "opinion"}, "kind"),
    ({"text": ""}, "text"),
    ({"text": "x" * 5001}, "text"),
    ({"step_id": "s9"}, "step_id"),
    ({"response_ids": ["r9"]}, "response_ids"),
    ({"response_ids": "r1"}, "response_ids"),
    ({"unanticipated": "yes"}, "unanticipated"),
    ({"unanticipated": True, "response_ids": ["r1"]}, "unanticipated"),
    ({"photo_id": "0" * 32 + ".jpg"}, "photo_id"),  # never uploaded
    ({"flagged": "no"}, "flagged"),
    ({"flagged": 1}, "flagged"),
]


def test_a_bad_note_is_422_naming_the_field_and_stores_nothing(memory_lesson: Lesson) -> None:
    lesson = memory_lesson
    obi = lesson.observer(lesson.world.obi)
    head = lesson.world.site.head()
    for change, field in BAD_NOTES:
        payload = {"teaching_id": lesson.teaching_id, **note(), **change}
        ack = obi.emit("note:record", payload, callback=True)
        assert "error" in ack, (change, ack)
        refused(ack, 422, field)
    assert lesson.world.site.head() == head
    assert received(obi, "note:recorded") == []
    # And the same note, corrected, is stored: the refusals were about those fields.
    assert record(obi, lesson)["ok"] is True


def test_notes_wait_for_the_lesson_to_start_and_stop_when_it_ends(memory_world: Any) -> None:
    lesson = teach_lesson(memory_world, start=False)
    obi = lesson.observer(memory_world.obi)
    refused(record(obi, lesson), 409, "teaching_id")
    ok(memory_world.ana.post(f"{lesson.url}/start", {}))
    written = record(obi, lesson)
    ok(memory_world.ana.post(f"{lesson.url}/end"))
    # The lesson is over; amending a note (adding what was seen) is still allowed.
    ids = {"teaching_id": lesson.teaching_id, "note_id": written["note_id"]}
    assert obi.emit("note:amend", {**ids, "changes": {"flagged": True}}, callback=True)["ok"]


def test_nobody_amends_or_retracts_another_observers_note(memory_lesson: Lesson) -> None:
    lesson = memory_lesson
    world = lesson.world
    obi, ana = lesson.observer(world.obi), lesson.observer(world.ana)
    note_id = record(obi, lesson, text="Obi's own")["note_id"]
    received(obi)
    head = world.site.head()
    ids = {"teaching_id": lesson.teaching_id, "note_id": note_id}
    # Ana writes only her own log, where this note is not: she is refused, naming it.
    refused(
        ana.emit("note:amend", {**ids, "changes": {"text": "Ana's"}}, callback=True), 422, "note_id"
    )
    refused(ana.emit("note:retract", ids, callback=True), 422, "note_id")
    # Recording a note with Obi's id stores a note of Ana's own, not a change to his.
    clash = record(ana, lesson, note_id=note_id, text="Ana's, same id")
    assert clash["duplicate"] is False and clash["note"]["observer_id"] == world.ana.id
    # Her log opened, her note, her first note registered on the teaching: Obi's untouched.
    assert world.site.head() == head + 3
    notes = lesson.world.site.services.service.get_notes(lesson.teaching_id)
    assert {(n["observer_id"], n["text"]) for n in notes} == {
        (world.obi.id, "Obi's own"),
        (world.ana.id, "Ana's, same id"),
    }


def test_a_member_removed_from_the_team_is_refused_at_once(memory_lesson: Lesson) -> None:
    lesson = memory_lesson
    world = lesson.world
    obi: SocketIOTestClient = lesson.observer(world.obi)
    ok(world.ana.delete(f"/api/v1/teams/{world.team_id}/members/{world.obi.id}"))
    refused(record(obi, lesson), 403)


@pytest.mark.parametrize("event", EVENTS)
def test_a_removed_member_s_open_connection_is_refused_every_event(
    lesson: Lesson, event: str
) -> None:
    """The connection resolves who it is once, when it opens; what they may do is
    checked on every event, so a member removed while connected (their note already
    stored, their client still in the room) is refused, before and after the payload
    is read, and nothing is written."""
    world = lesson.world
    obi: SocketIOTestClient = lesson.observer(world.obi)
    first = note()
    ack = obi.emit("note:record", {"teaching_id": lesson.teaching_id, **first}, callback=True)
    assert ack["ok"] is True, ack
    ok(world.ana.delete(f"/api/v1/teams/{world.team_id}/members/{world.obi.id}"))
    head = world.site.head()
    payload = full_payload(lesson, event)
    if event in ("note:amend", "note:retract"):
        payload["note_id"] = first["note_id"]  # their own note: still not theirs to change
    refused(obi.emit(event, payload, callback=True), 403)
    bad = {"teaching_id": lesson.teaching_id, "bogus": 1}
    refused(obi.emit(event, bad, callback=True), 403)
    assert world.site.head() == head

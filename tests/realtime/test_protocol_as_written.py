"""docs/realtime.md, point by point where an outside client found the server saying
otherwise: strict integers, what a bad nested value is named, which note fields an
amendment may change, the bounds of a note's time, a group's code, catalogue tags,
what an outsider's refusal says, and what a guest hears from the plan's room.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from realtime.room import Lesson, connect, received, record, refused
from server.site import error, ok


def join(client: Any, lesson: Lesson, since: object) -> dict[str, Any]:
    payload = {"teaching_id": lesson.teaching_id, "since": since}
    ack: dict[str, Any] = client.emit("teaching:join", payload, callback=True)
    return ack


@pytest.mark.parametrize("since", ["5", 1.5, True, "0"])
def test_since_is_a_json_integer_only(memory_lesson: Lesson, since: object) -> None:
    obi = connect(memory_lesson.world, memory_lesson.world.obi)
    refused(join(obi, memory_lesson, since), 422, "since")
    assert join(obi, memory_lesson, 0)["ok"] is True


def test_changes_that_are_not_an_object_are_named_changes(memory_lesson: Lesson) -> None:
    lesson = memory_lesson
    obi = lesson.observer(lesson.world.obi)
    note_id = record(obi, lesson)["note_id"]
    ids = {"teaching_id": lesson.teaching_id, "note_id": note_id}
    found = refused(obi.emit("note:amend", {**ids, "changes": "text"}, callback=True), 422)
    assert list(found["fields"]) == ["changes"], found
    assert found["message"].startswith("changes: "), found


@pytest.mark.parametrize("name", ["recorded_at", "note_id", "observer_id", "offset_seconds"])
def test_an_amendment_cannot_move_a_note_in_time_or_rename_it(
    memory_lesson: Lesson, name: str
) -> None:
    """The amendable fields are exactly the doc's list: a note's time is not among them."""
    lesson = memory_lesson
    obi = lesson.observer(lesson.world.obi)
    note_id = record(obi, lesson)["note_id"]
    head = lesson.world.site.head()
    changes = {name: dt.datetime.now(dt.UTC).isoformat()}
    ids = {"teaching_id": lesson.teaching_id, "note_id": note_id}
    refused(
        obi.emit("note:amend", {**ids, "changes": changes}, callback=True), 422, f"changes.{name}"
    )
    assert lesson.world.site.head() == head


def test_a_note_is_refiled_by_amending_its_step_subject_and_tags(memory_lesson: Lesson) -> None:
    lesson = memory_lesson
    world = lesson.world
    obi, ana = lesson.observer(world.obi), lesson.observer(world.ana)
    # Filed under step s1 as matching its anticipated response r1, about seat G1-S1.
    note_id = record(obi, lesson, response_ids=["r1"])["note_id"]
    received(ana)
    ids = {"teaching_id": lesson.teaching_id, "note_id": note_id}

    def amend(changes: dict[str, Any]) -> dict[str, Any]:
        ack: dict[str, Any] = obi.emit("note:amend", {**ids, "changes": changes}, callback=True)
        return ack

    # r1 is a response of s1, not of s2: moving the note means saying what it matches there.
    refused(amend({"step_id": "s2"}), 422, "response_ids")
    moved = amend({"step_id": "s2", "response_ids": []})
    assert moved["ok"] and (moved["note"]["step_id"], moved["note"]["response_ids"]) == ("s2", [])
    regrouped = amend({"subject_kind": "group", "subject_code": "G2"})
    assert regrouped["ok"], regrouped
    tagged = amend({"misconception_ids": [world.misconception_id], "unanticipated": True})
    assert tagged["ok"], tagged
    assert [changed["changes"] for _, changed in received(ana, "note:amended")] == [
        {"step_id": "s2", "response_ids": []},
        {"subject_kind": "group", "subject_code": "G2"},
        {"misconception_ids": [world.misconception_id], "unanticipated": True},
    ]
    stored = world.site.services.service.get_notes(lesson.teaching_id)[0]
    assert (stored["step_id"], stored["subject_kind"], stored["subject_code"]) == (
        "s2",
        "group",
        "G2",
    )
    assert stored["misconception_ids"] == [world.misconception_id]
    assert stored["recorded_at"] == dt.datetime.fromisoformat(moved["note"]["recorded_at"])


def test_a_note_cannot_be_dated_before_the_lesson(memory_lesson: Lesson) -> None:
    lesson = memory_lesson
    obi = lesson.observer(lesson.world.obi)
    head = lesson.world.site.head()
    refused(record(obi, lesson, recorded_at="2001-01-01T09:00:00+00:00"), 422, "recorded_at")
    started = dt.datetime.fromisoformat(ok(lesson.world.ana.get(lesson.url))["started_at"])
    early = started - dt.timedelta(minutes=6)
    refused(record(obi, lesson, recorded_at=early.isoformat()), 422, "recorded_at")
    assert lesson.world.site.head() == head
    # A device's clock a few minutes behind is not a mistake worth losing a note over.
    behind = record(obi, lesson, recorded_at=(started - dt.timedelta(minutes=4)).isoformat())
    assert behind["ok"] and -300 < behind["note"]["offset_seconds"] < 0


def test_a_group_note_names_a_group_and_a_seat_note_a_seat(memory_lesson: Lesson) -> None:
    lesson = memory_lesson
    obi = lesson.observer(lesson.world.obi)
    head = lesson.world.site.head()
    refused(record(obi, lesson, subject_kind="group", subject_code="G1-S1"), 422, "subject_code")
    refused(record(obi, lesson, subject_kind="seat", subject_code="G1"), 422, "subject_code")
    assert lesson.world.site.head() == head
    assert record(obi, lesson, subject_kind="group", subject_code="G1")["ok"] is True


def test_tags_name_entries_of_the_catalogue(memory_lesson: Lesson) -> None:
    lesson = memory_lesson
    world = lesson.world
    obi = lesson.observer(world.obi)
    head = world.site.head()
    for unknown in (
        ["00000000-0000-4000-8000-000000000000"],  # no such entry
        [world.team_id],  # something else's id
        ["not-an-id"],
        [world.misconception_id, "00000000-0000-4000-8000-000000000001"],
    ):
        refused(record(obi, lesson, misconception_ids=unknown), 422, "misconception_ids")
    assert world.site.head() == head
    tagged = record(obi, lesson, misconception_ids=[world.misconception_id])
    assert tagged["ok"] and tagged["note"]["misconception_ids"] == [world.misconception_id]
    ids = {"teaching_id": lesson.teaching_id, "note_id": tagged["note_id"]}
    changes = {
        "misconception_ids": [world.misconception_id, "00000000-0000-4000-8000-000000000000"]
    }
    amended = obi.emit("note:amend", {**ids, "changes": changes}, callback=True)
    refused(amended, 422, "misconception_ids")


def test_an_outsider_is_refused_without_learning_the_team_s_name(memory_lesson: Lesson) -> None:
    lesson = memory_lesson
    world = lesson.world
    team = ok(world.ana.get(f"/api/v1/teams/{world.team_id}"))["name"]
    nia = connect(world, world.nia)  # signed in, on no team
    answers = [
        refused(nia.emit("teaching:join", {"teaching_id": lesson.teaching_id}, callback=True), 403),
        refused(record(nia, lesson), 403),
        error(world.nia.get(lesson.url), 403),
        error(world.nia.get(f"/api/v1/teams/{world.team_id}"), 403),
        error(world.nia.get(world.plan), 403),
    ]
    for answer in answers:
        assert team not in str(answer), answer


def test_a_guest_is_told_the_plan_is_the_team_s_not_to_sign_in(memory_lesson: Lesson) -> None:
    lesson = memory_lesson
    world = lesson.world
    kit = connect(world, lesson.guest("Kit"))
    found = refused(kit.emit("plan:join", {"lesson_id": world.lesson_id}, callback=True), 403)
    assert "guest" in found["message"], found
    # The order stays 404 before 403, and the team's member still joins.
    unknown = {"lesson_id": "00000000-0000-4000-8000-000000000000"}
    refused(kit.emit("plan:join", unknown, callback=True), 404)
    obi = connect(world, world.obi)
    assert obi.emit("plan:join", {"lesson_id": world.lesson_id}, callback=True)["ok"] is True
    refused(
        connect(world, world.nia).emit("plan:join", {"lesson_id": world.lesson_id}, callback=True),
        403,
    )

"""Who has the room open: `teaching:presence` counts each person once, until they drop.

The instructor's page shows how many observers are in; these tests hold the server to
what that number means: people (not tabs), counted from when a page says it is there
until its last connection drops, announced to the room within a second, and refused
to anyone who may not see the teaching, in the REST error shape.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from flask_socketio import SocketIOTestClient
from realtime.room import Lesson, connect, received, refused

ANNOUNCED_WITHIN_SECONDS = 1.0


def here(client: SocketIOTestClient, lesson: Lesson) -> dict[str, Any]:
    ack: dict[str, Any] = client.emit(
        "teaching:presence", {"teaching_id": lesson.teaching_id}, callback=True
    )
    return ack


def next_announcement(client: SocketIOTestClient, lesson: Lesson) -> list[str]:
    """The people in the room's next presence announcement (the latest, if several)."""
    deadline = time.monotonic() + ANNOUNCED_WITHIN_SECONDS
    heard: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        heard += [p for _, p in received(client, "teaching:presence")]
        if heard:
            time.sleep(0.35)  # a gathered burst ends with one more at most
            heard += [p for _, p in received(client, "teaching:presence")]
            assert {p["teaching_id"] for p in heard} == {lesson.teaching_id}
            people: list[str] = heard[-1]["people"]
            return people
        time.sleep(0.02)
    raise AssertionError(f"no teaching:presence within {ANNOUNCED_WITHIN_SECONDS} s")


def test_people_are_counted_once_until_their_last_connection_drops(lesson: Lesson) -> None:
    world = lesson.world
    instructor = lesson.observer(world.ana)  # the instructor's page is in the room too
    assert here(instructor, lesson) == {"ok": True, "people": [world.ana.id]}
    assert next_announcement(instructor, lesson) == [world.ana.id]

    obi = lesson.observer(world.obi)
    ack = here(obi, lesson)
    assert ack["ok"] is True and sorted(ack["people"]) == sorted([world.ana.id, world.obi.id])
    assert sorted(next_announcement(instructor, lesson)) == sorted([world.ana.id, world.obi.id])

    kit = lesson.guest("Kit")
    guest = lesson.observer(kit)
    here(guest, lesson)
    everyone = sorted([world.ana.id, world.obi.id, kit.id])
    assert sorted(next_announcement(instructor, lesson)) == everyone

    # A second tab of the same person is still one person; so is closing one of two.
    obi_tablet = lesson.observer(world.obi)
    here(obi_tablet, lesson)
    assert sorted(next_announcement(instructor, lesson)) == everyone
    obi.disconnect()
    assert sorted(next_announcement(instructor, lesson)) == everyone
    obi_tablet.disconnect()
    assert sorted(next_announcement(instructor, lesson)) == sorted([world.ana.id, kit.id])
    guest.disconnect()
    assert next_announcement(instructor, lesson) == [world.ana.id]


def test_a_page_in_the_room_that_has_not_said_it_is_there_is_not_counted(
    memory_lesson: Lesson,
) -> None:
    lesson = memory_lesson
    instructor = lesson.observer(lesson.world.ana)
    lesson.observer(lesson.world.obi)  # joined, catching up, not yet announced
    assert here(instructor, lesson)["people"] == [lesson.world.ana.id]


def test_presence_is_refused_to_outsiders_and_bad_payloads_in_the_rest_shape(
    memory_lesson: Lesson,
) -> None:
    lesson = memory_lesson
    world = lesson.world
    instructor = lesson.observer(world.ana)
    nia = connect(world, world.nia)  # signed in, on no team
    refused(here(nia, lesson), 403)
    obi = connect(world, world.obi)
    unknown = {"teaching_id": str(uuid.uuid4())}
    refused(obi.emit("teaching:presence", unknown, callback=True), 404)
    refused(obi.emit("teaching:presence", {}, callback=True), 422, "teaching_id")
    refused(obi.emit("teaching:presence", {"teaching_id": "x"}, callback=True), 422, "teaching_id")
    refused(obi.emit("teaching:presence", ["not", "an", "object"], callback=True), 422, "request")
    # A guest of another teaching is not let in either.
    other = lesson.guest("Lee")
    other_teaching = str(uuid.uuid4())
    refused(
        lesson.connect(other).emit(
            "teaching:presence", {"teaching_id": other_teaching}, callback=True
        ),
        403,
    )
    # Nobody was counted, so nothing was announced.
    time.sleep(0.4)
    assert received(instructor, "teaching:presence") == []

"""A lesson being taught, and observers' Socket.IO clients in its room.

Imported as ``realtime.room``. Clients are Flask-SocketIO test clients sharing each
person's cookie jar (``flask_test_client``), so they are signed in, or guests, exactly
as that person's pages are.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from flask_socketio import SocketIOTestClient
from server.site import Person, ok
from server.world import World

LAYOUT = {"G1": ["G1-S1", "G1-S2"], "G2": ["G2-S1", "G2-S2"]}


@dataclass
class Lesson:
    world: World
    teaching_id: str

    @property
    def url(self) -> str:
        return f"/api/v1/teachings/{self.teaching_id}"

    def connect(self, person: Person) -> SocketIOTestClient:
        return connect(self.world, person)

    def observer(self, person: Person, since: int = 0) -> SocketIOTestClient:
        """A connected client that has joined the room (its join ack checked)."""
        client = self.connect(person)
        ack = client.emit(
            "teaching:join", {"teaching_id": self.teaching_id, "since": since}, callback=True
        )
        assert ack["ok"] is True, ack
        return client

    def guest(self, name: str = "Kit", roles: list[str] | None = None) -> Person:
        """Someone with no account who typed the join code."""
        code = ok(self.world.ana.post(f"{self.url}/join-code"), 201)["join_code"]
        person = self.world.site.visitor(name)
        body: dict[str, Any] = {"join_code": code, "name": name}
        if roles:
            body["roles"] = roles
        person.id = ok(person.post(f"{self.url}/guests", body), 201)["person_id"]
        return person


def connect(world: World, person: Person) -> SocketIOTestClient:
    socketio = world.site.services.socketio
    client = socketio.test_client(world.site.app, flask_test_client=person.client)
    assert client.is_connected()
    return client


def teach_lesson(world: World, *, start: bool = True) -> Lesson:
    ok(
        world.ana.put(
            f"{world.plan}/fields/class_layout",
            {"value": LAYOUT, "base_revision": world.revision()},
        )
    )
    ok(world.ana.post(f"{world.plan}/steps", {"step_id": "s2"}), 201)
    body = {"instructor_id": world.ana.id, "class_label": "6A"}
    teaching = ok(world.ana.post(f"/api/v1/lessons/{world.lesson_id}/teachings", body), 201)
    lesson = Lesson(world, teaching["id"])
    if start:
        ok(world.ana.post(f"{lesson.url}/start", {}))
    return lesson


def note(text: str = '"Bag B has more red"', **extra: Any) -> dict[str, Any]:
    """The fields of a note about seat G1-S1 in step s1, with a fresh id."""
    return {
        "note_id": str(uuid.uuid4()),
        "recorded_at": dt.datetime.now(dt.UTC).isoformat(),
        "subject_kind": "seat",
        "subject_code": "G1-S1",
        "kind": "student_talk",
        "text": text,
        "step_id": "s1",
        **extra,
    }


def record(client: SocketIOTestClient, lesson: Lesson, **fields: Any) -> dict[str, Any]:
    payload = {"teaching_id": lesson.teaching_id, **note(), **fields}
    ack: dict[str, Any] = client.emit("note:record", payload, callback=True)
    return ack


def received(client: SocketIOTestClient, *names: str) -> list[tuple[str, dict[str, Any]]]:
    """The events this client was sent since last asked, by name (all if none given)."""
    return [
        (m["name"], m["args"][0]) for m in client.get_received() if not names or m["name"] in names
    ]


def notes_recorded(client: SocketIOTestClient) -> list[dict[str, Any]]:
    return [payload for _, payload in received(client, "note:recorded")]


def refused(ack: Any, status: int, field: str | None = None) -> dict[str, Any]:
    """The ack is exactly the REST error shape with this status (naming field if given)."""
    assert set(ack) == {"error"}, ack
    error: dict[str, Any] = ack["error"]
    assert error["status"] == status, ack
    assert error["code"] and error["message"]
    if field is not None:
        assert field in error["fields"], ack
    return error

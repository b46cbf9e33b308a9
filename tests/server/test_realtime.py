"""A plan edit made over REST is pushed on Socket.IO to the plan's room, and only there."""

from __future__ import annotations

from typing import Any

from flask_socketio import SocketIOTestClient
from server.site import Person, ok
from server.world import World


def connect(world: World, person: Person) -> SocketIOTestClient:
    socketio = world.site.services.socketio
    client = socketio.test_client(world.site.app, flask_test_client=person.client)
    assert client.is_connected()
    return client


def changes(client: SocketIOTestClient) -> list[dict[str, Any]]:
    return [m["args"][0] for m in client.get_received() if m["name"] == "plan:changed"]


def test_an_edit_reaches_the_plan_room_and_nobody_else(world: World) -> None:
    inside, outside = connect(world, world.obi), connect(world, world.ana)
    ack = inside.emit("plan:join", {"lesson_id": world.lesson_id}, callback=True)
    assert ack == {"ok": True, "revision": world.revision()}
    inside.get_received()
    base = world.revision()
    body = {"value": "Which bag gives red more often?", "base_revision": base}
    ok(world.ana.put(f"{world.plan}/steps/s1/fields/key_question", body))
    assert changes(inside) == [
        {
            "lesson_id": world.lesson_id,
            "revision": base + 1,
            "by": world.ana.id,
            "by_name": "Ana",
            "part": "step:s1:key_question",
            "kind": "StepFieldChanged",
            "value": "Which bag gives red more often?",
        }
    ]
    assert changes(outside) == []
    inside.disconnect()
    outside.disconnect()


def test_structure_changes_name_what_to_fetch_and_a_no_op_is_silent(world: World) -> None:
    room = connect(world, world.obi)
    room.emit("plan:join", {"lesson_id": world.lesson_id}, callback=True)
    ok(world.ana.post(f"{world.plan}/steps", {"step_id": "s2"}), 201)
    ok(world.ana.post(f"{world.plan}/steps", {"step_id": "s2"}), 201)  # a retry: no news
    body = {"kind": "correct_strategy", "text": "3/4 = 6/8"}
    ok(world.ana.post(f"{world.plan}/steps/s2/responses", body), 201)
    heard = changes(room)
    assert [(c["kind"], c["part"]) for c in heard] == [
        ("StepAdded", "steps"),
        ("ResponseAnticipated", "step:s2:responses"),
    ]
    assert all("value" not in c for c in heard)
    room.disconnect()


def test_a_refused_edit_is_not_announced(world: World) -> None:
    room = connect(world, world.obi)
    room.emit("plan:join", {"lesson_id": world.lesson_id}, callback=True)
    base = world.revision()
    ok(world.ana.put(f"{world.plan}/fields/title", {"value": "One", "base_revision": base}))
    world.ana.put(f"{world.plan}/fields/title", {"value": "Two", "base_revision": base})
    world.obi.put(f"{world.plan}/fields/title", {"value": "Three", "base_revision": base + 1})
    assert [c["value"] for c in changes(room)] == ["One"]
    room.disconnect()

"""A member removed from the team while connected stops hearing the team's live rooms.

Every event already re-checks who sends it; these tests are about what a removed
member's open socket still *receives*: after the removal, another observer's note, a
plan change or a discussion change reaches a third member but not her, and she was
told with `access:revoked` (the REST error body) first.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from flask_socketio import SocketIOTestClient
from realtime.discussing import discussed
from realtime.room import Lesson, notes_recorded, received, record
from server.site import Person, ok
from server.world import World, planner

from lessonstudy.server.realtime.revocation import POLL_SECONDS, Revocations


def remove(world: World, person: Person) -> None:
    ok(world.ana.delete(f"/api/v1/teams/{world.team_id}/members/{person.id}"))


def revoked(client: SocketIOTestClient) -> list[dict[str, Any]]:
    return [body for _, body in received(client, "access:revoked")]


def only_revocation(client: SocketIOTestClient, room: str, team_id: str) -> None:
    """She was told once, in the REST error shape, naming the room she left."""
    [body] = revoked(client)
    assert body["error"]["status"] == 403 and body["error"]["code"], body
    assert body["team_id"] == team_id
    assert body["rooms"] == [room]


def test_a_removed_observer_hears_no_more_notes(memory_lesson: Lesson) -> None:
    lesson = memory_lesson
    world = lesson.world
    pat = planner(world)
    obi, pat_client = lesson.observer(world.obi), lesson.observer(pat)
    ana = lesson.observer(world.ana)
    assert record(ana, lesson, text="before")["ok"] is True
    assert [n["note"]["text"] for n in notes_recorded(obi)] == ["before"]
    pat_client.get_received()

    remove(world, world.obi)
    only_revocation(obi, f"teaching:{lesson.teaching_id}", world.team_id)
    assert record(ana, lesson, text="after")["ok"] is True
    assert [n["note"]["text"] for n in notes_recorded(pat_client)] == ["after"]
    assert received(obi) == []
    assert obi.is_connected()  # only the team's rooms were left, not the connection


def test_a_role_change_that_keeps_her_on_the_team_keeps_her_in_the_room(
    memory_lesson: Lesson,
) -> None:
    lesson = memory_lesson
    world = lesson.world
    obi, ana = lesson.observer(world.obi), lesson.observer(world.ana)
    body = {"roles": ["planner"]}
    ok(world.ana.put(f"/api/v1/teams/{world.team_id}/members/{world.obi.id}", body))
    assert record(ana, lesson, text="still heard")["ok"] is True
    assert [n["note"]["text"] for n in notes_recorded(obi)] == ["still heard"]
    assert revoked(obi) == []


def test_a_removed_member_hears_no_more_plan_changes(memory_world: World) -> None:
    world = memory_world
    pat = planner(world)
    clients = {}
    for person in (world.obi, pat):
        client = world.site.services.socketio.test_client(
            world.site.app, flask_test_client=person.client
        )
        ack = client.emit("plan:join", {"lesson_id": world.lesson_id}, callback=True)
        assert ack["ok"] is True, ack
        client.get_received()
        clients[person.id] = client

    remove(world, world.obi)
    only_revocation(clients[world.obi.id], f"plan:{world.lesson_id}", world.team_id)
    body = {"value": "Which bag?", "base_revision": world.revision()}
    ok(world.ana.put(f"{world.plan}/steps/s1/fields/key_question", body))
    heard = [b["value"] for _, b in received(clients[pat.id], "plan:changed")]
    assert heard == ["Which bag?"]
    assert received(clients[world.obi.id]) == []


def test_a_removed_member_hears_no_more_discussion_changes(memory_world: World) -> None:
    world = memory_world
    pat = planner(world)
    talk = discussed(world)
    seats = {}
    for person in (world.obi, pat, world.ana):
        client = talk.lesson.connect(person)
        ack = client.emit("discussion:join", {"discussion_id": talk.discussion_id}, callback=True)
        assert ack["ok"] is True, ack
        seats[person.id] = client

    remove(world, world.obi)
    obi = seats[world.obi.id]
    only_revocation(obi, f"discussion:{talk.discussion_id}", world.team_id)
    said = {"discussion_id": talk.discussion_id, "contribution_id": "c1", "text": "I taught it."}
    ack = seats[world.ana.id].emit("discussion:contribute", said, callback=True)
    assert ack["ok"] is True, ack
    assert len(received(seats[pat.id], "discussion:changed")) == 1
    assert received(obi) == []


def test_the_channel_listener_runs_only_with_redis_and_stops_cleanly(
    memory_world: World, redis_server: str
) -> None:
    services = memory_world.site.services
    without = Revocations(services.socketio, services.service, None)
    without.start()
    assert not listener_threads()  # no Redis URL: nothing to listen to
    with_redis = Revocations(services.socketio, services.service, redis_server)
    with_redis.start()
    assert len(listener_threads()) == 1
    started = time.monotonic()
    with_redis.stop()
    assert not listener_threads()
    assert time.monotonic() - started < 2 * POLL_SECONDS + 1


def listener_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "membership-listener" and t.is_alive()]

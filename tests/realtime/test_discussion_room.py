"""The discussion room over Socket.IO: join, every command as an acked event, and each
change broadcast whole, with its version, to everyone in the room."""

from __future__ import annotations

from typing import Any

import pytest
from flask_socketio import SocketIOTestClient
from realtime.discussing import Discussed, discussed
from realtime.room import received, refused
from server.site import Person, SiteFactory, ok
from server.world import World, build_world

NOBODY = "00000000-0000-4000-8000-000000000000"


@pytest.fixture
def talk(memory_world: World) -> Discussed:
    return discussed(memory_world, with_guest=True)


def seated(talk: Discussed, person: Person) -> SocketIOTestClient:
    """A client in the discussion's room (its join ack checked)."""
    client = talk.lesson.connect(person)
    ack = client.emit("discussion:join", {"discussion_id": talk.discussion_id}, callback=True)
    assert ack["ok"] is True, ack
    return client


def send(client: SocketIOTestClient, event: str, talk: Discussed, **body: Any) -> Any:
    return client.emit(event, {"discussion_id": talk.discussion_id, **body}, callback=True)


def changes(client: SocketIOTestClient) -> list[dict[str, Any]]:
    return [body for _, body in received(client, "discussion:changed")]


def test_joining_answers_the_whole_board(talk: Discussed) -> None:
    world = talk.world
    client = talk.lesson.connect(world.obi)
    ack = client.emit("discussion:join", {"discussion_id": talk.discussion_id}, callback=True)
    assert ack["ok"] is True
    assert ack["discussion"]["id"] == talk.discussion_id
    assert ack["discussion"]["phase"] == "instructor_reflection"
    assert sorted(n["note_id"] for n in ack["notes"]) == sorted(talk.notes)
    assert [s["id"] for s in ack["teaching"]["steps"]] == ["s1", "s2"]
    assert ack["you"]["person_id"] == world.obi.id and ack["you"]["facilitator"] is False
    assert world.misconception_id in ack["misconceptions"]
    # The knowledgeable other, a guest of the lesson, joins too.
    assert talk.kit is not None
    guest = seated(talk, talk.kit)
    guest.disconnect()


def test_joining_is_refused_in_the_api_s_order(talk: Discussed) -> None:
    world = talk.world
    nia = talk.lesson.connect(world.nia)
    refused(nia.emit("discussion:join", {"discussion_id": talk.discussion_id}, callback=True), 403)
    obi = talk.lesson.connect(world.obi)
    refused(obi.emit("discussion:join", {"discussion_id": NOBODY}, callback=True), 404)
    refused(obi.emit("discussion:join", {}, callback=True), 422, "discussion_id")
    refused(obi.emit("discussion:join", "not an object", callback=True), 422)
    extra = {"discussion_id": talk.discussion_id, "since": 3}
    refused(obi.emit("discussion:join", extra, callback=True), 422, "since")
    # Refused, so not in the room: a change is not sent to it.
    ana = seated(talk, world.ana)
    assert send(ana, "discussion:phase", talk, phase="planning_team")["ok"] is True
    assert changes(nia) == [] and changes(obi) == []


def test_every_command_is_acked_and_broadcast_to_the_room(talk: Discussed) -> None:
    world, n = talk.world, talk.notes
    assert talk.kit is not None
    ana, obi, kit = seated(talk, world.ana), seated(talk, world.obi), seated(talk, talk.kit)
    steps: list[tuple[SocketIOTestClient, str, dict[str, Any], str]] = [
        (ana, "discussion:contribute", {"contribution_id": "c1", "text": "I taught it."}, ""),
        (ana, "discussion:phase", {"phase": "planning_team"}, "planning_team"),
        (ana, "discussion:phase", {"phase": "observations"}, "observations"),
        (obi, "discussion:pattern", {"pattern_id": "p1", "name": "Reds", "note_ids": n[:2]}, ""),
        (kit, "discussion:pattern", {"pattern_id": "p2", "name": "Ratio", "note_ids": [n[2]]}, ""),
        (kit, "discussion:place", {"note_id": n[3], "pattern_id": "p2"}, ""),
        (obi, "discussion:rename", {"pattern_id": "p1", "name": "Counts reds only"}, ""),
        (ana, "discussion:phase", {"phase": "patterns"}, "patterns"),
        (
            ana,
            "discussion:confirm",
            {"misconception_id": world.misconception_id, "note_ids": n[:2]},
            "",
        ),
        (ana, "discussion:phase", {"phase": "prediction"}, "prediction"),
        (obi, "discussion:claim", {"claim_id": "k1", "text": "Counts", "note_ids": n[:1]}, ""),
        (ana, "discussion:phase", {"phase": "evaluation"}, "evaluation"),
        (ana, "discussion:phase", {"phase": "knowledgeable_other"}, "knowledgeable_other"),
        (kit, "discussion:contribute", {"contribution_id": "c2", "text": "Ratio next."}, ""),
        (ana, "discussion:phase", {"phase": "next_steps"}, "next_steps"),
        (
            obi,
            "discussion:propose",
            {
                "revision_id": "rev-1",
                "summary": "Ask: out of how many?",
                "changes": [
                    {
                        "op": "change_step",
                        "step_id": "s1",
                        "field": "teacher_support",
                        "value": "Ask: out of how many balls?",
                    }
                ],
                "note_ids": n[:2],
            },
            "",
        ),
        (ana, "discussion:decide", {"revision_id": "rev-1", "accept": True}, ""),
    ]
    version = ok(world.ana.get(talk.url))["discussion"]["version"]
    for client, event, body, phase in steps:
        ack = send(client, event, talk, **body)
        assert ack["ok"] is True, (event, ack)
        version += 1
        assert ack["discussion"]["version"] == version, event
        if phase:
            assert ack["discussion"]["phase"] == phase
        change = event.split(":")[1]
        for other in (ana, obi, kit):
            heard = changes(other)
            assert [(h["change"], h["version"]) for h in heard] == [(change, version)], event
            assert heard[0]["discussion"] == ack["discussion"]
            assert heard[0]["discussion_id"] == talk.discussion_id
    final = ok(world.obi.get(talk.url))["discussion"]
    assert [p["note_ids"] for p in final["patterns"]] == [n[:2], [n[2], n[3]]]
    assert final["patterns"][0]["name"] == "Counts reds only"
    assert final["confirmed"][0]["note_ids"] == n[:2]
    assert final["revisions"][0]["status"] == "accepted"
    assert [c["by"] for c in final["contributions"]] == [world.ana.id, talk.kit.id]


def test_a_resend_is_acked_and_not_broadcast_again(talk: Discussed) -> None:
    world = talk.world
    ana, obi = seated(talk, world.ana), seated(talk, world.obi)
    said = {"contribution_id": "c1", "text": "I taught it."}
    first = send(ana, "discussion:contribute", talk, **said)
    again = send(ana, "discussion:contribute", talk, **said)
    assert again["ok"] is True and again["discussion"] == first["discussion"]
    assert len(changes(obi)) == 1


def test_refusals_are_the_rest_error_bodies_and_write_nothing(talk: Discussed) -> None:
    world, site = talk.world, talk.world.site
    assert talk.kit is not None
    ana, obi, kit = seated(talk, world.ana), seated(talk, world.obi), seated(talk, talk.kit)
    head = site.head()
    refused(send(obi, "discussion:phase", talk, phase="planning_team"), 403)
    refused(send(kit, "discussion:phase", talk, phase="planning_team"), 403)
    refused(send(obi, "discussion:contribute", talk, contribution_id="c", text="x"), 403)
    skip = refused(send(ana, "discussion:phase", talk, phase="patterns"), 409, "phase")
    assert skip["code"] == "wrong_stage"
    refused(send(ana, "discussion:phase", talk, phase="nowhere"), 422, "phase")
    refused(send(ana, "discussion:phase", talk, phase="planning_team", x=1), 422, "x")
    refused(send(ana, "discussion:pattern", talk, pattern_id="p", name="N", note_ids=[]), 409)
    no_evidence = {"misconception_id": world.misconception_id, "note_ids": []}
    refused(send(ana, "discussion:confirm", talk, **no_evidence), 409)  # not its phase yet
    refused(send(obi, "discussion:confirm", talk, **no_evidence), 403)
    refused(obi.emit("discussion:claim", {"text": "x"}, callback=True), 422, "discussion_id")
    assert site.head() == head
    assert changes(ana) == [] and changes(obi) == [] and changes(kit) == []
    talk.to_phase("patterns")
    uncited = refused(send(ana, "discussion:confirm", talk, **no_evidence), 422, "note_ids")
    assert uncited["code"] == "evidence_required"
    assert uncited["message"] == "cite at least one note as evidence"
    stale = refused(
        send(ana, "discussion:phase", talk, phase="prediction", from_phase="observations"),
        409,
        "from_phase",
    )
    assert stale["current"]["discussion"]["phase"] == "patterns"


def test_a_client_that_missed_changes_catches_up_by_joining_again(talk: Discussed) -> None:
    world = talk.world
    ana, obi = seated(talk, world.ana), seated(talk, world.obi)
    before = changes(obi)
    obi.disconnect()
    send(ana, "discussion:phase", talk, phase="planning_team")
    send(ana, "discussion:phase", talk, phase="observations")
    back = seated(talk, world.obi)
    ack = back.emit("discussion:join", {"discussion_id": talk.discussion_id}, callback=True)
    assert before == []
    assert ack["discussion"]["phase"] == "observations"
    assert ack["discussion"]["version"] == changes(ana)[-1]["version"]
    left = back.emit("discussion:leave", {"discussion_id": talk.discussion_id}, callback=True)
    assert left == {"ok": True}
    send(ana, "discussion:phase", talk, phase="patterns")
    assert changes(back) == []


def test_the_room_on_every_store(make_site: SiteFactory, database_url: str) -> None:
    """Memory, SQLite and PostgreSQL: commands stored, heard, and read back alike."""
    world = build_world(make_site(database_url))
    talk = discussed(world)
    ana, obi = seated(talk, world.ana), seated(talk, world.obi)
    for phase in ("planning_team", "observations"):
        assert send(ana, "discussion:phase", talk, phase=phase)["ok"] is True
    made = send(obi, "discussion:pattern", talk, pattern_id="p1", name="Reds", note_ids=talk.notes)
    assert made["ok"] is True, made
    send(ana, "discussion:phase", talk, phase="patterns")
    body = {"misconception_id": world.misconception_id, "note_ids": talk.notes[:1]}
    assert send(ana, "discussion:confirm", talk, **body)["ok"] is True
    heard = changes(obi)
    assert [h["change"] for h in heard] == ["phase", "phase", "pattern", "phase", "confirm"]
    assert [h["version"] for h in heard] == sorted({h["version"] for h in heard})
    stored = ok(world.ana.get(talk.url))["discussion"]
    assert stored == heard[-1]["discussion"]
    assert stored["patterns"][0]["note_ids"] == talk.notes

"""A knowledgeable other who comes only to the discussion: the facilitator gives a code
after the lesson, the guest joins with it (no account, no student names), takes part on
the board live like a guest of the lesson, and the record stays the team's."""

from __future__ import annotations

from realtime.discussing import Discussed, discussed
from realtime.room import received, refused
from server.site import Person, error, ok
from server.world import World
from werkzeug.test import TestResponse


def invite(talk: Discussed) -> str:
    answer = ok(talk.world.ana.post(f"{talk.url}/guests"), 201)
    assert answer["teaching_id"] == talk.lesson.teaching_id
    assert answer["join_url"].endswith(f"/teachings/{talk.lesson.teaching_id}/join")
    code: str = answer["join_code"]
    return code


def join(talk: Discussed, name: str, body: dict[str, object]) -> tuple[Person, TestResponse]:
    person = talk.world.site.visitor(name)
    return person, person.post(f"{talk.lesson.url}/guests", {"name": name, **body})


def test_a_guest_invited_after_the_lesson_takes_part_in_the_discussion(world: World) -> None:
    talk = discussed(world)  # memory, SQLite and PostgreSQL; nobody joined the lesson
    code = invite(talk)
    assert invite(talk) == code  # asking again gives the same code
    # The join page, once the lesson has ended, asks for a role and lands on the discussion.
    page = talk.world.site.visitor("Zoe").get(f"/teachings/{talk.lesson.teaching_id}/join")
    html = page.get_data(as_text=True)
    assert "Join the post-lesson discussion" in html and 'value="knowledgeable_other"' in html
    assert f'data-next="/teachings/{talk.lesson.teaching_id}/discussion"' in html
    zoe, answer = join(talk, "Zoe", {"join_code": code.lower(), "roles": ["knowledgeable_other"]})
    joined = ok(answer, 201)
    assert joined["guest"] is True and str(joined["person_id"]).startswith("guest-")
    zoe.id = str(joined["person_id"])
    teaching = ok(world.ana.get(talk.lesson.url))
    assert teaching["guests"][zoe.id] == {"name": "Zoe", "roles": ["knowledgeable_other"]}
    # She sees the board, live: the notes, and what the team does on it.
    board = ok(zoe.get(talk.url))
    assert sorted(n["note_id"] for n in board["notes"]) == sorted(talk.notes)
    guest = talk.lesson.connect(zoe)
    ack = guest.emit("discussion:join", {"discussion_id": talk.discussion_id}, callback=True)
    assert ack["ok"] is True and ack["you"]["person_id"] == zoe.id
    assert ack["you"]["facilitator"] is False
    ana = talk.lesson.connect(world.ana)
    assert ana.emit("discussion:join", {"discussion_id": talk.discussion_id}, callback=True)["ok"]
    talk.to_phase("knowledgeable_other")
    said = guest.emit(
        "discussion:contribute",
        {"discussion_id": talk.discussion_id, "contribution_id": "z1", "text": "Try ratios."},
        callback=True,
    )
    assert said["ok"] is True, said
    heard = [body for _, body in received(ana, "discussion:changed")]
    assert any(
        c["by"] == zoe.id and c["text"] == "Try ratios."
        for body in heard
        for c in body["discussion"]["contributions"]
    )
    # A guest runs nothing and does not take the record away.
    refused(
        guest.emit(
            "discussion:phase",
            {"discussion_id": talk.discussion_id, "phase": "next_steps"},
            callback=True,
        ),
        403,
    )
    error(zoe.post(f"{talk.url}/guests"), 403)
    error(zoe.get(f"{talk.url}/record.md"), 401)  # the record is for the signed-in team
    # Her session opens the discussion's page.
    assert zoe.get(f"/teachings/{talk.lesson.teaching_id}/discussion").status_code == 302
    assert zoe.get(f"/discussions/{talk.discussion_id}").status_code == 200
    guest.disconnect()
    ana.disconnect()


def test_only_the_discussions_code_admits_after_the_lesson(memory_world: World) -> None:
    talk = discussed(memory_world)
    world = talk.world
    error(world.ana.post(f"{talk.lesson.url}/join-code"), 409)  # the lesson's code: over
    head = world.site.head()
    _, wrong = join(talk, "Vic", {"join_code": "ZZZZZZ"})
    assert "join_code" in error(wrong, 422)["fields"]
    code = invite(talk)
    head = world.site.head()
    _, bad_role = join(talk, "Vic", {"join_code": code, "roles": ["facilitator"]})
    assert "roles.0" in error(bad_role, 422)["fields"]
    assert world.site.head() == head  # nothing written
    # An observer on the team may not give the code; only the facilitator.
    error(world.obi.post(f"{talk.url}/guests"), 403)


def test_the_code_stops_admitting_once_the_discussion_is_closed(memory_world: World) -> None:
    talk = discussed(memory_world)
    world, app = talk.world, talk.world.site.services.service
    code = invite(talk)
    talk.to_phase("next_steps")
    change = {"op": "change_step", "step_id": "s1", "field": "teacher_support", "value": "Ask"}
    app.propose_revision(
        actor_id=world.ana.id,
        discussion_id=talk.discussion_id,
        revision_id="r1",
        summary="Ask",
        changes=[change],
        note_ids=talk.notes[:1],
    )
    app.decide_revision(
        actor_id=world.ana.id, discussion_id=talk.discussion_id, revision_id="r1", accept=True
    )
    ok(world.ana.post(f"{talk.url}/next-cycle"), 201)
    head = world.site.head()
    person = world.site.visitor("Late")
    answer = person.post(f"{talk.lesson.url}/guests", {"join_code": code, "name": "Late"})
    assert list(error(answer, 409)["fields"]) == ["discussion"]
    assert world.site.head() == head
    error(world.ana.post(f"{talk.url}/guests"), 409)

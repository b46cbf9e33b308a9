"""Guests: a join code and a name open one teaching, and nothing else, without an account."""

from __future__ import annotations

from realtime.room import Lesson, connect, note, notes_recorded, record, refused
from server.site import error, ok


def test_a_guest_joins_with_the_code_and_observes_like_the_team(lesson: Lesson) -> None:
    world = lesson.world
    kit = lesson.guest("Kit", roles=["knowledgeable_other"])
    assert kit.id.startswith("guest-")
    teaching = ok(kit.get(lesson.url))
    assert teaching["guests"][kit.id] == {"name": "Kit", "roles": ["knowledgeable_other"]}
    assert teaching["join_code"] is None  # read aloud by the team, not handed out
    assert ok(world.ana.get(lesson.url))["join_code"]
    guest, ana = lesson.observer(kit), lesson.observer(world.ana)
    ack = record(guest, lesson, text='"It is the fraction that matters"')
    assert ack["ok"] is True and ack["note"]["observer_id"] == kit.id
    assert [n["note"]["observer_id"] for n in notes_recorded(ana)] == [kit.id]
    joined = guest.emit("teaching:join", {"teaching_id": lesson.teaching_id}, callback=True)
    assert joined["you"] == {"person_id": kit.id, "name": "Kit", "guest": True}
    # A guest cannot read the team, so the teaching names whoever may write notes.
    assert joined["teaching"]["people"] == {
        world.ana.id: {"name": "Ana", "guest": False},
        world.obi.id: {"name": "Obi", "guest": False},
        kit.id: {"name": "Kit", "guest": True},
    }


def test_the_same_browser_joining_again_keeps_its_guest_id(memory_lesson: Lesson) -> None:
    lesson = memory_lesson
    kit = lesson.guest("Kit")
    code = ok(lesson.world.ana.post(f"{lesson.url}/join-code"), 201)["join_code"]
    again = ok(kit.post(f"{lesson.url}/guests", {"join_code": code.lower(), "name": "Kit"}), 201)
    assert again["person_id"] == kit.id


def test_a_wrong_or_stale_code_is_refused_naming_it(memory_lesson: Lesson) -> None:
    lesson = memory_lesson
    visitor = lesson.world.site.visitor("Vic")
    body = {"join_code": "ZZZZZZ", "name": "Vic"}
    assert "join_code" in error(visitor.post(f"{lesson.url}/guests", body), 422)["fields"]
    old = ok(lesson.world.ana.post(f"{lesson.url}/join-code"), 201)["join_code"]
    ok(lesson.world.ana.post(f"{lesson.url}/join-code"), 201)  # a new code replaces it
    stale = {"join_code": old, "name": "Vic"}
    assert "join_code" in error(visitor.post(f"{lesson.url}/guests", stale), 422)["fields"]
    unknown = "/api/v1/teachings/00000000-0000-4000-8000-000000000000/guests"
    error(visitor.post(unknown, body), 404)
    assert "name" in error(visitor.post(f"{lesson.url}/guests", {"join_code": old}), 422)["fields"]
    roles = {"join_code": old, "name": "Vic", "roles": ["facilitator"]}
    assert "roles.0" in error(visitor.post(f"{lesson.url}/guests", roles), 422)["fields"]
    # Without a guest session the visitor still cannot connect.
    socketio = lesson.world.site.services.socketio
    assert not socketio.test_client(
        lesson.world.site.app, flask_test_client=visitor.client
    ).is_connected()


def test_after_the_lesson_ends_no_guest_joins(memory_lesson: Lesson) -> None:
    lesson = memory_lesson
    code = ok(lesson.world.ana.post(f"{lesson.url}/join-code"), 201)["join_code"]
    ok(lesson.world.ana.post(f"{lesson.url}/end"))
    visitor = lesson.world.site.visitor("Vic")
    error(visitor.post(f"{lesson.url}/guests", {"join_code": code, "name": "Vic"}), 409)


def test_a_guest_session_opens_its_teaching_only(memory_lesson: Lesson) -> None:
    lesson = memory_lesson
    world = lesson.world
    other = teach_lesson_again(lesson)
    kit = lesson.guest("Kit")
    client = connect(world, kit)
    head = world.site.head()
    refused(client.emit("teaching:join", {"teaching_id": other.teaching_id}, callback=True), 403)
    payload = {"teaching_id": other.teaching_id, **note()}
    refused(client.emit("note:record", payload, callback=True), 403)
    # Known, and not a planner: 403 (401 would tell them to sign in, which they have).
    refused(client.emit("plan:join", {"lesson_id": world.lesson_id}, callback=True), 403)
    error(kit.get(other.url), 403)
    error(kit.get(f"/api/v1/teams/{world.team_id}"), 401)
    error(kit.get(world.plan), 401)
    # A guest observes; the team runs the lesson.
    for method, path in [("POST", "end"), ("POST", "join-code"), ("PUT", "step")]:
        error(
            kit.call(method, f"{lesson.url}/{path}", {"step_id": "s2"} if path == "step" else None),
            403,
        )
    assert world.site.head() == head


def test_someone_signed_in_joins_with_the_code_as_themselves(memory_lesson: Lesson) -> None:
    lesson = memory_lesson
    world = lesson.world
    code = ok(world.ana.post(f"{lesson.url}/join-code"), 201)["join_code"]
    joined = ok(world.nia.post(f"{lesson.url}/guests", {"join_code": code, "name": "Nia"}), 201)
    assert joined == {
        "teaching_id": lesson.teaching_id,
        "person_id": world.nia.id,
        "name": "Nia",
        "guest": False,
    }
    nia = lesson.observer(world.nia)
    assert record(nia, lesson)["note"]["observer_id"] == world.nia.id
    # Admitted to this lesson, not to the team's others.
    error(world.nia.get(f"/api/v1/teams/{world.team_id}"), 403)


def teach_lesson_again(lesson: Lesson) -> Lesson:
    """A second teaching of the same lesson (to another class)."""
    body = {"instructor_id": lesson.world.ana.id, "class_label": "6B"}
    world = lesson.world
    second = ok(world.ana.post(f"/api/v1/lessons/{world.lesson_id}/teachings", body), 201)
    again = Lesson(world, second["id"])
    ok(world.ana.post(f"{again.url}/start", {}))
    return again


def test_wrong_codes_are_slowed_down_per_address(memory_lesson: Lesson) -> None:
    lesson = memory_lesson
    code = ok(lesson.world.ana.post(f"{lesson.url}/join-code"), 201)["join_code"]
    guesser = lesson.world.site.visitor("Gus")
    for n in range(20):
        error(guesser.post(f"{lesson.url}/guests", {"join_code": f"ZZZZ{n:02d}", "name": "G"}), 422)
    right = {"join_code": code, "name": "Gus"}
    assert error(guesser.post(f"{lesson.url}/guests", right), 429)["code"] == "too_many_requests"

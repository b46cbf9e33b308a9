"""The lesson's clock over REST, announced in the teaching room as teaching:changed."""

from __future__ import annotations

from typing import Any

from realtime.room import Lesson, received, record, refused, teach_lesson
from server.site import error, ok
from server.world import World


def changes(client: Any) -> list[tuple[str, dict[str, Any]]]:
    return [(body["change"], body["teaching"]) for _, body in received(client, "teaching:changed")]


def test_scheduling_fixes_the_plan_as_taught(memory_world: World) -> None:
    lesson = teach_lesson(memory_world, start=False)
    teaching = ok(memory_world.obi.get(lesson.url))
    assert teaching["status"] == "scheduled" and teaching["started_at"] is None
    assert teaching["class_layout"]["G1"] == ["G1-S1", "G1-S2"]
    assert [s["id"] for s in teaching["steps"]] == ["s1", "s2"]
    assert [r["id"] for r in teaching["steps"][0]["responses"]] == ["r1"]
    assert teaching["instructor_id"] == memory_world.ana.id
    # A later edit of the plan does not change the teaching's steps.
    ok(memory_world.ana.post(f"{memory_world.plan}/steps", {"step_id": "s3"}), 201)
    assert [s["id"] for s in ok(memory_world.obi.get(lesson.url))["steps"]] == ["s1", "s2"]


def test_the_clock_runs_and_every_observer_hears_each_change(world: World) -> None:
    lesson = teach_lesson(world, start=False)
    obi = lesson.observer(world.obi)
    started = ok(world.ana.post(f"{lesson.url}/start", {"mode": "group"}))
    assert started["status"] == "started" and started["mode"] == "group"
    assert started["current_step_id"] == "s1"
    moved = ok(world.ana.put(f"{lesson.url}/step", {"step_id": "s2"}))
    assert moved["current_step_id"] == "s2"
    assert ok(world.ana.put(f"{lesson.url}/mode", {"mode": "pairs"}))["mode"] == "pairs"
    ended = ok(world.ana.post(f"{lesson.url}/end"))
    assert ended["status"] == "ended" and ended["ended_at"]
    heard = changes(obi)
    assert [c for c, _ in heard] == ["started", "step", "mode", "ended"]
    assert heard[1][1]["current_step_id"] == "s2" and heard[2][1]["mode"] == "pairs"
    assert all(t["join_code"] is None for _, t in heard)  # the room includes guests


def test_the_clock_refuses_the_wrong_moment_and_bad_bodies(memory_world: World) -> None:
    world = memory_world
    lesson = teach_lesson(world, start=False)
    head = world.site.head()
    assert (
        error(world.ana.put(f"{lesson.url}/step", {"step_id": "s2"}), 409)["code"] == "wrong_stage"
    )
    error(world.ana.post(f"{lesson.url}/end"), 409)
    assert (
        "mode" in error(world.ana.post(f"{lesson.url}/start", {"mode": "lecture"}), 422)["fields"]
    )
    assert "bogus" in error(world.ana.post(f"{lesson.url}/start", {"bogus": 1}), 422)["fields"]
    assert world.site.head() == head
    ok(world.ana.post(f"{lesson.url}/start", {}))
    assert "step_id" in error(world.ana.put(f"{lesson.url}/step", {"step_id": "s9"}), 422)["fields"]
    error(world.ana.post(f"{lesson.url}/start", {}), 409)
    unknown = "/api/v1/teachings/00000000-0000-4000-8000-000000000000"
    error(world.ana.get(unknown), 404)
    error(world.ana.post(f"{unknown}/start", {}), 404)
    teachings = f"/api/v1/lessons/{world.lesson_id}/teachings"
    outsider = {"instructor_id": world.nia.id, "class_label": "6C"}
    assert "instructor_id" in error(world.ana.post(teachings, outsider), 422)["fields"]
    body = {"instructor_id": world.ana.id, "class_label": ""}
    assert (
        "class_label"
        in error(world.ana.post(f"/api/v1/lessons/{world.lesson_id}/teachings", body), 422)[
            "fields"
        ]
    )


def test_notes_can_be_read_and_caught_up_on_over_rest(memory_lesson: Lesson) -> None:
    lesson = memory_lesson
    obi = lesson.observer(lesson.world.obi)
    first, second = record(obi, lesson, text="one"), record(obi, lesson, text="two")
    everything = ok(lesson.world.obi.get(f"{lesson.url}/notes"))
    assert everything["snapshot"] is True
    assert [c["note"]["text"] for c in everything["notes_since"]] == ["one", "two"]
    since = ok(lesson.world.obi.get(f"{lesson.url}/notes?since={first['position']}"))
    assert since["snapshot"] is False
    assert [(c["type"], c["position"]) for c in since["notes_since"]] == [
        ("recorded", second["position"])
    ]
    assert "since" in error(lesson.world.obi.get(f"{lesson.url}/notes?since=-1"), 422)["fields"]


def test_focus_is_chosen_per_observer_and_announced(memory_lesson: Lesson) -> None:
    lesson = memory_lesson
    world = lesson.world
    obi, ana = lesson.observer(world.obi), lesson.observer(world.ana)
    ack = obi.emit(
        "teaching:focus", {"teaching_id": lesson.teaching_id, "codes": ["G1"]}, callback=True
    )
    assert ack == {"ok": True, "codes": ["G1"]}
    [(change, teaching)] = changes(ana)
    assert change == "focus" and teaching["focus"] == {world.obi.id: ["G1"]}
    bad = {"teaching_id": lesson.teaching_id, "codes": ["G7"]}
    refused(obi.emit("teaching:focus", bad, callback=True), 422, "codes")
    named = {"teaching_id": lesson.teaching_id, "codes": ["Maria"]}
    refused(obi.emit("teaching:focus", named, callback=True), 422, "codes.0")
    assert ok(world.ana.put(f"{lesson.url}/focus", {"codes": ["G2-S1"]}))["focus"][
        world.ana.id
    ] == ["G2-S1"]

"""Tasks and lessons: the team's lists (from the dashboard view), defining and revising."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from server.site import TASK, ok, refused
from server.world import World

UNKNOWN = "00000000-0000-4000-8000-000000000000"


def test_the_team_s_tasks(world: World) -> None:
    path = f"/api/v1/teams/{world.team_id}/tasks"
    second = {**TASK, "topic": "fractions", "statement": "Which is bigger, 3/4 or 6/8?"}
    made = ok(world.ana.post(path, second), 201)
    assert {k: made[k] for k in TASK} == {**second}
    assert (made["team_id"], made["version"]) == (world.team_id, 1)
    world.site.settle()
    listed = ok(world.obi.get(path))
    assert [t["topic"] for t in listed] == ["fractions", "probability"]
    assert listed[1] == {
        "task_id": world.task_id,
        "team_id": world.team_id,
        **{k: v for k, v in TASK.items() if k != "materials"},
    }


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"cognitive_demand": "memorise"}, "cognitive_demand"),
        ({"statement": " "}, "statement"),
        ({"grade": "x" * 51}, "grade"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_a_bad_task_is_refused_naming_the_field(
    shared_world: World, change: dict[str, Any], named: str
) -> None:
    world = shared_world
    path = f"/api/v1/teams/{world.team_id}/tasks"
    assert (
        named
        in refused(world.site, 422, lambda: world.ana.post(path, {**TASK, **change}))["fields"]
    )
    task = f"/api/v1/tasks/{world.task_id}"
    assert named in refused(world.site, 422, lambda: world.ana.put(task, change))["fields"]


def test_a_task_can_be_read_by_anyone_signed_in_and_revised_by_its_team(world: World) -> None:
    path = f"/api/v1/tasks/{world.task_id}"
    assert ok(world.nia.get(path))["statement"] == TASK["statement"]
    revised = ok(world.ana.put(path, {"cognitive_demand": "evaluate", "materials": ""}))
    assert (revised["cognitive_demand"], revised["materials"], revised["version"]) == (
        "evaluate",
        "",
        2,
    )
    assert revised["statement"] == TASK["statement"]
    refused(world.site, 401, lambda: world.visitor.get(path))
    refused(world.site, 404, lambda: world.nia.get(f"/api/v1/tasks/{UNKNOWN}"))
    refused(world.site, 403, lambda: world.nia.put(path, {"grade": "7"}))
    refused(world.site, 403, lambda: world.obi.put(path, {"grade": "7"}))
    refused(world.site, 404, lambda: world.ana.put(f"/api/v1/tasks/{UNKNOWN}", {"grade": "7"}))
    refused(world.site, 401, lambda: world.visitor.put(path, {"grade": "7"}))


def test_only_members_with_a_task_role_define_tasks(world: World) -> None:
    path = f"/api/v1/teams/{world.team_id}/tasks"
    refused(world.site, 403, lambda: world.obi.post(path, TASK))
    refused(world.site, 403, lambda: world.nia.post(path, TASK))
    refused(world.site, 403, lambda: world.nia.get(path))
    refused(world.site, 401, lambda: world.visitor.post(path, TASK))
    refused(world.site, 404, lambda: world.ana.post(f"/api/v1/teams/{UNKNOWN}/tasks", TASK))


def test_the_team_s_lessons_show_where_each_stands(world: World) -> None:
    body = {"task_id": world.task_id, "title": "Bags again"}
    plan = ok(world.ana.post(f"/api/v1/teams/{world.team_id}/lessons", body), 201)
    assert plan["fields"]["title"] == "Bags again" and plan["steps"] == []
    assert plan["fields"]["grade"] == "6" and plan["last_changed"]["title"]["by_name"] == "Ana"
    world.site.settle()
    lessons = ok(world.obi.get(f"/api/v1/teams/{world.team_id}/lessons"))
    assert [lesson["title"] for lesson in lessons] == ["Bags again", "Which bag?"]
    first = lessons[1]
    assert {k: first[k] for k in ("lesson_id", "stage", "plan_version", "teachings", "notes")} == {
        "lesson_id": world.lesson_id,
        "stage": "planning",
        "plan_version": 1,
        "teachings": 0,
        "notes": 0,
    }
    assert first["revision"] == world.revision()
    assert (first["task_statement"], first["topic"]) == (TASK["statement"], "probability")
    assert dt.datetime.fromisoformat(first["updated_at"]).tzinfo == dt.UTC


def test_a_lesson_needs_a_task_that_exists_and_a_title(world: World) -> None:
    path = f"/api/v1/teams/{world.team_id}/lessons"
    found = refused(
        world.site, 422, lambda: world.ana.post(path, {"task_id": UNKNOWN, "title": "x"})
    )
    assert set(found["fields"]) == {"task_id"}
    found = refused(world.site, 422, lambda: world.ana.post(path, {"task_id": world.task_id}))
    assert set(found["fields"]) == {"title"}
    found = refused(world.site, 422, lambda: world.ana.post(path, {"task_id": "x", "title": "t"}))
    assert set(found["fields"]) == {"task_id"}
    body = {"task_id": world.task_id, "title": "t"}
    refused(world.site, 403, lambda: world.obi.post(path, body))
    refused(world.site, 403, lambda: world.nia.post(path, body))
    refused(world.site, 403, lambda: world.nia.get(path))
    refused(world.site, 401, lambda: world.visitor.post(path, body))
    refused(world.site, 404, lambda: world.ana.post(f"/api/v1/teams/{UNKNOWN}/lessons", body))

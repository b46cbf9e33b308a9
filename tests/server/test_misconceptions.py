"""The misconception picker: search by words (the task's own first), and add an entry."""

from __future__ import annotations

from typing import Any

import pytest
from server.site import TASK, ok, refused
from server.world import World

UNKNOWN = "00000000-0000-4000-8000-000000000000"


def catalogue(world: World, statement: str, **more: Any) -> str:
    path = f"/api/v1/teams/{world.team_id}/misconceptions"
    entry_id: str = ok(world.ana.post(path, {"statement": statement, **more}), 201)["id"]
    return entry_id


def test_adding_an_entry_files_it_under_its_task(world: World) -> None:
    path = f"/api/v1/teams/{world.team_id}/misconceptions"
    entry = ok(
        world.obi.post(path, {"statement": "Bigger bag, better chance", "task_id": world.task_id}),
        201,
    )
    assert entry == {
        "id": entry["id"],
        "statement": "Bigger bag, better chance",
        "task_id": world.task_id,
        "topic": "probability",  # the task's, so the catalogue can be browsed by topic
        "subject": "mathematics",
        "source": "anticipated",
    }
    other = ok(world.ana.post(path, {"statement": "Half means two", "topic": "fractions"}), 201)
    assert (other["task_id"], other["topic"], other["subject"]) == (None, "fractions", "")


def test_searching_finds_words_in_any_case_the_task_s_own_first(world: World) -> None:
    other_task = ok(
        world.ana.post(f"/api/v1/teams/{world.team_id}/tasks", {**TASK, "topic": "chance"}), 201
    )["id"]
    elsewhere = catalogue(world, "Red is luckier", task_id=other_task)
    catalogue(world, "Élèves: Red wins 100% of the time", topic="chance")
    world.site.settle()
    found = ok(world.nia.get(f"/api/v1/misconceptions?q=RED&task_id={world.task_id}"))
    assert [m["statement"] for m in found] == [
        "More red balls means a better chance",  # this task's
        "Red is luckier",
        "Élèves: Red wins 100% of the time",
    ]
    assert found[1] == {
        "id": elsewhere,
        "statement": "Red is luckier",
        "task_id": other_task,
        "topic": "chance",
        "subject": "mathematics",
        "source": "anticipated",
    }
    assert [m["statement"] for m in ok(world.nia.get("/api/v1/misconceptions?q=100%25"))] == [
        "Élèves: Red wins 100% of the time"
    ]
    assert len(ok(world.nia.get("/api/v1/misconceptions?q=élèves"))) == 1
    assert ok(world.nia.get("/api/v1/misconceptions?q=_")) == []  # not a wildcard
    assert len(ok(world.nia.get("/api/v1/misconceptions?limit=2"))) == 2


def test_entries_merged_into_another_are_left_out(world: World) -> None:
    duplicate = catalogue(world, "More red means more likely", task_id=world.task_id)
    curator = world.site.sign_up("Cam")
    body = {"email": "cam@school.example", "roles": ["curator"]}
    ok(world.ana.post(f"/api/v1/teams/{world.team_id}/members", body), 201)
    service = world.site.services.service
    service.merge_misconceptions(
        actor_id=curator.id,
        team_id=world.team_id,
        source_id=duplicate,
        target_id=world.misconception_id,
    )
    world.site.settle()
    found = ok(world.ana.get("/api/v1/misconceptions?q=more+red"))
    assert [m["id"] for m in found] == [world.misconception_id]


@pytest.mark.parametrize(
    ("query", "named"),
    [("limit=0", "limit"), ("limit=101", "limit"), ("task_id=x", "task_id"), ("p=1", "p")],
)
def test_a_bad_search_is_refused_naming_the_parameter(
    shared_world: World, query: str, named: str
) -> None:
    world = shared_world
    found = refused(world.site, 422, lambda: world.ana.get(f"/api/v1/misconceptions?{query}"))
    assert set(found["fields"]) == {named}


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"statement": "  ", "topic": "x"}, "statement"),
        ({"statement": "x"}, "topic"),  # an entry needs a task or a topic
        ({"statement": "x", "task_id": UNKNOWN}, "task_id"),
        ({"statement": "x", "topic": "t", "source": "imported"}, "source"),
    ],
)
def test_a_bad_entry_is_refused_naming_the_field(
    shared_world: World, body: dict[str, Any], named: str
) -> None:
    world = shared_world
    path = f"/api/v1/teams/{world.team_id}/misconceptions"
    assert named in refused(world.site, 422, lambda: world.ana.post(path, body))["fields"]


def test_who_may_search_and_add(world: World) -> None:
    path = f"/api/v1/teams/{world.team_id}/misconceptions"
    body = {"statement": "x", "topic": "t"}
    refused(world.site, 401, lambda: world.visitor.get("/api/v1/misconceptions"))
    refused(world.site, 401, lambda: world.visitor.post(path, body))
    refused(world.site, 403, lambda: world.nia.post(path, body))
    refused(
        world.site, 404, lambda: world.ana.post(f"/api/v1/teams/{UNKNOWN}/misconceptions", body)
    )

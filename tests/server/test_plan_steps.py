"""The lesson flow's steps and anticipated responses: adding, moving, changing, removing."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from server.site import ok, refused
from server.world import World, planner


def step_ids(plan: dict[str, Any]) -> list[str]:
    return [step["id"] for step in plan["steps"]]


def test_a_step_is_added_where_asked_with_an_id_the_server_makes(world: World) -> None:
    body = {"position": 0, "fields": {"activity": "Guess first", "key_question": "Which bag?"}}
    answer = ok(world.ana.post(f"{world.plan}/steps", body), 201)
    first = answer["plan"]["steps"][0]
    assert uuid.UUID(first["id"]).version == 4
    assert step_ids(answer["plan"]) == [first["id"], "s1"]
    assert (first["activity"], first["minutes"], first["responses"]) == ("Guess first", 0, [])
    assert answer["changed"] is True


def test_sending_a_step_again_is_a_retry_that_changes_nothing(world: World) -> None:
    body = {"step_id": "s2", "fields": {"minutes": 5}}
    first = ok(world.ana.post(f"{world.plan}/steps", body), 201)
    head = world.site.head()
    again = ok(world.ana.post(f"{world.plan}/steps", body), 201)
    assert (again["changed"], again["revision"]) == (False, first["revision"])
    assert world.site.head() == head


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"fields": {"colour": "red"}}, "fields.colour"),
        ({"fields": {"minutes": 500}}, "fields.minutes"),
        ({"position": 5}, "position"),
        ({"position": -1}, "position"),
        ({"step_id": "has space"}, "step_id"),
        ({"step_id": "a:b"}, "step_id"),
        ({"title": "x"}, "title"),
    ],
)
def test_a_bad_step_is_refused_naming_the_field(shared_world: World, body: Any, named: str) -> None:
    world = shared_world  # refusals write nothing: they can share a world
    found = refused(world.site, 422, lambda: world.ana.post(f"{world.plan}/steps", body))
    assert named in found["fields"], found


def test_moving_a_step(world: World) -> None:
    ok(world.ana.post(f"{world.plan}/steps", {"step_id": "s2"}), 201)
    plan = ok(world.ana.post(f"{world.plan}/steps/s2/move", {"position": 0}))["plan"]
    assert step_ids(plan) == ["s2", "s1"]
    head = world.site.head()
    assert ok(world.ana.post(f"{world.plan}/steps/s2/move", {"position": 0}))["changed"] is False
    assert world.site.head() == head
    found = refused(
        world.site, 422, lambda: world.ana.post(f"{world.plan}/steps/s2/move", {"position": 2})
    )
    assert found["fields"] == {"position": ["position must be from 0 to 1"]}
    found = refused(
        world.site, 404, lambda: world.ana.post(f"{world.plan}/steps/s9/move", {"position": 0})
    )
    assert set(found["fields"]) == {"step_id"}
    found = refused(world.site, 422, lambda: world.ana.post(f"{world.plan}/steps/s2/move", {}))
    assert set(found["fields"]) == {"position"}


def test_removing_a_step_that_nobody_changed_since(world: World) -> None:
    base = world.revision()
    answer = ok(world.ana.delete(f"{world.plan}/steps/s1?base_revision={base}&reason=too+long"))
    assert answer["plan"]["steps"] == [] and answer["revision"] == base + 1
    assert "step:s1:minutes" not in answer["plan"]["last_changed"]
    refused(
        world.site, 404, lambda: world.ana.delete(f"{world.plan}/steps/s1?base_revision={base}")
    )


def test_removing_a_step_someone_changed_since_would_lose_their_work(world: World) -> None:
    pat = planner(world)
    base = world.revision()
    change = {"value": "Ask who has tried it", "base_revision": base}
    ok(pat.put(f"{world.plan}/steps/s1/fields/teacher_support", change))
    found = refused(
        world.site, 409, lambda: world.ana.delete(f"{world.plan}/steps/s1?base_revision={base}")
    )
    assert found["current"]["field"] == "step:s1:teacher_support"
    assert found["current"]["value"] == "Ask who has tried it"
    assert found["current"]["changed_by_name"] == "Pat"


def test_removing_needs_a_base_revision_and_nothing_else(world: World) -> None:
    for query in ("", "?base_revision=x", "?base_revision=1&colour=red"):
        path = f"{world.plan}/steps/s1{query}"
        assert refused(world.site, 422, lambda path=path: world.ana.delete(path))["fields"]


def test_anticipating_responses(world: World) -> None:
    body = {"kind": "correct_strategy", "text": "Compare 3/4 with 6/8", "reason": "the goal"}
    answer = ok(world.ana.post(f"{world.plan}/steps/s1/responses", body), 201)
    [_, made] = answer["plan"]["steps"][0]["responses"]
    assert uuid.UUID(made["id"]).version == 4
    assert (made["kind"], made["text"], made["misconception_id"]) == (
        "correct_strategy",
        "Compare 3/4 with 6/8",
        None,
    )


@pytest.mark.parametrize(
    ("body", "status", "named"),
    [
        ({"kind": "guess", "text": "x"}, 422, "kind"),
        ({"kind": "misconception", "text": "  "}, 422, "text"),
        ({"kind": "misconception"}, 422, "text"),
        (
            {"kind": "misconception", "text": "x", "misconception_id": "nope"},
            422,
            "misconception_id",
        ),
        (
            {"kind": "misconception", "text": "x", "misconception_id": str(uuid.uuid4())},
            422,
            "misconception_id",
        ),
        ({"kind": "misconception", "text": "x", "colour": 1}, 422, "colour"),
    ],
)
def test_a_bad_response_is_refused_naming_the_field(
    shared_world: World, body: Any, status: int, named: str
) -> None:
    world = shared_world  # refusals write nothing: they can share a world
    found = refused(
        world.site, status, lambda: world.ana.post(f"{world.plan}/steps/s1/responses", body)
    )
    assert named in found["fields"], found


def test_a_response_on_a_step_that_is_not_there_is_not_found(world: World) -> None:
    body = {"kind": "misconception", "text": "x"}
    found = refused(
        world.site, 404, lambda: world.ana.post(f"{world.plan}/steps/s9/responses", body)
    )
    assert set(found["fields"]) == {"step_id"}


def test_changing_a_response_field_by_field(world: World) -> None:
    path = f"{world.plan}/responses/r1/fields"
    base = world.revision()
    ok(world.ana.put(f"{path}/text", {"value": "B: more red", "base_revision": base}))
    ok(world.ana.put(f"{path}/misconception_id", {"value": None, "base_revision": base}))
    plan = ok(world.ana.put(f"{path}/kind", {"value": "correct_strategy", "base_revision": base}))[
        "plan"
    ]
    assert plan["steps"][0]["responses"][0] == {
        "id": "r1",
        "kind": "correct_strategy",
        "text": "B: more red",
        "misconception_id": None,
    }
    assert plan["last_changed"]["response:r1:kind"]["revision"] == base + 3
    stale = {"value": "B again", "base_revision": base}
    found = refused(world.site, 409, lambda: world.ana.put(f"{path}/text", stale))
    assert found["current"]["field"] == "response:r1:text"
    link = {"value": str(uuid.uuid4()), "base_revision": base + 3}
    refused(world.site, 422, lambda: world.ana.put(f"{path}/misconception_id", link))
    refused(world.site, 404, lambda: world.ana.put(f"{world.plan}/responses/r9/fields/text", stale))


def test_removing_a_response(world: World) -> None:
    base = world.revision()
    path = f"{world.plan}/responses/r1?base_revision={base}"
    plan = ok(world.ana.delete(path))["plan"]
    assert plan["steps"][0]["responses"] == []
    refused(world.site, 404, lambda: world.ana.delete(path))


def test_an_observer_may_read_the_plan_but_not_change_its_flow(world: World) -> None:
    base = world.revision()
    attempts = [
        lambda: world.obi.post(f"{world.plan}/steps", {}),
        lambda: world.obi.post(f"{world.plan}/steps/s1/move", {"position": 0}),
        lambda: world.obi.delete(f"{world.plan}/steps/s1?base_revision={base}"),
        lambda: world.obi.post(f"{world.plan}/steps/s1/responses", {"kind": "x"}),
        lambda: world.obi.delete(f"{world.plan}/responses/r1?base_revision={base}"),
    ]
    for attempt in attempts:
        refused(world.site, 403, attempt)
    ok(world.obi.get(world.plan))


def test_removing_a_response_someone_changed_since_is_a_conflict(world: World) -> None:
    pat = planner(world)
    base = world.revision()
    change = {"value": "B: it has twice as many red", "base_revision": base}
    ok(pat.put(f"{world.plan}/responses/r1/fields/text", change))
    path = f"{world.plan}/responses/r1?base_revision={base}"
    found = refused(world.site, 409, lambda: world.ana.delete(path))
    assert (found["current"]["field"], found["current"]["value"]) == (
        "response:r1:text",
        "B: it has twice as many red",
    )
    assert found["current"]["changed_by_name"] == "Pat"

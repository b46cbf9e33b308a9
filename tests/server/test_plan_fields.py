"""Reading the plan and editing its fields: each value's shape, conflicts, refusals."""

from __future__ import annotations

from typing import Any

import pytest
from server.site import error, ok, refused
from server.world import World, planner


def test_the_plan_names_every_part_and_who_last_changed_it(world: World) -> None:
    plan = ok(world.obi.get(world.plan))
    assert plan["lesson_id"] == world.lesson_id
    assert (plan["team_id"], plan["task_id"]) == (world.team_id, world.task_id)
    assert plan["fields"]["title"] == "Which bag?"
    assert plan["fields"]["research_theme"] == "Reasoning aloud"  # from the team
    assert plan["fields"]["subject"] == "mathematics"  # from the task
    [step] = plan["steps"]
    assert step == {
        "id": "s1",
        "activity": "Show both bags",
        "key_question": "",
        "teacher_support": "",
        "points_to_notice": "",
        "minutes": 10,
        "responses": [
            {
                "id": "r1",
                "kind": "misconception",
                "text": "B, it has more red",
                "misconception_id": world.misconception_id,
            }
        ],
    }
    assert plan["last_changed"]["step:s1:minutes"]["by_name"] == "Ana"
    assert plan["last_changed"]["title"] == {"revision": 1, "by": world.ana.id, "by_name": "Ana"}
    assert plan["versions"] == [{"plan_version": 1, "revision": 1}]
    assert plan["plan_version"] == 1 and plan["teaching_ids"] == []


def test_an_earlier_revision_of_the_plan(world: World) -> None:
    old = ok(world.ana.get(f"{world.plan}?revision=1"))
    assert old["revision"] == 1 and old["steps"] == [] and old["fields"]["subject"] == ""
    assert set(old["last_changed"]) == {"title"}
    later = world.revision() + 1
    assert refused(world.site, 422, lambda: world.ana.get(f"{world.plan}?revision={later}"))[
        "fields"
    ] == {"revision": [f"revision must be from 1 to {later - 1}"]}
    found = refused(world.site, 422, lambda: world.ana.get(f"{world.plan}?revision=0"))
    assert set(found["fields"]) == {"revision"}
    found = refused(world.site, 422, lambda: world.ana.get(f"{world.plan}?rev=2"))
    assert set(found["fields"]) == {"rev"}


def test_changing_a_field_returns_the_new_plan_and_the_same_value_again_changes_nothing(
    world: World,
) -> None:
    base = world.revision()
    body = {"value": "  Which bag, and why?  ", "base_revision": base, "reason": "sharper"}
    answer = ok(world.ana.put(f"{world.plan}/fields/title", body))
    assert answer["changed"] is True and answer["revision"] == base + 1
    assert answer["plan"]["fields"]["title"] == "Which bag, and why?"  # trimmed
    assert answer["plan"]["last_changed"]["title"]["revision"] == base + 1
    head = world.site.head()
    again = ok(world.ana.put(f"{world.plan}/fields/title", body))
    assert (again["changed"], again["revision"]) == (False, base + 1)
    assert world.site.head() == head


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("class_layout", {"G1": ["G1-S1", "G1-S2"], "G2": ["G2-S1"]}),
        ("focus", {"someone": ["G1", "G2-S1"]}),
        ("date", "2026-11-23"),
        ("date", ""),
        ("instructor_id", None),
        ("lesson_goals", "Compare chances as fractions"),
        ("grade", ""),
    ],
)
def test_each_field_takes_its_own_shape(memory_world: World, field: str, value: Any) -> None:
    world = memory_world  # the shape of a request, whatever the store
    body = {"value": value, "base_revision": world.revision()}
    plan = ok(world.ana.put(f"{world.plan}/fields/{field}", body))["plan"]
    assert plan["fields"][field] == ("" if field == "date" and not value else value)


@pytest.mark.parametrize(
    ("field", "value", "named"),
    [
        ("class_layout", {"g1": ["G1-S1"]}, "value.g1.key"),  # codes are capitals: never names
        ("class_layout", {"G1": "G1-S1"}, "value.G1.value"),
        ("class_layout", ["G1"], "value"),
        ("class_layout", {"G1": ["G1-S1"], "G2": ["G1-S1"]}, "class_layout"),  # one seat, 2 groups
        ("focus", {"x": ["Sam"]}, "value.x.value.0"),
        ("date", "23/11/2026", "value"),
        ("date", "2026-02-30", "date"),
        ("title", "   ", "value"),
        ("title", "x" * 201, "value"),
        ("title", "nul\x00", "value"),
        ("title", 7, "value"),
        ("subject", None, "value"),
    ],
)
def test_a_value_of_the_wrong_shape_is_refused_naming_it(
    shared_world: World, field: str, value: Any, named: str
) -> None:
    world = shared_world  # refusals write nothing: they can share a world
    body = {"value": value, "base_revision": world.revision()}
    found = refused(world.site, 422, lambda: world.ana.put(f"{world.plan}/fields/{field}", body))
    assert named in found["fields"], found


def test_a_body_with_an_unknown_or_missing_field_is_refused_naming_it(world: World) -> None:
    base = world.revision()
    unknown = {"value": "x", "base_revision": base, "colour": "red"}
    found = refused(world.site, 422, lambda: world.ana.put(f"{world.plan}/fields/title", unknown))
    assert found["fields"] == {"colour": ["Unknown field."]}
    found = refused(
        world.site, 422, lambda: world.ana.put(f"{world.plan}/fields/title", {"value": "x"})
    )
    assert set(found["fields"]) == {"base_revision"}
    later = {"value": "x", "base_revision": base + 5}
    found = refused(world.site, 422, lambda: world.ana.put(f"{world.plan}/fields/title", later))
    assert set(found["fields"]) == {"base_revision"}
    found = refused(world.site, 422, lambda: world.ana.put(f"{world.plan}/fields/title", [1]))
    assert found["code"] == "invalid"
    assert world.ana.put(f"{world.plan}/fields/colour", unknown).status_code == 404


def test_the_same_field_from_the_same_base_conflicts_with_the_other_writers_text(
    world: World,
) -> None:
    pat = planner(world)
    base = world.revision()
    mine = {"value": "Which bag gives red more often?", "base_revision": base}
    ok(pat.put(f"{world.plan}/fields/lesson_goals", mine))
    theirs = {"value": "Fractions as chances", "base_revision": base}
    found = refused(
        world.site, 409, lambda: world.ana.put(f"{world.plan}/fields/lesson_goals", theirs)
    )
    assert found["code"] == "conflict"
    assert found["current"] == {
        "field": "lesson_goals",
        "value": "Which bag gives red more often?",
        "revision": base + 1,
        "changed_in": base + 1,
        "changed_by": pat.id,
        "changed_by_name": "Pat",
    }


def test_different_fields_from_the_same_base_both_land(world: World) -> None:
    pat = planner(world)
    base = world.revision()
    ok(pat.put(f"{world.plan}/fields/lesson_goals", {"value": "Goals", "base_revision": base}))
    plan = ok(
        world.ana.put(f"{world.plan}/fields/rationale", {"value": "Why", "base_revision": base})
    )["plan"]
    assert (plan["fields"]["lesson_goals"], plan["fields"]["rationale"]) == ("Goals", "Why")
    step = f"{world.plan}/steps/s1/fields"
    ok(pat.put(f"{step}/key_question", {"value": "Which bag?", "base_revision": base}))
    ok(world.ana.put(f"{step}/minutes", {"value": 12, "base_revision": base}))
    found = refused(
        world.site,
        409,
        lambda: world.ana.put(f"{step}/key_question", {"value": "?", "base_revision": base}),
    )
    assert found["current"]["field"] == "step:s1:key_question"
    assert found["current"]["value"] == "Which bag?"


@pytest.mark.parametrize(
    ("field", "value"),
    [("minutes", 241), ("minutes", -1), ("minutes", "10"), ("minutes", True), ("minutes", 1.5)],
)
def test_minutes_are_whole_numbers_from_0_to_240(
    shared_world: World, field: str, value: Any
) -> None:
    world = shared_world  # refusals write nothing: they can share a world
    body = {"value": value, "base_revision": world.revision()}
    path = f"{world.plan}/steps/s1/fields/{field}"
    assert set(refused(world.site, 422, lambda: world.ana.put(path, body))["fields"]) == {"value"}


def test_an_observer_an_outsider_and_a_visitor_cannot_edit(world: World) -> None:
    body = {"value": "Mine now", "base_revision": world.revision()}
    path = f"{world.plan}/fields/title"
    assert "planner" in refused(world.site, 403, lambda: world.obi.put(path, body))["message"]
    refused(world.site, 403, lambda: world.nia.put(path, body))
    assert (
        refused(world.site, 401, lambda: world.visitor.put(path, body))["code"] == "not_signed_in"
    )
    # The order is the same with a bad body: who you are comes before what you sent.
    refused(world.site, 403, lambda: world.nia.put(path, {"nonsense": 1}))
    refused(world.site, 401, lambda: world.visitor.put(path, {"nonsense": 1}))
    unknown = "/api/v1/lessons/00000000-0000-4000-8000-000000000000/plan/fields/title"
    assert refused(world.site, 404, lambda: world.nia.put(unknown, body))["fields"] == {
        "lesson_id": ["no study lesson 00000000-0000-4000-8000-000000000000"]
    }


def test_a_write_without_the_csrf_token_is_refused(world: World) -> None:
    body = {"value": "No token", "base_revision": world.revision()}
    head = world.site.head()
    answer = world.ana.put(f"{world.plan}/fields/title", body, headers={"X-CSRFToken": ""})
    assert error(answer, 400)["message"]
    assert world.site.head() == head

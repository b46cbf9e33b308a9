"""A GET refuses a query parameter it does not know, by name, as docs/api.md says, on
routes that take no query as on those that take one; and only after who asks is
checked (401, 404, 403 first), so an outsider learns nothing from it.

Walks every GET route of the API the app serves, so a new route is checked without
anyone remembering to add it here.
"""

from __future__ import annotations

from server.site import error, ok, refused
from server.world import World
from werkzeug.routing import Rule

UNKNOWN = "00000000-0000-4000-8000-000000000000"


def get_routes(world: World) -> list[Rule]:
    return sorted(
        (
            rule
            for rule in world.site.app.url_map.iter_rules()
            if rule.rule.startswith("/api/v1/") and "GET" in (rule.methods or ())
        ),
        key=lambda rule: rule.rule,
    )


def a_teaching(world: World) -> str:
    body = {"instructor_id": world.ana.id, "class_label": "6A"}
    teaching: str = ok(world.ana.post(f"/api/v1/lessons/{world.lesson_id}/teachings", body), 201)[
        "id"
    ]
    ok(world.ana.post(f"/api/v1/teachings/{teaching}/start", {}))
    return teaching


def fill(rule: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        rule = rule.replace(f"<uuid:{name}>", value).replace(f"<{name}>", value)
    assert "<" not in rule, rule
    return rule


def a_discussion(world: World, teaching_id: str) -> str:
    ok(world.ana.post(f"/api/v1/teachings/{teaching_id}/end"))
    board = ok(world.ana.post(f"/api/v1/teachings/{teaching_id}/discussion"), 201)
    discussion_id: str = board["discussion"]["id"]
    return discussion_id


def test_every_get_refuses_an_unknown_query_parameter_by_name(memory_world: World) -> None:
    world = memory_world
    teaching_id = a_teaching(world)
    values = {
        "team_id": world.team_id,
        "lesson_id": world.lesson_id,
        "task_id": world.task_id,
        "misconception_id": world.misconception_id,
        "teaching_id": teaching_id,
        "discussion_id": a_discussion(world, teaching_id),
        "photo_id": "0" * 32 + ".jpg",
    }
    checked = set()
    for rule in get_routes(world):
        path = fill(rule.rule, values)
        # Whatever else it takes: a route with a required parameter gets one it accepts.
        given = "from=1&" if rule.endpoint == "plan_history.plan_diff" else ""
        found = refused(world.site, 422, lambda p=f"{path}?{given}zz_unknown=1": world.ana.get(p))
        assert found["fields"] == {"zz_unknown": ["Unknown field."]}, (rule.rule, found)
        # Who asks is checked first: whoever is refused without the parameter (signed
        # out 401, an outsider 403) is refused the same way with it.
        for person in (world.visitor, world.nia):
            plain = person.get(f"{path}?{given}").status_code
            expected = plain if plain in (401, 403) else 422
            assert person.get(f"{path}?{given}zz_unknown=1").status_code == expected, (
                rule.rule,
                person.name,
            )
        checked.add(rule.endpoint)
    assert len(checked) > 25
    assert {"teams.read_team", "teaching.notes", "plan_history.plan_history"} <= checked


def test_an_unknown_teaching_is_404_whatever_the_query(memory_world: World) -> None:
    world = memory_world
    for path in (f"/api/v1/teachings/{UNKNOWN}", f"/api/v1/teachings/{UNKNOWN}/notes"):
        error(world.ana.get(f"{path}?since=0&bogus=1"), 404)


def test_since_is_a_whole_number(memory_world: World) -> None:
    world = memory_world
    notes = f"/api/v1/teachings/{a_teaching(world)}/notes"
    for since in ("1.5", "five", "-1"):
        found = refused(world.site, 422, lambda s=since: world.ana.get(f"{notes}?since={s}"))
        assert list(found["fields"]) == ["since"], found
    assert ok(world.ana.get(f"{notes}?since=5"))["snapshot"] is False

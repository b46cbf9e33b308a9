"""A GET refuses a query parameter it does not know, by name, as docs/api.md says, on
routes that take no query as on those that take one; and only after who asks is
checked (401, 404, 403 first), so an outsider learns nothing from it.

Walks the app's own GET routes of the teams, plan history and teaching blueprints,
and every route with a query schema, so a new route is checked without anyone
remembering to add it here.
"""

from __future__ import annotations

from typing import Any

from server.site import error, ok, refused
from server.world import World
from werkzeug.routing import Rule

from lessonstudy.server.api.schemas import NoQuerySchema

# The blueprints whose GET routes took no query and answered whatever was added to it.
WITHOUT_QUERY = ("teams.", "plan_history.", "teaching.")
UNKNOWN = "00000000-0000-4000-8000-000000000000"


def takes_a_query(view: Any) -> bool:
    """Whether the view reads a query schema of its own (not the empty NoQuerySchema)."""
    parameters = getattr(view, "_apidoc", {}).get("arguments", {}).get("parameters", [])
    return any(
        p["in"] == "query" and schema_class(p["schema"]) is not NoQuerySchema for p in parameters
    )


def schema_class(schema: Any) -> type:
    return schema if isinstance(schema, type) else type(schema)


def get_routes(world: World) -> list[Rule]:
    app = world.site.app
    return sorted(
        (
            rule
            for rule in app.url_map.iter_rules()
            if rule.rule.startswith("/api/v1/")
            and "GET" in (rule.methods or ())
            and (
                rule.endpoint.startswith(WITHOUT_QUERY)
                or takes_a_query(app.view_functions[rule.endpoint])
            )
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


def test_every_get_refuses_an_unknown_query_parameter_by_name(memory_world: World) -> None:
    world = memory_world
    values = {
        "team_id": world.team_id,
        "lesson_id": world.lesson_id,
        "teaching_id": a_teaching(world),
        "photo_id": "0" * 32 + ".jpg",
    }
    checked = set()
    for rule in get_routes(world):
        path = fill(rule.rule, values)
        # Whatever else it takes: the routes with a query get one they accept.
        query = (
            "from=1&zz_unknown=1" if rule.endpoint == "plan_history.plan_diff" else "zz_unknown=1"
        )
        found = refused(world.site, 422, lambda p=path, q=query: world.ana.get(f"{p}?{q}"))
        assert found["fields"] == {"zz_unknown": ["Unknown field."]}, (rule.rule, found)
        # Who asks is checked first: signed out 401, an outsider 403, an unknown id 404.
        assert error(world.visitor.get(f"{path}?zz_unknown=1"), 401)
        if "<" in rule.rule:
            assert error(world.nia.get(f"{path}?zz_unknown=1"), 403), rule.rule
        checked.add(rule.endpoint)
    assert {
        "teams.list_teams",
        "teams.read_team",
        "plan_history.plan_history",
        "plan_history.plan_as_markdown",
        "plan_history.plan_diff",
        "teaching.read",
        "teaching.notes",
        "teaching.read_photo",
    } <= checked


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

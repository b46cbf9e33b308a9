"""For every planning route: an unknown id in the URL is 404, an unknown field is 422.

Walks the app's own routes (those of the planning API's blueprints), so a new route
is checked without anyone remembering to add it here.
"""

from __future__ import annotations

from server.site import refused
from server.world import World
from werkzeug.routing import Rule

PLANNING = ("tasks.", "lessons.", "plan.", "plan_history.", "misconceptions.")
UNKNOWN = "00000000-0000-4000-8000-000000000000"


def planning_routes(world: World) -> list[tuple[Rule, str]]:
    return sorted(
        (
            (rule, method)
            for rule in world.site.app.url_map.iter_rules()
            if rule.endpoint.startswith(PLANNING)
            for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
        ),
        key=lambda pair: (pair[0].rule, pair[1]),
    )


def fill(rule: str, world: World, **unknown: str) -> str:
    values = {
        "team_id": world.team_id,
        "lesson_id": world.lesson_id,
        "task_id": world.task_id,
        "step_id": world.step_id,
        "response_id": world.response_id,
        **unknown,
    }
    for name, value in values.items():
        rule = rule.replace(f"<uuid:{name}>", value).replace(f"<{name}>", value)
    return rule


def test_an_unknown_id_in_the_url_is_not_found_whatever_the_body(shared_world: World) -> None:
    world = shared_world
    checked = 0
    for rule, method in planning_routes(world):
        for name in ("team_id", "lesson_id", "task_id"):
            if f"<uuid:{name}>" not in rule.rule:
                continue
            path = fill(rule.rule, world, **{name: UNKNOWN})
            body = None if method in ("GET", "DELETE") else {"nonsense": True}
            found = refused(
                world.site, 404, lambda p=path, b=body, m=method: world.ana.call(m, p, b)
            )
            assert found["fields"] == {name: [found["message"]]}, (method, rule.rule)
            checked += 1
    assert checked > 30


def test_an_unknown_field_is_refused_by_name(shared_world: World) -> None:
    world = shared_world
    checked = 0
    for rule, method in planning_routes(world):
        path = fill(rule.rule, world)
        if method in ("GET", "DELETE"):
            call = lambda p=path, m=method: world.ana.call(m, f"{p}?zz_unknown=1")  # noqa: E731
        else:
            call = lambda p=path, m=method: world.ana.call(m, p, {"zz_unknown": 1})  # noqa: E731
        found = refused(world.site, 422, call)
        assert found["fields"].get("zz_unknown") == ["Unknown field."], (method, rule.rule, found)
        checked += 1
    assert checked > 25

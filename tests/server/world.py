"""A team planning one lesson, built through the API: the givens of the server tests."""

from __future__ import annotations

from dataclasses import dataclass

from server.site import TASK, Person, Site, ok


@dataclass
class World:
    site: Site
    ana: Person  # founded the team: planner and facilitator
    obi: Person  # an observer on the team: may read, may not edit the plan
    nia: Person  # signed in, on no team
    visitor: Person  # not signed in
    team_id: str
    task_id: str
    lesson_id: str
    step_id: str
    response_id: str
    misconception_id: str

    @property
    def plan(self) -> str:
        return f"/api/v1/lessons/{self.lesson_id}/plan"

    def revision(self) -> int:
        revision: int = ok(self.ana.get(self.plan))["revision"]
        return revision


def build_world(site: Site) -> World:
    ana, obi, nia = site.sign_up("Ana"), site.sign_up("Obi"), site.sign_up("Nia")
    team = ok(
        ana.post(
            "/api/v1/teams",
            {"name": "Year 6", "school": "Hill School", "research_theme": "Reasoning aloud"},
        ),
        201,
    )
    team_id = team["id"]
    member = {"email": "obi@school.example", "roles": ["observer"]}
    ok(ana.post(f"/api/v1/teams/{team_id}/members", member), 201)
    task_id = ok(ana.post(f"/api/v1/teams/{team_id}/tasks", TASK), 201)["id"]
    misconception_id = ok(
        ana.post(
            f"/api/v1/teams/{team_id}/misconceptions",
            {"statement": "More red balls means a better chance", "task_id": task_id},
        ),
        201,
    )["id"]
    lesson = ok(
        ana.post(f"/api/v1/teams/{team_id}/lessons", {"task_id": task_id, "title": "Which bag?"}),
        201,
    )
    plan = f"/api/v1/lessons/{lesson['lesson_id']}/plan"
    step = {"step_id": "s1", "fields": {"activity": "Show both bags", "minutes": 10}}
    ok(ana.post(f"{plan}/steps", step), 201)
    response = {
        "response_id": "r1",
        "kind": "misconception",
        "text": "B, it has more red",
        "misconception_id": misconception_id,
    }
    ok(ana.post(f"{plan}/steps/s1/responses", response), 201)
    return World(
        site,
        ana,
        obi,
        nia,
        site.visitor(),
        team_id,
        task_id,
        lesson["lesson_id"],
        "s1",
        "r1",
        misconception_id,
    )


def planner(world: World, name: str = "Pat") -> Person:
    """Another planner on the team, to write beside Ana."""
    person = world.site.sign_up(name)
    body = {"email": f"{name.lower()}@school.example", "roles": ["planner"]}
    ok(world.ana.post(f"/api/v1/teams/{world.team_id}/members", body), 201)
    return person

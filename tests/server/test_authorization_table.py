"""Who gets what from every route: one table, and a route without a row fails the test.

Each row gives the request (path and body) and the status expected for someone signed
out, someone signed in but on no team, and a team member whose only role is observer
(so lacks the role any write of the plan, the tasks or the team needs). Adding an
endpoint means adding its row here, which means deciding who may use it.
Every refusal must also leave the event log as it was.
"""

from __future__ import annotations

import itertools
from typing import Any

from server.site import PASSWORD, Person, Site, ok
from server.world import World

from lessonstudy.server.api.plan.schemas import PLAN_VALUES, RESPONSE_VALUES, STEP_VALUES

# Routes that serve files or the API's own description, not anyone's data.
UNLISTED = ("/static/", "/vendor/", "/api/docs", "/api/openapi.json")

PLAN = "/api/v1/lessons/<uuid:lesson_id>/plan"
TEACHING = "/api/v1/teachings/<uuid:teaching_id>"
CURATED = "/api/v1/teams/<uuid:team_id>/misconceptions/<uuid:misconception_id>"
DISCUSSION = "/api/v1/discussions/<uuid:discussion_id>"
FIELD_ROW = ({}, 401, 403, 403)  # refused before the body is read: {} is enough

_emails = itertools.count(1)

# (rule, method) -> (body, signed out, on no team, observer member)
TABLE: dict[tuple[str, str], tuple[Any, int, int, int]] = {
    # --- accounts and sign-in ---------------------------------------------------------
    ("/api/v1/session", "GET"): (None, 200, 200, 200),
    ("/api/v1/session", "POST"): (
        {"email": "nobody@x.example", "password": "wrong"},
        401,
        401,
        401,
    ),
    ("/api/v1/session", "DELETE"): (None, 204, 204, 204),
    ("/api/v1/accounts", "POST"): ("new-account", 201, 201, 201),
    # --- teams ------------------------------------------------------------------------
    ("/api/v1/teams", "GET"): (None, 401, 200, 200),
    ("/api/v1/teams", "POST"): ({"name": "T", "school": "S"}, 401, 201, 201),
    ("/api/v1/teams/<uuid:team_id>", "GET"): (None, 401, 403, 200),
    ("/api/v1/teams/<uuid:team_id>", "PUT"): (
        {"name": "T", "school": "S", "research_theme": ""},
        401,
        403,
        403,
    ),
    ("/api/v1/teams/<uuid:team_id>/members", "POST"): (
        {"email": "nia@school.example", "roles": ["planner"]},
        401,
        403,
        403,
    ),
    ("/api/v1/teams/<uuid:team_id>/members/<person_id>", "PUT"): (
        {"roles": ["planner"]},
        401,
        403,
        403,
    ),
    ("/api/v1/teams/<uuid:team_id>/members/<person_id>", "DELETE"): (None, 401, 403, 403),
    ("/api/v1/teams/<uuid:team_id>/invitations", "POST"): ({}, 401, 403, 403),
    ("/api/v1/invitations/accept", "POST"): ({"code": "ABCDEFGH"}, 401, 404, 404),
    # --- tasks and lessons ------------------------------------------------------------
    ("/api/v1/teams/<uuid:team_id>/tasks", "GET"): (None, 401, 403, 200),
    ("/api/v1/teams/<uuid:team_id>/tasks", "POST"): ({}, 401, 403, 403),
    ("/api/v1/tasks/<uuid:task_id>", "GET"): (None, 401, 200, 200),
    ("/api/v1/tasks/<uuid:task_id>", "PUT"): ({}, 401, 403, 403),
    ("/api/v1/teams/<uuid:team_id>/lessons", "GET"): (None, 401, 403, 200),
    ("/api/v1/teams/<uuid:team_id>/lessons", "POST"): ({}, 401, 403, 403),
    # --- the plan -----------------------------------------------------------------------
    (PLAN, "GET"): (None, 401, 403, 200),
    **{(f"{PLAN}/fields/{name}", "PUT"): FIELD_ROW for name in PLAN_VALUES},
    (f"{PLAN}/steps", "POST"): FIELD_ROW,
    **{(f"{PLAN}/steps/<step_id>/fields/{name}", "PUT"): FIELD_ROW for name in STEP_VALUES},
    (f"{PLAN}/steps/<step_id>/move", "POST"): FIELD_ROW,
    (f"{PLAN}/steps/<step_id>", "DELETE"): (None, 401, 403, 403),
    (f"{PLAN}/steps/<step_id>/responses", "POST"): FIELD_ROW,
    **{
        (f"{PLAN}/responses/<response_id>/fields/{name}", "PUT"): FIELD_ROW
        for name in RESPONSE_VALUES
    },
    (f"{PLAN}/responses/<response_id>", "DELETE"): (None, 401, 403, 403),
    ("/api/v1/lessons/<uuid:lesson_id>/history", "GET"): (None, 401, 403, 200),
    ("/api/v1/lessons/<uuid:lesson_id>/diff", "GET"): (None, 401, 403, 200),
    ("/api/v1/lessons/<uuid:lesson_id>/plan.md", "GET"): (None, 401, 403, 200),
    # --- the catalogue ------------------------------------------------------------------
    ("/api/v1/misconceptions", "GET"): (None, 401, 200, 200),
    # Every role contributes to the catalogue: an observer names what they saw.
    ("/api/v1/teams/<uuid:team_id>/misconceptions", "POST"): (
        {"statement": "Seen in class", "topic": "probability"},
        401,
        403,
        201,
    ),
    # Reading the catalogue (its views, anonymised) needs only an account; how one
    # lesson or teaching compared with its plan is for its team.
    ("/api/v1/catalogue/facets", "GET"): (None, 401, 200, 200),
    ("/api/v1/catalogue/tasks", "GET"): (None, 401, 200, 200),
    ("/api/v1/catalogue/tasks/<uuid:task_id>", "GET"): (None, 401, 200, 200),
    ("/api/v1/catalogue/tasks/<uuid:task_id>/comparison", "GET"): (None, 401, 200, 200),
    ("/api/v1/catalogue/misconceptions", "GET"): (None, 401, 200, 200),
    ("/api/v1/catalogue/misconceptions/<uuid:misconception_id>", "GET"): (None, 401, 200, 200),
    ("/api/v1/catalogue/export", "GET"): (None, 401, 200, 200),
    ("/api/v1/catalogue/lessons/<uuid:lesson_id>/comparison", "GET"): (None, 401, 403, 200),
    ("/api/v1/catalogue/teachings/<uuid:teaching_id>/comparison", "GET"): (None, 401, 403, 200),
    # Curating needs the curator role on the team in the URL; an entry's history is
    # read like the entry itself (names of who changed it only for their teammates).
    (f"{CURATED}/statement", "PUT"): FIELD_ROW,
    (f"{CURATED}/merge", "POST"): FIELD_ROW,
    (f"{CURATED}/hidden-quotes", "POST"): FIELD_ROW,
    ("/api/v1/misconceptions/<uuid:misconception_id>/history", "GET"): (None, 401, 200, 200),
    # Opening the catalogue to a whole school is for a facilitator or curator.
    ("/api/v1/teams/<uuid:team_id>/school-link", "POST"): (None, 401, 403, 403),
    ("/api/v1/teams/<uuid:team_id>/school-link", "DELETE"): (None, 401, 403, 403),
    # --- teaching a lesson (the world's teaching is scheduled, not started) -----------
    ("/api/v1/lessons/<uuid:lesson_id>/teachings", "POST"): ({}, 401, 403, 403),
    (TEACHING, "GET"): (None, 401, 403, 200),
    (f"{TEACHING}/start", "POST"): ({}, 401, 403, 403),
    (f"{TEACHING}/mode", "PUT"): ({}, 401, 403, 403),
    (f"{TEACHING}/step", "PUT"): ({}, 401, 403, 403),
    (f"{TEACHING}/end", "POST"): (None, 401, 403, 403),
    (f"{TEACHING}/join-code", "POST"): (None, 401, 403, 403),
    (f"{TEACHING}/focus", "PUT"): ({"codes": []}, 401, 403, 200),
    (f"{TEACHING}/notes", "GET"): (None, 401, 403, 200),
    # Guests need no account: a wrong code is a bad body, whoever sends it.
    (f"{TEACHING}/guests", "POST"): ({"join_code": "ABCDEF", "name": "Kit"}, 422, 422, 422),
    (f"{TEACHING}/photos", "POST"): (None, 401, 403, 422),
    (f"{TEACHING}/photos/<photo_id>", "GET"): (None, 401, 403, 404),
    # --- the post-lesson discussion (the table's discussion is open, at its first phase) -
    # Everyone at the lesson takes part; the facilitator moves the phase, confirms
    # misconceptions and decides on revisions (refused before the body is read).
    (f"{TEACHING}/discussion", "POST"): (None, 401, 403, 403),
    (DISCUSSION, "GET"): (None, 401, 403, 200),
    (f"{DISCUSSION}/phase", "PUT"): ({}, 401, 403, 403),
    (f"{DISCUSSION}/contributions", "POST"): ({}, 401, 403, 422),
    (f"{DISCUSSION}/patterns", "POST"): ({}, 401, 403, 422),
    (f"{DISCUSSION}/patterns/<pattern_id>/name", "PUT"): ({}, 401, 403, 422),
    (f"{DISCUSSION}/notes/<note_id>/pattern", "PUT"): ({}, 401, 403, 422),
    (f"{DISCUSSION}/claims", "POST"): ({}, 401, 403, 422),
    (f"{DISCUSSION}/confirmations", "POST"): ({}, 401, 403, 403),
    (f"{DISCUSSION}/revisions", "POST"): ({}, 401, 403, 422),
    (f"{DISCUSSION}/revisions/<revision_id>/decision", "PUT"): ({}, 401, 403, 403),
    # A code for guests who come only to the discussion: the facilitator's to give.
    (f"{DISCUSSION}/guests", "POST"): (None, 401, 403, 403),
    # The record names observers, so it is the team's (guests take part, but do not
    # take it away); starting the next cycle is the facilitator's.
    (f"{DISCUSSION}/record.md", "GET"): (None, 401, 403, 200),
    (f"{DISCUSSION}/next-cycle", "POST"): (None, 401, 403, 403),
    ("/api/v1/lessons/<uuid:lesson_id>/cycles", "GET"): (None, 401, 403, 200),
    # --- the server itself --------------------------------------------------------------
    ("/healthz", "GET"): (None, 200, 200, 200),
    # --- pages (the pages' routes redirect a signed-out browser to sign in) -------------
    ("/", "GET"): (None, 302, 200, 200),
    ("/sign-in", "GET"): (None, 200, 200, 200),
    ("/sign-in", "POST"): (None, 401, 401, 401),
    ("/sign-up", "GET"): (None, 200, 200, 200),
    ("/sign-up", "POST"): (None, 422, 422, 422),
    ("/sign-out", "POST"): (None, 303, 303, 303),
    ("/join/<code>", "GET"): (None, 302, 200, 200),
    ("/join/<code>", "POST"): (None, 302, 422, 422),
    ("/teams", "POST"): (None, 302, 422, 422),
    ("/teams/<uuid:team_id>", "GET"): (None, 302, 403, 200),
    ("/teams/<uuid:team_id>/invitations", "POST"): (None, 302, 403, 403),
    ("/teams/<uuid:team_id>/tasks", "POST"): (None, 302, 403, 422),
    ("/teams/<uuid:team_id>/tasks/new", "GET"): (None, 302, 403, 200),
    ("/teams/<uuid:team_id>/lessons", "POST"): (None, 302, 403, 403),
    ("/tasks/<uuid:task_id>", "GET"): (None, 302, 403, 200),
    ("/tasks/<uuid:task_id>", "POST"): (None, 302, 403, 422),
    ("/lessons/<uuid:lesson_id>/plan", "GET"): (None, 302, 403, 200),
    ("/lessons/<uuid:lesson_id>/history", "GET"): (None, 302, 403, 200),
    ("/lessons/<uuid:lesson_id>/print", "GET"): (None, 302, 403, 200),
    # --- the taught lesson's pages (their scripts use the API rows above) ---------------
    ("/lessons/<uuid:lesson_id>/teach", "GET"): (None, 302, 403, 200),
    ("/teachings/<uuid:teaching_id>/teach", "GET"): (None, 302, 403, 403),
    ("/teachings/<uuid:teaching_id>/observe", "GET"): (None, 302, 403, 200),
    ("/teachings/<uuid:teaching_id>/facilitate", "GET"): (None, 302, 403, 200),
    ("/teachings/<uuid:teaching_id>/join", "GET"): (None, 200, 200, 200),
    ("/teachings/<uuid:teaching_id>/discussion", "GET"): (None, 302, 403, 200),
    ("/discussions/<uuid:discussion_id>", "GET"): (None, 302, 403, 200),
    ("/lessons/<uuid:lesson_id>/discussion", "GET"): (None, 302, 403, 302),
    ("/discussions/<uuid:discussion_id>/record", "GET"): (None, 302, 403, 200),
    ("/discussions/<uuid:discussion_id>/next-cycle", "POST"): (None, 302, 403, 403),
    ("/lessons/<uuid:lesson_id>/cycles", "GET"): (None, 302, 403, 200),
    ("/teachings/observe-sw.js", "GET"): (None, 200, 200, 200),
    # --- the catalogue's pages; a school link opens only with its token --------------
    ("/catalogue", "GET"): (None, 302, 200, 200),
    ("/catalogue/tasks/<uuid:task_id>", "GET"): (None, 302, 200, 200),
    ("/catalogue/misconceptions/<uuid:misconception_id>", "GET"): (None, 302, 200, 200),
    ("/teams/<uuid:team_id>/school-link", "POST"): (None, 302, 403, 403),
    ("/teams/<uuid:team_id>/school-link/close", "POST"): (None, 302, 403, 403),
    ("/school/<uuid:team_id>/<token>", "GET"): (None, 404, 404, 404),
    ("/school/<uuid:team_id>/<token>/tasks/<uuid:task_id>", "GET"): (None, 404, 404, 404),
    ("/school/<uuid:team_id>/<token>/misconceptions/<uuid:misconception_id>", "GET"): (
        None,
        404,
        404,
        404,
    ),
    ("/school/<uuid:team_id>/<token>/export", "GET"): (None, 404, 404, 404),
}


def routes(site: Site) -> set[tuple[str, str]]:
    return {
        (rule.rule, method)
        for rule in site.app.url_map.iter_rules()
        if not rule.rule.startswith(UNLISTED)
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }


def test_every_route_has_a_row_and_every_api_row_a_route(memory_site: Site) -> None:
    found = routes(memory_site)
    assert sorted(found - set(TABLE)) == [], "routes without a row: add them to TABLE"
    # The pages are written beside the API; a page row may come before its route does.
    stale = {(rule, method) for rule, method in set(TABLE) - found if rule.startswith("/api/")}
    assert sorted(stale) == [], "rows without a route: remove them from TABLE"


def signed_in(site: Site, name: str) -> Person:
    """A fresh browser for each request: one request's sign-out cannot affect the next."""
    person = site.visitor(name)
    email = f"{name.lower()}@school.example"
    answer = person.post("/api/v1/session", {"email": email, "password": PASSWORD})
    assert answer.status_code == 200
    person.refresh_token()
    return person


def path_of(
    rule: str, method: str, world: World, teaching_id: str = "", discussion_id: str = ""
) -> str:
    values = {
        "<uuid:teaching_id>": teaching_id,
        "<uuid:discussion_id>": discussion_id,
        "<pattern_id>": "p1",
        "<note_id>": "n1",
        "<revision_id>": "rev-1",
        "<photo_id>": "0" * 32 + ".jpg",
        "<uuid:team_id>": world.team_id,
        "<uuid:lesson_id>": world.lesson_id,
        "<uuid:task_id>": world.task_id,
        "<uuid:misconception_id>": world.misconception_id,
        "<step_id>": world.step_id,
        "<response_id>": world.response_id,
        "<person_id>": world.obi.id,
        "<code>": "ABCDEFGH",
        "<token>": "n0t-the-school-link-t0ken-at-all",
    }
    for name, value in values.items():
        rule = rule.replace(name, value)
    if rule.endswith("/diff"):
        rule += "?from=1"
    if method == "DELETE" and "/plan/" in rule:
        rule += "?base_revision=1"
    return rule


def send(person: Person, method: str, path: str, body: Any) -> int:
    if body == "new-account":
        email = f"new{next(_emails)}@school.example"
        body = {"email": email, "display_name": "New", "password": PASSWORD}
    if body is None and method != "GET":
        # A page's form post (or a body-less API call): an empty form.
        answer = person.client.open(
            path, method=method, headers={"X-CSRFToken": person.csrf}, data={}
        )
        return answer.status_code
    return person.call(method, path, body).status_code


def test_each_route_answers_each_kind_of_person_as_the_table_says(memory_world: World) -> None:
    world, site = memory_world, memory_world.site
    wrong: list[str] = []
    present = routes(site)
    scheduled = {"instructor_id": world.ana.id, "class_label": "6A"}
    teachings = f"/api/v1/lessons/{world.lesson_id}/teachings"
    teaching_id = ok(world.ana.post(teachings, scheduled), 201)["id"]
    discussion_id = discussed_teaching(world)
    for (rule, method), (body, *expected) in sorted(TABLE.items()):
        if (rule, method) not in present:
            continue  # a page row ahead of its route (see above)
        path = path_of(rule, method, world, teaching_id, discussion_id)
        people = [site.visitor(), signed_in(site, "Nia"), signed_in(site, "Obi")]
        for person, status in zip(people, expected, strict=True):
            head = site.head()
            got = send(person, method, path, body)
            if got != status:
                wrong.append(f"{method} {rule} as {person.name}: {got}, table says {status}")
            if got in (401, 403, 404) and site.head() != head:
                wrong.append(f"{method} {rule} as {person.name}: refused but wrote")
    assert wrong == []


def discussed_teaching(world: World) -> str:
    """Another teaching of the lesson, taught and ended, with its discussion open."""
    body = {"instructor_id": world.ana.id, "class_label": "6B"}
    taught = ok(world.ana.post(f"/api/v1/lessons/{world.lesson_id}/teachings", body), 201)["id"]
    ok(world.ana.post(f"/api/v1/teachings/{taught}/start", {}))
    ok(world.ana.post(f"/api/v1/teachings/{taught}/end"))
    opened = ok(world.ana.post(f"/api/v1/teachings/{taught}/discussion"), 201)
    discussion_id: str = opened["discussion"]["id"]
    return discussion_id

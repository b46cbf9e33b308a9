"""Generated requests on every operation of the OpenAPI document (schemathesis).

For each operation, schemathesis generates requests from the document, valid and
invalid, sent by a signed-in planner with the CSRF token, to a lesson of her own
(the ids in the path are real, so requests get past "not found" and into the
handlers). The properties: the server never answers 5xx, and a refused request
(4xx) writes nothing to the log. Examples per operation are few, to keep the run
well under a minute; the schema-driven cases still reach every value schema.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, Phase, settings
from schemathesis import Case
from server.site import PASSWORD, TASK, Person, Site, config, ok, sites

from lessonstudy.server import create_app


def _openapi_document() -> dict[str, Any]:
    app: Flask = create_app(replace(config("memory://"), follow="none"))
    try:
        document: dict[str, Any] = app.test_client().get("/api/openapi.json").get_json()
        return document
    finally:
        app.extensions["lessonstudy"].service.close()


schema = schemathesis.openapi.from_dict(_openapi_document())


# Flask-Login's "strong" session protection signs out a session whose User-Agent
# changes, so schemathesis's requests and the fixtures' must present the same one.
USER_AGENT = "lessonstudy-tests"


@dataclass
class Lesson:
    """A lesson of Ana's with one step and one anticipated response, fresh per operation."""

    site: Site
    ana: Person
    ids: dict[str, str]
    statuses: list[int] = field(default_factory=list)

    def signed_in_as_ana(self) -> None:
        """Put Ana back at the keyboard: a generated sign-out or sign-up replaces her."""
        session = self.ana.get("/api/v1/session").get_json()
        if (session.get("person") or {}).get("id") != self.ana.id:
            body = {"email": "ana@school.example", "password": PASSWORD}
            ok(self.ana.post("/api/v1/session", body))
            self.ana.refresh_token()


@pytest.fixture(scope="module")
def fuzz_site() -> Iterator[tuple[Site, Person, Person]]:
    with sites() as make:
        site = make("memory://")
        ana = site.sign_up("Ana")
        ana.client.environ_base["HTTP_USER_AGENT"] = USER_AGENT
        yield site, ana, site.sign_up("Obi")


@pytest.fixture
def lesson(fuzz_site: tuple[Site, Person, Person]) -> Iterator[Lesson]:
    site, ana, obi = fuzz_site
    found = Lesson(site, ana, {})
    found.signed_in_as_ana()
    team = ok(ana.post("/api/v1/teams", {"name": "Fuzz", "school": "S"}), 201)["id"]
    ok(
        ana.post(
            f"/api/v1/teams/{team}/members", {"email": "obi@school.example", "roles": ["observer"]}
        ),
        201,
    )
    task = ok(ana.post(f"/api/v1/teams/{team}/tasks", TASK), 201)["id"]
    lesson = ok(ana.post(f"/api/v1/teams/{team}/lessons", {"task_id": task, "title": "T"}), 201)
    plan = f"/api/v1/lessons/{lesson['lesson_id']}/plan"
    ok(ana.post(f"{plan}/steps", {"step_id": "s1"}), 201)
    ok(
        ana.post(
            f"{plan}/steps/s1/responses",
            {"response_id": "r1", "kind": "misconception", "text": "x"},
        ),
        201,
    )
    # A teaching under way, so the teaching, note and photo routes are reached too.
    body = {"instructor_id": ana.id, "class_label": "6A"}
    teaching = ok(ana.post(f"/api/v1/lessons/{lesson['lesson_id']}/teachings", body), 201)["id"]
    ok(ana.post(f"/api/v1/teachings/{teaching}/start", {}))
    found.ids = {
        "teaching_id": teaching,
        "team_id": team,
        "task_id": task,
        "lesson_id": lesson["lesson_id"],
        "step_id": "s1",
        "response_id": "r1",
        "person_id": obi.id,
    }
    yield found
    # A run where every request was turned away at the door would prove nothing.
    assert set(found.statuses) - {401}, "no generated request got past sign-in"


@schema.parametrize()
@settings(
    max_examples=5,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_no_server_errors_and_refusals_write_nothing(case: Case, lesson: Lesson) -> None:
    if case.path_parameters:
        case.path_parameters = {
            name: lesson.ids.get(name, value) for name, value in case.path_parameters.items()
        }
    head = lesson.site.head()
    headers = {"X-CSRFToken": lesson.ana.csrf, "User-Agent": USER_AGENT}
    response = case.call(session=lesson.ana.client, headers=headers, app=lesson.site.app)
    lesson.statuses.append(response.status_code)
    assert response.status_code < 500, response.text
    if 400 <= response.status_code < 500:
        assert lesson.site.head() == head, f"refused with {response.status_code} but wrote"
    lesson.signed_in_as_ana()

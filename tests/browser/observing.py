"""A lesson ready to observe, set up over the REST API and the teach page, and what an
observer does on the observe page; shared by the live observation tests."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

from browser.flows import LIVE_MS, PASSWORD
from playwright.sync_api import Page, expect
from support.live_server import LiveServer

LAYOUT = {
    "G1": ["G1-S1", "G1-S2", "G1-S3", "G1-S4"],
    "G2": ["G2-S1", "G2-S2", "G2-S3", "G2-S4"],
    "G3": ["G3-S1", "G3-S2", "G3-S3", "G3-S4"],
    "G4": ["G4-S1", "G4-S2", "G4-S3"],
}


class Api:
    """REST calls made with a page's own cookies and CSRF token."""

    def __init__(self, page: Page, server: LiveServer) -> None:
        self.page, self.url, self.token = page, server.url, ""
        self.refresh()

    def refresh(self) -> None:
        self.token = self.call("GET", "/api/v1/session")["csrf_token"]

    def call(self, method: str, path: str, body: Any = None, status: int = 200) -> Any:
        answer = self.page.request.fetch(
            self.url + path,
            method=method,
            headers={"X-CSRFToken": self.token} if method != "GET" else {},
            data=body,
        )
        assert answer.status == status, f"{method} {path}: {answer.status} {answer.text()}"
        return answer.json()


@dataclass
class Lesson:
    teaching_id: str
    steps: list[dict[str, Any]]
    api: Api


def instructor_with_task(page: Page, server: LiveServer) -> tuple[Api, str, str]:
    """Ines's account, her team (she plans, teaches, facilitates and observes) and its
    fractions task: the REST client signed in as her, the team's id and the task's id."""
    page.goto(server.url + "/")
    api = Api(page, server)
    email = f"ines-{uuid4().hex[:8]}@school.example"
    account = {"email": email, "display_name": "Ines", "password": PASSWORD}
    api.call("POST", "/api/v1/accounts", account, 201)
    api.refresh()
    roles = ["planner", "instructor", "facilitator", "observer"]
    team = api.call(
        "POST", "/api/v1/teams", {"name": "Fractions", "school": "Hill", "roles": roles}, 201
    )
    task = {
        "statement": "Which is larger, 3/4 or 2/3? Explain.",
        "subject": "Mathematics",
        "grade": "5",
        "topic": "Comparing fractions",
        "cognitive_demand": "analyse",
    }
    task_id = api.call("POST", f"/api/v1/teams/{team['id']}/tasks", task, 201)["id"]
    return api, team["id"], task_id


def prepared_lesson(page: Page, server: LiveServer) -> Lesson:
    """An instructor's account, team, task and plan (two steps, a misconception)."""
    api, team_id, task_id = instructor_with_task(page, server)
    lesson = {"task_id": task_id, "title": "Comparing fractions"}
    plan = api.call("POST", f"/api/v1/teams/{team_id}/lessons", lesson, 201)
    lesson_id = plan["lesson_id"]
    base = f"/api/v1/lessons/{lesson_id}/plan"
    revision = api.call(
        "PUT", f"{base}/fields/class_layout", {"value": LAYOUT, "base_revision": plan["revision"]}
    )["revision"]
    for activity in ("Launch: read the task together", "Groups compare the fractions"):
        api.call("POST", f"{base}/steps", {"fields": {"activity": activity}}, 201)
    steps = api.call("GET", base)["steps"]
    api.call(
        "POST",
        f"{base}/steps/{steps[1]['id']}/responses",
        {"kind": "misconception", "text": "Bigger denominator means bigger"},
        201,
    )
    api.call(
        "POST",
        f"{base}/steps/{steps[1]['id']}/responses",
        {"kind": "correct_strategy", "text": "Common denominator: 9/12 > 8/12"},
        201,
    )
    del revision
    # Scheduled, started and opened to guests through the pages.
    teaching_id = teach(page, server, lesson_id, "5B")
    expect(page.get_by_role("button", name="Groups compare the fractions")).to_have_attribute(
        "aria-pressed", "true"
    )
    return Lesson(teaching_id, api.call("GET", base)["steps"], api)


def teach(page: Page, server: LiveServer, lesson_id: str, class_label: str) -> str:
    """Schedule and start a teaching from the plan's page; at its second step."""
    page.goto(f"{server.url}/lessons/{lesson_id}/plan")
    page.get_by_role("link", name="Teach this lesson").click()
    page.get_by_label("Class").fill(class_label)
    page.get_by_role("button", name="Schedule the teaching").click()
    expect(page).to_have_url(re.compile(r"/teachings/[0-9a-f-]+/teach$"))
    teaching_id = page.url.rsplit("/", 2)[1]
    page.get_by_role("button", name="Start the lesson").click()
    expect(page.locator("#status")).to_have_text("In progress")
    page.get_by_role("button", name="Groups compare the fractions").click()
    return teaching_id


def join_code(page: Page) -> str:
    page.get_by_role("button", name="Show a join code").click()
    expect(page.locator("#join-code")).to_have_text(re.compile(r"\S"))
    code = page.locator("#join-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{4,12}", code), code
    return code


def join_as_guest(page: Page, server: LiveServer, teaching_id: str, code: str, name: str) -> None:
    page.goto(f"{server.url}/teachings/{teaching_id}/join")
    page.get_by_label("Join code").fill(code)
    page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Join the lesson").click()
    expect(page).to_have_url(re.compile(r"/observe$"))
    wait_connected(page)


def wait_connected(page: Page) -> None:
    expect(page.locator("#connection")).to_have_attribute("data-state", "live", timeout=LIVE_MS)


def record(page: Page, text: str, seat: str = "G1-S2") -> None:
    page.locator("#seats").get_by_role("button", name=seat, exact=True).click()
    page.get_by_label(re.compile("What you saw or heard")).fill(text)
    page.get_by_role("button", name="Send note").click()


def feed_texts(page: Page) -> list[str]:
    return [t.strip() for t in page.locator("#feed .ob-note__text").all_inner_texts()]

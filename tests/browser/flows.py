"""What a teacher does in the browser, step by step, shared by the browser tests."""

from __future__ import annotations

import re
from dataclasses import dataclass
from uuid import uuid4

from playwright.sync_api import Locator, Page, expect
from support.live_server import LiveServer

PASSWORD = "a long enough password"
LIVE_MS = 5_000  # others' changes show "within a second"; allow a slow machine


@dataclass(frozen=True)
class Person:
    name: str
    email: str


def person(name: str) -> Person:
    local = re.sub(r"[^a-z]", "", name.lower())[:12] or "someone"
    return Person(name, f"{local}-{uuid4().hex[:8]}@school.example")


def sign_up(page: Page, server: LiveServer, who: Person, *, next_path: str = "") -> None:
    page.goto(f"{server.url}/sign-up" + (f"?next={next_path}" if next_path else ""))
    page.get_by_label("Your name").fill(who.name)
    page.get_by_label("E-mail").fill(who.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()


def form_team(page: Page, server: LiveServer, name: str, school: str = "Hillside School") -> str:
    page.goto(f"{server.url}/")
    page.get_by_label("Team name").fill(name)
    page.get_by_label("School").fill(school)
    page.get_by_label("Research theme").fill("Students explain why, not only what.")
    page.get_by_role("button", name="Form the team").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    return page.url


def define_task(page: Page, *, statement: str, topic: str, demand: str = "Analyse") -> str:
    """From the team's dashboard: a task with every field, including cognitive demand."""
    page.get_by_role("link", name="New task").click()
    page.get_by_label("Task statement").fill(statement)
    page.get_by_label("Subject").fill("Mathematics")
    page.get_by_label("Grade").fill("7")
    page.get_by_label("Topic").fill(topic)
    page.get_by_label("Materials").fill("Two paper bags, red and white balls.")
    page.get_by_label(re.compile(demand)).check()
    page.get_by_role("button", name="Define the task").click()
    expect(page.get_by_role("status")).to_contain_text("defined")
    return page.url


def start_lesson(page: Page, title: str) -> str:
    """From a task's page: start a study lesson; returns the plan editor's URL."""
    page.get_by_label("Lesson title").fill(title)
    page.get_by_role("button", name="Start planning").click()
    wait_live(page)
    return page.url


def wait_live(page: Page) -> None:
    expect(page.locator("#connection")).to_have_attribute("data-state", "live")
    expect(page.locator("#save-state")).to_have_text("All changes saved")


def invite_link(page: Page, team_url: str, role: str = "planner") -> str:
    page.goto(team_url)
    for box in page.locator('input[name="roles"]').all():
        box.set_checked(box.get_attribute("value") == role)
    page.get_by_role("button", name="Create invitation link").click()
    link = page.get_by_label("Invitation link").input_value()
    assert "/join/" in link
    return link


def join(page: Page, server: LiveServer, who: Person, link: str) -> None:
    """A colleague opens the link, creates an account on the way, and joins."""
    path = "/join/" + link.rsplit("/join/", 1)[1]
    page.goto(link)
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Your name").fill(who.name)
    page.get_by_label("E-mail").fill(who.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))
    page.get_by_role("button", name=re.compile("^Join the team")).click()
    expect(page.get_by_role("heading", name="Study lessons")).to_be_visible()


def plan_field(page: Page, label: str) -> Locator:
    return page.locator("#plan").get_by_label(label, exact=True)


def step_row(page: Page, number: int) -> Locator:
    return page.locator("#flow-body tr.step").nth(number - 1)


def step_field(page: Page, number: int, label: str) -> Locator:
    return page.get_by_label(f"Step {number}: {label}", exact=True)


def save(field: Locator, text: str) -> None:
    """Type into a field and leave it, which saves it; wait until it says so."""
    field.fill(text)
    field.blur()
    expect(field.page.locator("#save-state")).to_have_text("All changes saved")


def add_step(page: Page) -> None:
    before = page.locator("#flow-body tr.step").count()
    page.get_by_role("button", name="+ Add a step").click()
    expect(page.locator("#flow-body tr.step")).to_have_count(before + 1)

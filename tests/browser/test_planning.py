"""One planner fills a research lesson plan in the browser, and it is all kept."""

from __future__ import annotations

import re
from collections.abc import Callable

from browser.conftest import ARTIFACTS
from browser.flows import (
    LIVE_MS,
    add_step,
    define_task,
    form_team,
    person,
    plan_field,
    save,
    sign_up,
    start_lesson,
    step_field,
    step_row,
    wait_live,
)
from playwright.sync_api import Locator, Page, expect
from support.live_server import LiveServer

COUNT_MISCONCEPTION = "Compares the counts of red balls, not the proportion of red"
MORE_BALLS = "Believes more balls in the bag means more chance"


def catalogue_elsewhere(page: Page, server: LiveServer, statement: str) -> None:
    """An entry another team member adds (through the API), which this page never saw;
    waits until the catalogue's search index has it."""
    plan = page.locator("#plan")
    team_id, task_id = plan.get_attribute("data-team-id"), plan.get_attribute("data-task-id")
    token = page.locator('meta[name="csrf-token"]').get_attribute("content") or ""
    made = page.request.post(
        f"{server.url}/api/v1/teams/{team_id}/misconceptions",
        data={"statement": statement, "task_id": task_id},
        headers={"X-CSRFToken": token},
    )
    assert made.status == 201, made.text()
    for _ in range(50):
        found = page.request.get(
            f"{server.url}/api/v1/misconceptions", params={"q": statement[:12], "task_id": task_id}
        )
        if any(entry["statement"] == statement for entry in found.json()):
            return
        page.wait_for_timeout(100)
    raise AssertionError("the catalogue's search never found the new entry")


def open_new_response(row: Locator) -> None:
    """The form stays open after adding one, ready for the next."""
    opener = row.get_by_text("+ Anticipate a response")
    if opener.is_visible():
        opener.click()


def anticipate(page: Page, step: int, text: str, *, misconception: str | None = None) -> None:
    """Add a response to a step; a misconception is picked in the catalogue by search."""
    row = step_row(page, step)
    open_new_response(row)
    if misconception is not None:
        row.get_by_label("Misconception", exact=True).check()
    row.get_by_label("What a student might say or do").fill(text)
    if misconception is not None:
        search = row.get_by_role("combobox", name=re.compile("Which misconception"))
        search.fill(misconception[:12])  # as a teacher types: a few words
        option = row.get_by_role("option", name=misconception, exact=True)
        expect(option).to_be_visible()
        ARTIFACTS.mkdir(exist_ok=True)
        row.screenshot(path=str(ARTIFACTS / "misconception-picker.png"))
        option.click()
    row.get_by_role("button", name="Add response").click()
    expect(row.locator(".responses textarea").last).to_have_value(text)


def test_a_planner_fills_the_plan_and_it_is_kept(
    server: LiveServer, new_page: Callable[..., Page]
) -> None:
    page = new_page()
    sign_up(page, server, person("Ana Souza"))
    form_team(page, server, "Hillside Year 7 maths")
    define_task(
        page,
        statement="Bag A has 3 red and 1 white ball; bag B has 5 red and 3 white. Which"
        " bag gives the better chance of red?",
        topic="Probability",
    )
    expect(page.get_by_label(re.compile("Analyse"))).to_be_checked()
    start_lesson(page, "Which bag?")

    save(plan_field(page, "Lesson goals"), "Students compare chances by part-whole fractions.")
    save(plan_field(page, "Research theme"), "Students justify a choice with evidence.")
    plan_field(page, "Date").fill("2026-11-19")
    plan_field(page, "Instructor").select_option(label="Ana Souza")
    save(plan_field(page, "Class layout"), "G1: G1-S1, G1-S2\nG2: G2-S1, G2-S2")

    add_step(page)
    save(step_field(page, 1, "Learning activity"), "Launch: show both bags; students predict.")
    save(step_field(page, 1, "Key question"), "Which bag would you draw from?")
    save(step_field(page, 1, "Minutes"), "7")
    add_step(page)
    save(step_field(page, 2, "Learning activity"), "Groups draw 20 times from each bag.")
    save(step_field(page, 2, "Minutes"), "15")
    expect(page.locator("#total-minutes")).to_have_text("2 steps · 22 minutes in all")

    anticipate(page, 1, "A: 3 out of 4 are red, B only 5 out of 8.")
    # A new misconception is catalogued from the picker, then found again by search.
    row = step_row(page, 1)
    open_new_response(row)
    row.get_by_label("Misconception", exact=True).check()
    row.get_by_label("What a student might say or do").fill("B, because it has 5 red and A 3.")
    row.get_by_role("combobox", name=re.compile("Which misconception")).fill(COUNT_MISCONCEPTION)
    row.get_by_role("option", name=re.compile("^New misconception")).click()
    row.get_by_role("button", name="Add response").click()
    expect(row.locator(".response--misconception .linked__text")).to_have_text(COUNT_MISCONCEPTION)
    anticipate(page, 2, "B has more red, so B.", misconception=COUNT_MISCONCEPTION)
    expect(step_row(page, 2).locator(".linked__text")).to_have_text(COUNT_MISCONCEPTION)
    catalogue_elsewhere(page, server, MORE_BALLS)  # so only the server's search can offer it
    anticipate(page, 2, "B, it has more balls.", misconception=MORE_BALLS)
    expect(step_row(page, 2).locator(".linked__text").last).to_have_text(MORE_BALLS)

    # Reorder with the keyboard: the buttons, not only drag.
    step_row(page, 2).get_by_role("button", name="Move step 2 up").press("Enter")
    expect(step_field(page, 1, "Learning activity")).to_have_value(
        "Groups draw 20 times from each bag."
    )
    expect(page.get_by_role("button", name="Move step 1 up")).to_be_disabled()

    page.reload()  # everything above was saved on the server
    wait_live(page)
    expect(plan_field(page, "Lesson goals")).to_have_value(
        "Students compare chances by part-whole fractions."
    )
    expect(plan_field(page, "Date")).to_have_value("2026-11-19")
    expect(plan_field(page, "Instructor")).to_have_value(re.compile(".+"))
    expect(plan_field(page, "Class layout")).to_have_value("G1: G1-S1, G1-S2\nG2: G2-S1, G2-S2")
    expect(step_field(page, 2, "Key question")).to_have_value("Which bag would you draw from?")
    expect(step_field(page, 2, "Minutes")).to_have_value("7")
    expect(step_row(page, 2).locator(".response")).to_have_count(2)
    expect(step_row(page, 1).locator(".response")).to_have_count(2)
    expect(step_row(page, 1).locator(".response--misconception .linked__text")).to_have_text(
        [COUNT_MISCONCEPTION, MORE_BALLS]
    )

    # Removing a step asks first, and the answer is on the page, not in a dialog.
    step_row(page, 1).get_by_role("button", name="Remove step 1").click()
    step_row(page, 1).get_by_role("button", name="Keep").click()
    expect(page.locator("#flow-body tr.step")).to_have_count(2)

    lesson_url = page.url
    page.goto(lesson_url.replace("/plan", "/print"))
    flow = page.locator("table.flow tbody tr")
    expect(flow).to_have_count(2)
    expect(flow.nth(1)).to_contain_text("Which bag would you draw from?")
    expect(flow.nth(1)).to_contain_text("Catalogue: " + COUNT_MISCONCEPTION)
    expect(page.locator("tfoot")).to_contain_text("22")

    page.goto(lesson_url.replace("/plan", "/history"))
    expect(page.locator(".timeline__item").first).to_contain_text("Ana Souza moved step 2")
    revision = page.locator(".timeline__item").first.get_attribute("data-revision")
    page.locator(".timeline__item").first.get_by_role("button", name="what changed").click()
    expect(page.locator(".timeline__diff .diff__item").first).to_contain_text("moved")

    # The team's dashboard shows where the lesson stands, from the dashboard view.
    page.get_by_role("navigation", name="Where you are").get_by_role("link").nth(1).click()
    card = page.locator(".lesson-card").filter(has_text="Which bag?")
    expect(card.locator("[aria-current=step]")).to_have_text("Plan")
    expect(card.locator(".cycle__label")).to_have_text("Planning")
    # plan version, revision, teachings, notes
    expect(card.locator(".facts dd")).to_have_text(["1", str(revision), "0", "0"])

    # Into the catalogue: from the task, and from a misconception anticipated in the plan.
    page.locator(".task-list a").filter(has_text="Probability").click()
    elsewhere = page.get_by_role("region", name="How students have misunderstood this task")
    expect(elsewhere).to_contain_text("knows 2 misconceptions")
    elsewhere.get_by_role("link", name="See them in the catalogue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Before you teach: what students did with this task"
    )
    page.goto(lesson_url)
    wait_live(page)
    link = step_row(page, 2).get_by_role("link", name=COUNT_MISCONCEPTION)
    expect(link).to_have_attribute("href", re.compile(r"^/catalogue/misconceptions/[0-9a-f-]{36}$"))
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(COUNT_MISCONCEPTION)


def test_an_edit_made_offline_is_saved_when_the_connection_is_back(
    server: LiveServer, new_page: Callable[..., Page]
) -> None:
    page = new_page()
    sign_up(page, server, person("Ana Souza"))
    form_team(page, server, "Hillside offline")
    define_task(page, statement="Which bag?", topic="Probability")
    start_lesson(page, "Which bag?")

    page.context.set_offline(True)
    goals = plan_field(page, "Lesson goals")
    goals.fill("Written on the train.")
    goals.blur()
    expect(page.locator("#save-state")).to_have_text("1 not saved yet (no connection)")
    expect(page.locator('[data-field-wrapper="lesson_goals"] .field-note')).to_contain_text(
        "Not saved yet"
    )

    page.context.set_offline(False)
    expect(page.locator("#save-state")).to_have_text("All changes saved", timeout=LIVE_MS * 2)
    page.reload()
    wait_live(page)
    expect(plan_field(page, "Lesson goals")).to_have_value("Written on the train.")

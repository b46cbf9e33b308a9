"""Text that looks like HTML or script, typed anywhere, shows as text and runs nowhere.

Every page a teacher sees is checked: no element injected, no dialog opened, no
script run, and the words appear as typed.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from browser.conftest import Watched
from browser.flows import (
    LIVE_MS,
    add_step,
    define_task,
    form_team,
    invite_link,
    join,
    person,
    plan_field,
    save,
    sign_up,
    start_lesson,
    step_field,
    step_row,
    wait_live,
)
from playwright.sync_api import Page, expect
from support.live_server import LiveServer

NAME = "<img src=x onerror=\"window.__xss='name'\">Eve"
TEAM = "<script>window.__xss='team'</script>Team <i>X</i>"
TASK = "Which bag? <img src=x onerror=alert('task')>"
TITLE = "<b id=injected>Bold</b><script>alert('title')</script>"
GOALS = "</textarea><img src=x onerror=alert('goals')> & more"
STEP = "<svg onload=alert('step')></svg>Launch"
RESPONSE = "<a href=javascript:alert('r')>click</a> B, because 5 > 3"
MISCONCEPTION = "<img src=x onerror=alert('m')> counts, not proportions"


def assert_nothing_ran(page: Page, watched: Watched) -> None:
    assert page.evaluate("window.__xss") is None
    assert page.locator("img[src='x'], svg[onload], #injected, a[href^=javascript]").count() == 0
    assert watched.dialogs == []


def test_html_in_names_and_plans_shows_as_text(
    server: LiveServer, new_page: Callable[..., Page], watched: Watched
) -> None:
    eve, other = new_page(), new_page()
    sign_up(eve, server, person(NAME))
    team_url = form_team(eve, server, TEAM)
    expect(eve.get_by_role("heading", level=1)).to_have_text(TEAM)
    define_task(eve, statement=TASK, topic="<u>Probability</u>")
    plan_url = start_lesson(eve, TITLE)
    join(other, server, person("Sam Otieno"), invite_link(eve, team_url))
    other.goto(plan_url)
    wait_live(other)
    eve.goto(plan_url)
    wait_live(eve)

    save(plan_field(eve, "Lesson goals"), GOALS)
    add_step(eve)
    save(step_field(eve, 1, "Learning activity"), STEP)
    row = step_row(eve, 1)
    row.get_by_text("+ Anticipate a response").click()
    row.get_by_label("Misconception", exact=True).check()
    row.get_by_label("What a student might say or do").fill(RESPONSE)
    row.get_by_role("combobox", name=re.compile("Which misconception")).fill(MISCONCEPTION)
    row.get_by_role("option", name=re.compile("^New misconception")).click()
    row.get_by_role("button", name="Add response").click()
    expect(row.locator(".linked__text")).to_have_text(MISCONCEPTION)

    # The other planner gets all of it live, with Eve's name in the notes.
    expect(plan_field(other, "Lesson goals")).to_have_value(GOALS, timeout=LIVE_MS)
    expect(other.locator('[data-field-wrapper="lesson_goals"] .field-note')).to_contain_text(NAME)
    expect(step_field(other, 1, "Learning activity")).to_have_value(STEP, timeout=LIVE_MS)
    expect(step_row(other, 1).locator(".linked__text")).to_have_text(MISCONCEPTION)
    expect(other.locator("#bar-title")).to_have_text(TITLE)
    assert_nothing_ran(other, watched)

    # The picker lists the statement as text.
    row = step_row(other, 1)
    row.get_by_text("+ Anticipate a response").click()
    row.get_by_label("Misconception", exact=True).check()
    row.get_by_role("combobox", name=re.compile("Which misconception")).fill("counts")
    expect(row.get_by_role("option", name=MISCONCEPTION)).to_be_visible()
    assert_nothing_ran(other, watched)

    for path in ("", "/print", "/history"):
        other.goto(plan_url.replace("/plan", path) if path else team_url)
        other.wait_for_load_state("networkidle")
        assert_nothing_ran(other, watched)
    other.locator(".show-change").first.click()
    expect(other.locator(".timeline__diff").first).to_contain_text(RESPONSE)
    expect(other.locator(".timeline__diff").first).to_contain_text(MISCONCEPTION)
    expect(other.locator(".timeline__item").first).to_contain_text(NAME)
    assert_nothing_ran(other, watched)

    other.goto(plan_url.replace("/plan", "/print"))
    expect(other.locator("h1")).to_have_text(TITLE)
    expect(other.locator("table.flow")).to_contain_text(STEP)
    expect(other.locator("table.flow")).to_contain_text(RESPONSE)
    expect(other.locator("table.flow")).to_contain_text(MISCONCEPTION)
    expect(other.locator(".header-table")).to_contain_text(NAME)
    assert_nothing_ran(other, watched)

"""Two planners of one team edit the plan at once, each in their own browser.

Edits to different parts land and show up live on the other's page; edits to the
same part meet as a conflict that the second writer resolves by choosing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from browser.conftest import ARTIFACTS
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
    wait_live,
)
from playwright.sync_api import Locator, Page, expect
from support.live_server import LiveServer

ANA_NAME, BEN_NAME = "Ana Souza", "Ben Adeyemi"


def two_planners(server: LiveServer, new_page: Callable[..., Page]) -> tuple[Page, Page]:
    """Ana forms the team, starts a lesson with two steps and invites Ben as a planner."""
    ana, ben = new_page(), new_page()
    # Ben's page runs on a clock the test can stop, to hold his unsaved typing still.
    ben.clock.install()
    sign_up(ana, server, person(ANA_NAME))
    team_url = form_team(ana, server, "Hillside co-planners")
    define_task(ana, statement="Which bag gives the better chance of red?", topic="Probability")
    plan_url = start_lesson(ana, "Which bag?")
    add_step(ana)
    add_step(ana)
    join(ben, server, person(BEN_NAME), invite_link(ana, team_url, role="planner"))
    for page in (ana, ben):
        page.goto(plan_url)
        wait_live(page)
    return ana, ben


def note(field: Locator) -> Locator:
    return field.locator("xpath=ancestor::*[contains(@class, 'plan-field')][1]").locator(
        ".field-note"
    )


def test_different_steps_merge_and_both_see_both_live(
    server: LiveServer, new_page: Callable[..., Page]
) -> None:
    ana, ben = two_planners(server, new_page)

    save(step_field(ana, 1, "Learning activity"), "Launch: show both bags.")
    save(step_field(ben, 2, "Learning activity"), "Groups draw 20 times from each bag.")

    # Neither page reloads: the plan room pushes each change.
    expect(step_field(ben, 1, "Learning activity")).to_have_value(
        "Launch: show both bags.", timeout=LIVE_MS
    )
    expect(note(step_field(ben, 1, "Learning activity"))).to_have_text(
        f"Changed by {ANA_NAME} just now"
    )
    ARTIFACTS.mkdir(exist_ok=True)
    ben.locator("#flow").screenshot(path=str(ARTIFACTS / "changed-by-other.png"))
    expect(step_field(ana, 2, "Learning activity")).to_have_value(
        "Groups draw 20 times from each bag.", timeout=LIVE_MS
    )
    expect(ana.locator("#activity")).to_contain_text(f"{BEN_NAME} changed the learning activity")

    add_step(ben)
    expect(ana.locator("#flow-body tr.step")).to_have_count(3, timeout=LIVE_MS)
    ben.get_by_role("button", name="Move step 3 up").click()
    expect(step_field(ana, 3, "Learning activity")).to_have_value(
        "Groups draw 20 times from each bag.", timeout=LIVE_MS
    )


def collide(ana: Locator, ben: Locator, *, theirs: str, mine: str, picture: str) -> Locator:
    """Ben types, Ana saves the same part meanwhile, then Ben leaves the field.

    Ben's clock is stopped while he types, so his save cannot go first by chance:
    his edit is sent from the revision he started on, after Ana's has landed.
    """
    ben_page, ana_page = ben.page, ana.page
    ben_page.clock.pause_at(dt.datetime.now() + dt.timedelta(seconds=2))
    ben.fill(mine)
    save(ana, theirs)
    # Let Ben's page reload the plan (its timers run only when told), staying well
    # inside his typing pause: his field is marked, never overwritten.
    marked = note(ben)
    for _ in range(8):
        ben_page.clock.run_for(100)
        try:
            expect(marked).to_contain_text(
                f"{ANA_NAME} changed this while you were typing", timeout=400
            )
            break
        except AssertionError:
            continue
    expect(marked).to_contain_text(f"{ANA_NAME} changed this while you were typing")
    expect(ben).to_have_value(mine)
    ben.blur()
    conflict = ben.locator("xpath=ancestor::*[contains(@class, 'plan-field')][1]").locator(
        ".conflict"
    )
    expect(conflict).to_be_visible()
    ben_page.clock.resume()
    expect(conflict.locator(".conflict__version--mine")).to_contain_text(mine)
    expect(conflict.locator(".conflict__version--theirs")).to_contain_text(theirs)
    expect(conflict.locator(".conflict__version--theirs")).to_contain_text(f"{ANA_NAME}'s")
    ARTIFACTS.mkdir(exist_ok=True)
    area = ben.locator("xpath=ancestor::*[contains(@class, 'plan-field')][1]")
    area.screenshot(path=str(ARTIFACTS / picture))
    expect(ana_page.locator("#save-state")).to_have_text("All changes saved")
    return conflict


def test_the_same_field_conflicts_and_the_second_writer_chooses(
    server: LiveServer, new_page: Callable[..., Page]
) -> None:
    ana, ben = two_planners(server, new_page)

    goals_ana, goals_ben = plan_field(ana, "Lesson goals"), plan_field(ben, "Lesson goals")
    conflict = collide(
        goals_ana,
        goals_ben,
        theirs="Students explain with evidence.",
        mine="Students compare chances as fractions.",
        picture="conflict-plan-field.png",
    )
    expect(ben.locator("#save-state")).to_have_text("1 to choose: yours or theirs")
    conflict.get_by_role("button", name="Keep mine").click()
    expect(conflict).to_be_hidden()
    expect(ben.locator("#save-state")).to_have_text("All changes saved")
    expect(goals_ana).to_have_value("Students compare chances as fractions.", timeout=LIVE_MS)
    expect(note(goals_ana)).to_have_text(f"Changed by {BEN_NAME} just now")

    question_ana, question_ben = (
        step_field(ana, 1, "Key question"),
        step_field(ben, 1, "Key question"),
    )
    conflict = collide(
        question_ana,
        question_ben,
        theirs="Which bag would you draw from?",
        mine="Which bag is better?",
        picture="conflict-step-field.png",
    )
    conflict.get_by_role("button", name="Take theirs").click()
    expect(conflict).to_be_hidden()
    expect(question_ben).to_have_value("Which bag would you draw from?")
    expect(ben.locator("#save-state")).to_have_text("All changes saved")

    # Both pages agree with the server, after a reload too.
    for page in (ana, ben):
        page.reload()
        wait_live(page)
        expect(plan_field(page, "Lesson goals")).to_have_value(
            "Students compare chances as fractions."
        )
        expect(step_field(page, 1, "Key question")).to_have_value("Which bag would you draw from?")

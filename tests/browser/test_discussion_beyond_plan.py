"""A discussion beyond what the plan foresaw: the facilitator confirms misconceptions the
plan did not anticipate (one found in the catalogue by its words, one named there as a
new entry, each with cited notes), then invites a knowledgeable other who was not at
the lesson, who joins with the code and takes part live.

The demo server's revised plan is taught to a second class (written through the
service on the server's database, as a second process would); its discussion is
opened and moved to the patterns phase there, and the demo account, made facilitator,
does the rest in the page. The tests run in order on that one discussion. Screenshots:
test-artifacts/discussion-confirm-from-catalogue.png, discussion-guest-joined.png.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from browser.conftest import ARTIFACTS
from playwright.sync_api import Page, expect
from support.live_server import LiveServer, live_server
from support.second_cycle import teach_revised_plan

from lessonstudy.application import LessonStudy
from lessonstudy.demo import DEMO_EMAIL, DEMO_PASSWORD, load_demo
from lessonstudy.domain.account import account_id_for
from lessonstudy.domain.discussion import PHASES

ELSEWHERE = "Thinks the bag you shake longer gives more chances"
NEW = "Believes the colour drawn last time is less likely now <b>"


@dataclass(frozen=True)
class Discussing:
    server: LiveServer
    discussion_id: str
    teaching_id: str
    task_id: str
    elsewhere_id: str


@pytest.fixture(scope="module")
def discussing(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Discussing]:
    with live_server(tmp_path_factory.mktemp("confirm-server"), demo=True) as server:
        app = LessonStudy(server.database_url)
        try:
            demo = load_demo(app)  # finds the demo the server loaded; writes nothing
            mei = "mei"  # the demo's facilitator
            # An entry another team filed under no task: not in this plan, nor tagged.
            elsewhere = app.catalogue_misconception(
                actor_id=mei, team_id=demo.team_id, statement=ELSEWHERE, topic="Probability"
            )
            cycle = teach_revised_plan(app, demo)
            app.change_member_roles(
                actor_id=mei,
                team_id=demo.team_id,
                person_id=str(account_id_for(DEMO_EMAIL)),
                roles=["planner", "observer", "facilitator"],
            )
            discussion_id = str(app.open_discussion(actor_id=mei, teaching_id=cycle.teaching_id))
            for phase in PHASES[1 : PHASES.index("patterns") + 1]:
                app.move_discussion_phase(actor_id=mei, discussion_id=discussion_id, phase=phase)
        finally:
            app.close()
        yield Discussing(server, discussion_id, cycle.teaching_id, demo.task_id, str(elsewhere))


def facilitator(discussing: Discussing, new_page: Callable[..., Page]) -> Page:
    """The demo account, signed in, on the discussion's page."""
    server = discussing.server
    page = new_page(1280, 900)
    page.goto(f"{server.url}/sign-in")
    page.get_by_label("E-mail").fill(DEMO_EMAIL)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".tile__link").first).to_be_visible()
    page.goto(f"{server.url}/discussions/{discussing.discussion_id}")
    expect(page.locator("#connection")).to_have_attribute("data-state", "live")
    return page


def test_confirming_a_misconception_found_in_or_added_to_the_catalogue(
    discussing: Discussing, new_page: Callable[..., Page]
) -> None:
    server = discussing.server
    page = facilitator(discussing, new_page)
    form = page.locator("#confirm-form")
    expect(form).to_be_visible()
    which = form.locator("#confirm-which")
    expect(which.locator("option", has_text=ELSEWHERE)).to_have_count(0)  # not offered

    # Found by its words in the catalogue, then confirmed with a cited note.
    search = form.get_by_label("Not in the list? Find it in the catalogue, or name a new one")
    search.fill("shake longer")
    form.get_by_role("button", name=ELSEWHERE).click()
    expect(which).to_have_value(discussing.elsewhere_id)
    form.locator('input[name="note_ids"][value="c2-raj-02"]').check()
    form.get_by_role("button", name="Confirm with this evidence").click()
    confirmed = page.locator("#confirmed")
    expect(confirmed.locator(".ds-finding", has_text=ELSEWHERE)).to_contain_text("G4-S3")

    # Not in the catalogue at all: named as a new entry of the task, then confirmed.
    search.fill(NEW)
    search.press("Enter")  # searches at once; it does not submit the form
    form.get_by_role("button", name=f"New misconception: {NEW}").click()
    expect(form.locator("#confirm-pick-hint")).to_contain_text("Chosen:")
    form.locator('input[name="note_ids"][value="c2-raj-01"]').check()
    form.get_by_role("button", name="Confirm with this evidence").click()
    expect(confirmed.locator(".ds-finding", has_text=NEW)).to_contain_text("G3-S1")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "discussion-confirm-from-catalogue.png"), full_page=True)

    # Stored as the page shows it: both confirmed with their evidence, the new entry
    # filed under the lesson's task, its markup kept as text.
    app = LessonStudy(server.database_url)
    try:
        found = app.get_discussion(discussing.discussion_id).confirmed
        assert found[discussing.elsewhere_id]["note_ids"] == ["c2-raj-02"]
        [new_id] = [m for m in found if m != discussing.elsewhere_id]
        assert found[new_id]["note_ids"] == ["c2-raj-01"]
        entry = app.get_misconception(new_id)
        assert (entry.statement, entry.task_id) == (NEW, discussing.task_id)
    finally:
        app.close()


def test_a_knowledgeable_other_invited_after_the_lesson_joins_the_discussion(
    discussing: Discussing, new_page: Callable[..., Page]
) -> None:
    page = facilitator(discussing, new_page)
    page.get_by_role("button", name="Invite a guest").click()
    code = page.locator("#invite-code")
    expect(code).to_have_text(re.compile(r"^[A-Z2-9]{6}$"))
    join_url = f"/teachings/{discussing.teaching_id}/join"
    expect(page.locator("#invite-box")).to_contain_text(join_url)

    # Someone with no account, who was not at the lesson, on their own laptop.
    guest = new_page(1280, 900)
    guest.goto(f"{discussing.server.url}{join_url}")
    expect(guest.get_by_role("heading", name="Join the post-lesson discussion")).to_be_visible()
    guest.get_by_label("Join code").fill(code.inner_text().lower())
    guest.get_by_label("Your name").fill("Dr Rao")
    guest.get_by_label("You take part as").select_option("knowledgeable_other")
    guest.get_by_role("button", name="Join the discussion").click()
    expect(guest).to_have_url(re.compile(rf"/discussions/{discussing.discussion_id}$"))
    expect(guest.locator("#connection")).to_have_attribute("data-state", "live")
    expect(guest.locator("#phase-title")).to_have_text("Patterns")
    expect(guest.get_by_role("link", name="Record")).to_have_count(0)  # the team's
    expect(guest.get_by_role("button", name="Invite a guest")).to_be_hidden()

    # The facilitator moves on to the knowledgeable other's phase; the guest follows
    # live and comments; the room sees it with her name.
    for phase in ("Prediction", "Evaluation", "Knowledgeable other"):
        page.locator("#phase-next").click()  # one at a time, as a facilitator would
        expect(page.locator("#phase-title")).to_have_text(phase)
        expect(guest.locator("#phase-title")).to_have_text(phase)
    guest.get_by_label("Add what was said").fill("Let them compare fractions, not counts.")
    guest.get_by_role("button", name="Add", exact=True).click()
    said = page.locator("#talk .ds-said", has_text="Let them compare fractions")
    expect(said.locator(".ds-said__who")).to_have_text("Dr Rao")
    ARTIFACTS.mkdir(exist_ok=True)
    guest.screenshot(path=str(ARTIFACTS / "discussion-guest-joined.png"))

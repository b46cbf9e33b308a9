"""The facilitator confirms misconceptions the plan did not anticipate: one found in the
catalogue by its words, one named there as a new entry, each with cited notes.

The demo server's revised plan is taught to a second class (written through the
service on the server's database, as a second process would); its discussion is
opened and moved to the patterns phase there, and the demo account, made facilitator,
does the rest in the page. Screenshot: test-artifacts/discussion-confirm-from-catalogue.png.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from browser.conftest import ARTIFACTS
from playwright.sync_api import Page, expect
from support.live_server import LiveServer, live_server
from support.second_cycle import teach_revised_plan

from lessonstudy.application import LessonStudy
from lessonstudy.demo import load_demo
from lessonstudy.demo_access import DEMO_EMAIL, DEMO_PASSWORD
from lessonstudy.domain.account import account_id_for
from lessonstudy.domain.discussion import PHASES

ELSEWHERE = "Thinks the bag you shake longer gives more chances"
NEW = "Believes the colour drawn last time is less likely now <b>"


@dataclass(frozen=True)
class Discussing:
    server: LiveServer
    discussion_id: str
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
        yield Discussing(server, discussion_id, demo.task_id, str(elsewhere))


def test_confirming_a_misconception_found_in_or_added_to_the_catalogue(
    discussing: Discussing, new_page: Callable[..., Page]
) -> None:
    server = discussing.server
    page = new_page(1280, 900)
    page.goto(f"{server.url}/sign-in")
    page.get_by_label("E-mail").fill(DEMO_EMAIL)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".tile__link").first).to_be_visible()
    page.goto(f"{server.url}/discussions/{discussing.discussion_id}")
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

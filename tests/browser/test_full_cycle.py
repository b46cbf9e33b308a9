"""A full lesson-study cycle in the browser, as a team lives it.

Ines plans (instructor and facilitator), teaches while two observers record notes
(Omar, a colleague who joins with the code, and Kit, the knowledgeable other), then
the three of them run the post-lesson discussion from their own browsers: the board
is clustered live (drag and drop, tap, and the keyboard), the facilitator goes back a
phase once, two misconceptions are confirmed with evidence (one refused without),
a revision is proposed and accepted, the next cycle starts and the revised plan is
taught again. The board is photographed at projector sizes.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from browser.conftest import ARTIFACTS, Watched
from browser.flows import LIVE_MS
from browser.observing import (
    LAYOUT,
    Api,
    instructor_with_task,
    join_as_guest,
    join_code,
    record,
    teach,
    wait_connected,
)
from playwright.sync_api import Page, expect
from support.live_server import LiveServer

WRONG_WAY = "Bigger denominator means bigger"
NUMERATORS = "Compares the numerators only"
COMMON = "Common denominator: 9/12 > 8/12"
REVISED_SUPPORT = "Ask: are the pieces the same size? Draw both fractions on one bar."


@dataclass
class Planned:
    api: Api
    team_id: str
    lesson_id: str
    misconceptions: dict[str, str]  # statement -> id


def plan(page: Page, server: LiveServer) -> Planned:
    """Ines's account, team (she plans, teaches and facilitates), task, two catalogued
    misconceptions and a two-step plan with three anticipated responses."""
    api, team_id, task_id = instructor_with_task(page, server)
    found = {}
    for statement in (WRONG_WAY, NUMERATORS):
        body = {"statement": statement, "task_id": task_id}
        found[statement] = api.call(
            "POST", f"/api/v1/teams/{team_id}/misconceptions", body, 201
        )["id"]
    lesson = api.call(
        "POST",
        f"/api/v1/teams/{team_id}/lessons",
        {"task_id": task_id, "title": "Comparing fractions"},
        201,
    )
    base = f"/api/v1/lessons/{lesson['lesson_id']}/plan"
    revision = lesson["revision"]
    for name, value in (
        ("class_layout", LAYOUT),
        ("lesson_goals", "Compare fractions by the size of equal parts."),
    ):
        revision = api.call(
            "PUT", f"{base}/fields/{name}", {"value": value, "base_revision": revision}
        )["revision"]
    for activity in ("Launch: read the task together", "Groups compare the fractions"):
        api.call("POST", f"{base}/steps", {"fields": {"activity": activity}}, 201)
    steps = api.call("GET", base)["steps"]
    responses = f"{base}/steps/{steps[1]['id']}/responses"
    for statement in (WRONG_WAY, NUMERATORS):
        body = {"kind": "misconception", "text": statement, "misconception_id": found[statement]}
        api.call("POST", responses, body, 201)
    api.call("POST", responses, {"kind": "correct_strategy", "text": COMMON}, 201)
    return Planned(api, team_id, lesson["lesson_id"], found)


def tagged(page: Page, tag: str, text: str, seat: str) -> None:
    page.locator("#tags").get_by_role("button", name=re.compile(re.escape(tag))).click()
    record(page, text, seat=seat)


def board_card(page: Page, words: str) -> Any:
    return page.locator(".ds-card", has_text=words)


def cluster(page: Page, name: str) -> Any:
    return page.locator(".ds-cluster", has=page.locator(".ds-cluster__name", has_text=name))


def drag(page: Page, card: Any, target: Any) -> None:
    """An HTML5 drag and drop, event by event with one DataTransfer, as the browser fires
    it. (Playwright's mouse drag_to starts no HTML5 drag in Debian's Chromium here.)"""
    data = page.evaluate_handle("() => new DataTransfer()")
    card.dispatch_event("dragstart", {"dataTransfer": data})
    target.dispatch_event("dragenter", {"dataTransfer": data})
    target.dispatch_event("dragover", {"dataTransfer": data})
    target.dispatch_event("drop", {"dataTransfer": data})
    card.dispatch_event("dragend", {"dataTransfer": data})


def on_phase(pages: list[Page], title: str) -> None:
    for page in pages:
        expect(page.locator("#phase-title")).to_have_text(title, timeout=LIVE_MS)


def cite_all(page: Page, form: str, group: str) -> None:
    page.locator(f"#{form} .ds-cite__group", has_text=group).get_by_role(
        "button", name="Cite all"
    ).click()


def confirmed_in_catalogue(api: Api, misconception_id: str) -> int:
    entry = api.call("GET", f"/api/v1/catalogue/misconceptions/{misconception_id}")
    confirmed: int = entry["numbers"]["confirmed"]
    return confirmed


@pytest.mark.timeout(420)
def test_a_full_cycle_with_a_live_discussion(
    new_page: Callable[..., Page], server: LiveServer, watched: Watched
) -> None:
    ines = new_page(1280, 900)
    planned = plan(ines, server)
    api = planned.api

    # --- teach, with two observers recording notes ------------------------------------
    teaching_id = teach(ines, server, planned.lesson_id, "5B")
    code = join_code(ines)
    omar = new_page(1280, 900)
    join_as_guest(omar, server, teaching_id, code, "Omar")
    kit = new_page(1280, 900)
    kit.goto(server.url + "/")
    kit_api = Api(kit, server)
    guest = {"join_code": code, "name": "Kit", "roles": ["knowledgeable_other", "observer"]}
    kit_api.call("POST", f"/api/v1/teachings/{teaching_id}/guests", guest, 201)
    kit.goto(f"{server.url}/teachings/{teaching_id}/observe")
    wait_connected(kit)
    tagged(omar, WRONG_WAY, "2/3 is bigger because 3 is less than 4", "G1-S2")
    tagged(omar, WRONG_WAY, "Thirds are bigger pieces so 2/3 wins", "G1-S3")
    tagged(kit, NUMERATORS, "3 is more than 2 so 3/4 is bigger", "G2-S1")
    kit.locator("#tags").get_by_role("button", name="Unanticipated").click()
    record(kit, "Draws 12 squares, shades 9 and 8", seat="G2-S2")
    expect(ines.locator("#status")).to_have_text("In progress")
    for page in (omar, kit):
        expect(page.locator("#waiting")).to_have_attribute("data-count", "0", timeout=LIVE_MS)
    ines.get_by_role("button", name="End the lesson").click()
    expect(ines.locator("#status")).to_have_text("Ended", timeout=LIVE_MS)

    # --- the discussion: Ines opens it; Omar and Kit follow the link -----------------
    ines.get_by_role("link", name="Post-lesson discussion").click()
    ines.get_by_role("button", name="Open the discussion").click()
    expect(ines).to_have_url(re.compile(r"/discussions/[0-9a-f-]+$"))
    discussion_id = ines.url.rsplit("/", 1)[1]
    for page in (omar, kit):
        page.goto(f"{server.url}/teachings/{teaching_id}/discussion")
        expect(page).to_have_url(re.compile(f"/discussions/{discussion_id}$"))
    everyone = [ines, omar, kit]
    for page in everyone:
        wait_connected(page)
    on_phase(everyone, "Instructor's reflection")

    # The instructor speaks first; the others see it, and cannot speak before her.
    expect(omar.locator("#talk-form")).to_be_hidden()
    ines.get_by_label("Add what was said").fill(
        "I expected more groups to find a common denominator."
    )
    ines.get_by_role("button", name="Add", exact=True).click()
    for page in (omar, kit):
        expect(page.locator("#talk")).to_contain_text("common denominator", timeout=LIVE_MS)
        expect(page.locator("#talk")).to_contain_text("Ines")
    ines.get_by_role("button", name=re.compile("^Next: Planning team")).click()
    on_phase(everyone, "Planning team")
    ines.get_by_role("button", name=re.compile("^Next: Step by step")).click()
    on_phase(everyone, "Observers' data, step by step")

    # Step by step: anticipated against observed, worked out the same for a guest.
    for page in (ines, kit):
        page.get_by_role("button", name="Next step").click()
        expect(page.locator("#step-where")).to_have_text("Step 2 of 2")
        seen = page.locator(".ds-anticipated__item", has_text=WRONG_WAY)
        expect(seen).to_contain_text("✓ Occurred")
        expect(seen).to_contain_text("2 notes")
        expect(page.locator(".ds-anticipated__item", has_text=COMMON)).to_contain_text(
            "Did not occur"
        )
        expect(page.locator("#step-view")).to_contain_text("Draws 12 squares")

    ARTIFACTS.mkdir(exist_ok=True)
    ines.set_viewport_size({"width": 1920, "height": 1080})
    ines.screenshot(path=str(ARTIFACTS / "discussion-steps-1920x1080.png"))
    ines.set_viewport_size({"width": 1280, "height": 900})

    # --- the board, clustered live by all three ----------------------------------------
    board_card(omar, "3 is less than 4").click()
    omar.get_by_label("New pattern from the chosen note").fill(
        "Bigger denominator, bigger fraction"
    )
    omar.get_by_role("button", name="Make pattern").click()
    for page in everyone:
        expect(cluster(page, "Bigger denominator")).to_contain_text(
            "3 is less than 4", timeout=LIVE_MS
        )
    # Kit drags a card into Omar's pattern.
    drag(kit, board_card(kit, "Thirds are bigger pieces"), cluster(kit, "Bigger denominator"))
    for page in everyone:
        expect(cluster(page, "Bigger denominator")).to_contain_text(
            "Thirds are bigger", timeout=LIVE_MS
        )
    # Ines, without a mouse: focus a card, Enter picks it up, then a new pattern.
    board_card(ines, "3 is more than 2").focus()
    ines.keyboard.press("Enter")
    expect(board_card(ines, "3 is more than 2")).to_have_attribute("aria-pressed", "true")
    ines.get_by_label("New pattern from the chosen note").fill("Numerators only")
    ines.keyboard.press("Enter")
    kit_card = board_card(kit, "Draws 12 squares")
    kit_card.click()
    kit.get_by_label("New pattern from the chosen note").fill("Common units")
    kit.get_by_role("button", name="Make pattern").click()
    # Tap to move: Omar puts Kit's card into "Numerators only", then back.
    board_card(omar, "Draws 12 squares").click()
    cluster(omar, "Numerators only").get_by_role("button", name="Put here").click()
    expect(cluster(ines, "Numerators only")).to_contain_text("Draws 12 squares", timeout=LIVE_MS)
    board_card(omar, "Draws 12 squares").click()
    cluster(omar, "Common units").get_by_role("button", name="Put here").click()
    for page in everyone:
        expect(cluster(page, "Numerators only")).to_contain_text(
            "3 is more than 2", timeout=LIVE_MS
        )
        expect(cluster(page, "Common units")).to_contain_text("Draws 12 squares", timeout=LIVE_MS)
        expect(page.locator("#wall-cards")).to_contain_text("Every note is in a pattern")

    # Two rename one pattern: Kit's typing survives others' moves; Omar, who began from
    # the old name, is told and sees Kit's name.
    cluster(kit, "Common units").get_by_role("button", name="Rename").click()
    kit.get_by_label("New name for Common units").fill("Same-size parts")
    cluster(omar, "Common units").get_by_role("button", name="Rename").click()
    board_card(ines, "Draws 12 squares").click()  # Ines picks up a card and puts it back
    cluster(ines, "Numerators only").get_by_role("button", name="Put here").click()
    expect(cluster(kit, "Numerators only")).to_contain_text("Draws 12", timeout=LIVE_MS)
    expect(kit.get_by_label("New name for Common units")).to_have_value("Same-size parts")
    kit.get_by_role("button", name="Save name").click()
    omar.get_by_label("New name for Common units").fill("Equal parts")
    omar.get_by_role("button", name="Save name").click()
    expect(omar.locator("#error")).to_contain_text("renamed this pattern to 'Same-size parts'")
    for page in everyone:
        expect(cluster(page, "Same-size parts")).to_have_count(1, timeout=LIVE_MS)
    # Live: how long until the other two see a card Ines moves (printed, not asserted).
    board_card(ines, "Draws 12 squares").click()
    started = time.monotonic()
    cluster(ines, "Same-size parts").get_by_role("button", name="Put here").click()
    for page in (omar, kit):
        expect(cluster(page, "Same-size parts")).to_contain_text("Draws 12", timeout=LIVE_MS)
    print(f"\nboard move seen by both others after {time.monotonic() - started:.3f} s")

    # --- on to patterns; back once (recorded and shown); on again -----------------------
    ines.get_by_role("button", name=re.compile("^Next: Patterns")).click()
    on_phase(everyone, "Patterns")
    ines.locator("#phases").get_by_role("button", name="3. Step by step").click()
    on_phase(everyone, "Observers' data, step by step")
    for page in everyone:
        expect(page.locator("#phase-history")).to_contain_text("Went back to Observers' data")
    ines.get_by_role("button", name=re.compile("^Next: Patterns")).click()
    on_phase(everyone, "Patterns")

    # A misconception is confirmed only with evidence: refused, then cited and confirmed.
    ines.get_by_label("Misconception", exact=True).select_option(label=WRONG_WAY)
    ines.get_by_role("button", name="Confirm with this evidence").click()
    expect(ines.locator("#error")).to_have_text("Not confirmed: cite at least one note as evidence")
    cite_all(ines, "confirm-form", "Bigger denominator")
    ines.get_by_label("Teacher responses that helped (optional)").fill("Same-size bars")
    ines.get_by_role("button", name="Confirm with this evidence").click()
    for page in everyone:
        found = page.locator("#confirmed .ds-finding", has_text=WRONG_WAY)
        expect(found).to_contain_text("Evidence: 2 notes", timeout=LIVE_MS)
        expect(found).to_contain_text("Thirds are bigger pieces")
    started = time.monotonic()
    while confirmed_in_catalogue(api, planned.misconceptions[WRONG_WAY]) != 1:
        assert time.monotonic() - started < 1.0, "the catalogue did not count it within a second"
        time.sleep(0.05)

    # The board on a projector: look at these.
    ARTIFACTS.mkdir(exist_ok=True)
    for width, height in ((1920, 1080), (1280, 720)):
        ines.set_viewport_size({"width": width, "height": height})
        ines.evaluate("window.scrollTo(0, 0)")  # what the room sees: phase, question, board
        ines.screenshot(path=str(ARTIFACTS / f"discussion-board-{width}x{height}.png"))
    ines.set_viewport_size({"width": 1280, "height": 900})

    # --- prediction, evaluation, the knowledgeable other ---------------------------------
    ines.get_by_role("button", name=re.compile("^Next: Prediction")).click()
    on_phase(everyone, "Prediction")
    expect(omar.locator("#phase-prompt")).to_have_text(
        "If a student did exactly what this task asked, what would they know how to do?"
    )
    omar.get_by_label("A claim about what students think or can do").fill(
        "They compare the numbers they can see, not the size of the parts."
    )
    cite_all(omar, "claim-form", "Numerators only")
    omar.get_by_role("button", name="Add the claim").click()
    for page in everyone:
        claim = page.locator("#claims .ds-finding", has_text="size of the parts")
        expect(claim).to_contain_text("3 is more than 2", timeout=LIVE_MS)
    # Kit's Wi-Fi drops while the discussion moves on; back online, the board catches up.
    kit.context.set_offline(True)
    expect(kit.locator("#connection")).to_have_attribute("data-state", "offline")
    ines.get_by_role("button", name=re.compile("^Next: Evaluation")).click()
    on_phase([ines, omar], "Evaluation")
    expect(kit.locator("#phase-title")).to_have_text("Prediction")
    kit.context.set_offline(False)
    wait_connected(kit)
    on_phase(everyone, "Evaluation")
    expect(ines.locator("#phase-prompt")).to_contain_text(
        "Compare fractions by the size of equal parts"
    )
    ines.get_by_label("Misconception", exact=True).select_option(label=NUMERATORS)
    cite_all(ines, "confirm-form", "Numerators only")
    ines.get_by_role("button", name="Confirm with this evidence").click()
    for page in everyone:
        expect(page.locator("#confirmed .ds-finding")).to_have_count(2, timeout=LIVE_MS)
    ines.get_by_role("button", name=re.compile("^Next: Knowledgeable other")).click()
    on_phase(everyone, "Knowledgeable other")
    said = 'Equal parts first; the numbers come after. <img src=x onerror="alert(1)">'
    kit.get_by_label("Add what was said").fill(said)
    kit.get_by_role("button", name="Add", exact=True).click()
    for page in everyone:
        expect(page.locator("#talk")).to_contain_text(said, timeout=LIVE_MS)  # as text
        expect(page.locator("#talk img")).to_have_count(0)

    # --- the next level of work: a revision proposed with evidence, and accepted --------
    ines.get_by_role("button", name=re.compile("^Next: Next level of work")).click()
    on_phase(everyone, "Next level of work")
    omar.get_by_label("What to change, and why").fill("Same-size wholes before comparing")
    omar.get_by_label("Plan step").select_option(label="Step 2: Groups compare the fractions")
    omar.get_by_label("Change", exact=True).select_option(label="Teacher response / support")
    omar.get_by_label("New text").fill(REVISED_SUPPORT)
    cite_all(omar, "revision-form", "Bigger denominator")
    omar.get_by_role("button", name="Propose the revision").click()
    for page in everyone:
        expect(page.locator("#revisions .ds-finding")).to_contain_text("Proposed", timeout=LIVE_MS)
    ines.locator("#revisions").get_by_role("button", name="Accept").click()
    for page in everyone:
        revision = page.locator("#revisions .ds-finding")
        expect(revision).to_contain_text("Accepted", timeout=LIVE_MS)
        expect(revision).to_contain_text("Thirds are bigger pieces")
    ines.set_viewport_size({"width": 1920, "height": 1080})
    ines.screenshot(path=str(ARTIFACTS / "discussion-findings-1920x1080.png"), full_page=True)
    ines.set_viewport_size({"width": 1280, "height": 900})
    # Nothing on the board scores or rates the teacher.
    for page in everyone:
        assert not re.search(r"\b(score|rating|rated)\b", page.locator("main").inner_text(), re.I)
    assert watched.dialogs == []

    # --- the next cycle: the revised plan, taught again --------------------------------
    start_next_cycle(ines, server, discussion_id)
    revised = api.call("GET", f"/api/v1/lessons/{planned.lesson_id}/plan")
    assert revised["plan_version"] == 2
    assert revised["steps"][1]["teacher_support"] == REVISED_SUPPORT
    second = teach(ines, server, planned.lesson_id, "5C")
    ines.goto(f"{server.url}/teachings/{second}/observe")
    wait_connected(ines)
    tagged(ines, "Common denominator", "Draws both on one bar: 9/12 and 8/12", "G1-S1")
    expect(ines.locator("#waiting")).to_have_attribute("data-count", "0", timeout=LIVE_MS)
    api.call("POST", f"/api/v1/teachings/{second}/end")
    see_cycle_comparison(ines, server, planned.lesson_id)


def start_next_cycle(page: Page, server: LiveServer, discussion_id: str) -> None:
    """From the discussion's record: the accepted revisions become plan version 2."""
    page.goto(f"{server.url}/discussions/{discussion_id}/record")
    page.get_by_role("button", name="Start the next cycle").click()
    expect(page).to_have_url(re.compile(r"/lessons/[0-9a-f-]+/history"))  # where it lands
    page.goto(f"{server.url}/discussions/{discussion_id}/record")
    expect(page.locator("body")).to_contain_text("Plan version 2")


def see_cycle_comparison(page: Page, server: LiveServer, lesson_id: str) -> None:
    page.goto(f"{server.url}/lessons/{lesson_id}/cycles")
    expect(page.locator("main")).to_contain_text(WRONG_WAY)
    expect(page.locator("main")).to_contain_text(re.compile("cycle 2|version 2", re.I))

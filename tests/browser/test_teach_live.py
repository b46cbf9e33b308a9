"""The instructor's page, live: the step and mode, observers in, notes per step.

The instructor runs the lesson from /teachings/<id>/teach while observers join with
the code and write. Everything on the page after it loaded comes through the
teaching's room: the test marks the page and checks the mark is still there at the
end, so nothing was learnt by reloading.
"""

from __future__ import annotations

from collections.abc import Callable

from browser.conftest import ARTIFACTS, Watched
from browser.flows import LIVE_MS
from browser.observing import join_as_guest, join_code, prepared_lesson, record
from playwright.sync_api import Page, expect
from support.live_server import LiveServer


def step_count(page: Page, step_id: str) -> str:
    return page.locator(f'[data-step-count="{step_id}"]').inner_text()


def test_the_teach_page_shows_the_lesson_and_its_observers_live(
    new_page: Callable[..., Page], server: LiveServer, watched: Watched
) -> None:
    runner = new_page(1280, 900)
    lesson = prepared_lesson(runner, server)  # started, on step 2, from this page
    first, second = (step["id"] for step in lesson.steps)
    expect(runner.locator("#connection")).to_have_attribute("data-state", "live", timeout=LIVE_MS)
    runner.evaluate("window.sameLoad = true")
    expect(runner.locator("#now-step")).to_have_text("2. Groups compare the fractions")
    expect(runner.locator("#now-mode")).to_have_text("Whole class")
    expect(runner.locator("#observers-in")).to_have_text("0")
    expect(runner.locator("#observer-names")).to_have_text("No observers yet.")

    code = join_code(runner)
    kit = new_page(390, 844)
    join_as_guest(kit, server, lesson.teaching_id, code, "Kit")
    expect(runner.locator("#observers-in")).to_have_text("1", timeout=LIVE_MS)
    expect(runner.locator("#observer-names")).to_have_text("Observing: Kit")
    lee = new_page(820, 1180)
    join_as_guest(lee, server, lesson.teaching_id, code, "Lee")
    expect(runner.locator("#observers-in")).to_have_text("2", timeout=LIVE_MS)
    expect(runner.locator("#observer-names")).to_have_text("Observing: Kit, Lee")

    # Notes count under the step they belong to, as they are written.
    record(kit, "S2: 2/3 is bigger because 3 is smaller than 4")
    record(lee, "G1-S1 draws two bars", seat="G1-S1")
    expect(runner.locator(f'[data-step-count="{second}"]')).to_have_text("2", timeout=LIVE_MS)
    assert step_count(runner, first) == "0"
    expect(runner.locator("#notes-total")).to_have_text("2")

    # An observer who closes the page is no longer in.
    lee.close()
    expect(runner.locator("#observers-in")).to_have_text("1", timeout=LIVE_MS)
    expect(runner.locator("#observer-names")).to_have_text("Observing: Kit")

    # A change made elsewhere (a facilitator's device) shows here through the room.
    lesson.api.call("PUT", f"/api/v1/teachings/{lesson.teaching_id}/mode", {"mode": "individual"})
    expect(runner.locator("#now-mode")).to_have_text("Individual", timeout=LIVE_MS)
    expect(runner.get_by_role("button", name="Individual")).to_have_attribute(
        "aria-pressed", "true"
    )

    # Moving the step here moves the observers' preselected step.
    runner.get_by_role("button", name="Launch: read the task together").click()
    expect(runner.locator("#now-step")).to_have_text("1. Launch: read the task together")
    expect(kit.locator("#step")).to_have_value(first, timeout=LIVE_MS)
    record(kit, "Everyone reads the task aloud", seat="G2")
    expect(runner.locator(f'[data-step-count="{first}"]')).to_have_text("1", timeout=LIVE_MS)
    runner.get_by_role("button", name="Pairs").click()
    expect(runner.locator("#now-mode")).to_have_text("Pairs")

    ARTIFACTS.mkdir(exist_ok=True)
    runner.screenshot(path=str(ARTIFACTS / "teach-live-1280x900.png"), full_page=True)
    runner.set_viewport_size({"width": 820, "height": 1180})
    runner.screenshot(path=str(ARTIFACTS / "teach-live-tablet-820x1180.png"), full_page=True)

    runner.get_by_role("button", name="End the lesson").click()
    expect(runner.locator("#status")).to_have_text("Ended")
    expect(runner.get_by_role("button", name="End the lesson")).to_be_hidden()
    expect(runner.get_by_role("button", name="Pairs")).to_be_disabled()
    expect(kit.locator("#lesson-line")).to_contain_text("ended", timeout=LIVE_MS)
    assert runner.evaluate("window.sameLoad") is True

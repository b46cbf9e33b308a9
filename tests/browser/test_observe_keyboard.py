"""The observe page by keyboard alone.

Recording a note with a tag takes fewer than 10 key presses after the page loads; each
group of buttons (the seating chart, the tags, the kinds) is one Tab stop with the arrow
keys inside it; whatever has focus is never under the fixed note dock or the sticky
connection bar, and always shows a focus ring.

Every key press is counted except the characters of the note's own text: those are the
note, not the way to it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from uuid import uuid4

import pytest
from browser.conftest import Watched
from browser.flows import LIVE_MS
from browser.observing import join_as_guest, join_code, prepared_lesson
from playwright.sync_api import Page, expect
from support.live_server import LiveServer

# What the focused element is, whether anything fixed or sticky covers it (its box and
# its focus ring against the dock's and the bar's), and whether its focus ring shows.
# A control hidden inside its label (the photo's file input) shows its ring on the label.
FOCUS_STATE = """() => {
  const el = document.activeElement;
  const dock = document.querySelector('.ob-dock');
  const bar = document.querySelector('.ob-bar');
  const own = getComputedStyle(el);
  const clipped = own.clip !== 'auto' || own.clipPath !== 'none';
  const shown = clipped && el.closest('label') ? el.closest('label') : el;
  const style = getComputedStyle(shown);
  const ring = style.outlineStyle !== 'none' ? parseFloat(style.outlineWidth) : 0;
  const reach = ring + Math.max(0, parseFloat(style.outlineOffset) || 0);
  const box = shown.getBoundingClientRect();
  const dockTop = dock.getBoundingClientRect().top;
  const barBottom = bar.getBoundingClientRect().bottom;
  const inFixed = dock.contains(el) || bar.contains(el);
  return {
    name: (el.getAttribute('aria-label') || el.textContent || el.id || el.tagName).trim(),
    id: el.id,
    tag: el.tagName,
    ring,
    covered: !inFixed && (box.bottom + reach > dockTop || box.top - reach < barBottom),
    box: [box.top, box.bottom],
    dock: dockTop,
    bar: barBottom,
    onPage: el !== document.body,
  };
}"""


class Keyboard:
    """Presses keys on a page, counts them, and checks the focus after each press."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.presses = 0

    def focus(self) -> dict[str, Any]:
        state: dict[str, Any] = self.page.evaluate(FOCUS_STATE)
        return state

    def check(self) -> dict[str, Any]:
        state = self.focus()
        assert state["onPage"], "focus fell back to the page"
        assert not state["covered"], f"the focused element is covered: {state}"
        assert state["ring"] >= 2, f"no visible focus ring: {state}"
        return state

    def press(self, key: str) -> dict[str, Any]:
        self.presses += 1
        self.page.keyboard.press(key)
        return self.check()


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1024, 768)])
def test_a_tagged_note_by_keyboard_alone_in_fewer_than_ten_presses(
    new_page: Callable[..., Page], server: LiveServer, watched: Watched, width: int, height: int
) -> None:
    runner = new_page()
    lesson = prepared_lesson(runner, server)  # at its second step, which has two tags
    code = join_code(runner)
    kit = new_page(width, height)
    join_as_guest(kit, server, lesson.teaching_id, code, "Kit")  # the page has loaded
    keys = Keyboard(kit)

    # Ready to type: the tags are two Shift+Tabs away (the kinds between are one stop).
    assert keys.check()["id"] == "text"
    assert keys.press("Shift+Tab")["name"] == "Said"
    assert "Bigger denominator means bigger" in keys.press("Shift+Tab")["name"]
    keys.press("Space")
    tag = kit.locator("#tags").get_by_role("button", name=re.compile("Bigger denominator"))
    expect(tag).to_have_attribute("aria-pressed", "true")
    keys.press("Tab")
    assert keys.press("Tab")["id"] == "text"
    text = f"S2: 2/3 is bigger, 3 is less than 4 {uuid4().hex[:6]}"
    kit.keyboard.type(text)  # the note itself: not counted
    keys.press("Enter")
    assert keys.presses == 6 < 10

    expect(kit.locator("#waiting")).to_have_attribute("data-count", "0", timeout=LIVE_MS)
    item = kit.locator("#feed .ob-note", has_text=text)
    expect(item.locator(".ob-note__tags")).to_have_text("Bigger denominator means bigger")
    stored = lesson.api.call("GET", f"/api/v1/teachings/{lesson.teaching_id}/notes")
    note = next(c["note"] for c in stored["notes_since"] if c["note"]["text"] == text)
    second = lesson.steps[1]
    misconception = next(r for r in second["responses"] if r["kind"] == "misconception")
    assert (note["step_id"], note["response_ids"]) == (second["id"], [misconception["id"]])


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1920, 1080)])
def test_arrow_keys_within_the_chart_and_tags_and_focus_never_hidden(
    new_page: Callable[..., Page], server: LiveServer, watched: Watched, width: int, height: int
) -> None:
    runner = new_page()
    lesson = prepared_lesson(runner, server)
    code = join_code(runner)
    kit = new_page(width, height)
    join_as_guest(kit, server, lesson.teaching_id, code, "Kit")
    keys = Keyboard(kit)

    # Back from the text: the kinds, the tags, the chart, each one stop.
    keys.press("Shift+Tab")
    assert "Bigger denominator" in keys.press("Shift+Tab")["name"]
    assert keys.press("ArrowRight")["name"].startswith("✓ Common denominator")
    assert keys.press("ArrowRight")["name"] == "Unanticipated"
    assert keys.press("Home")["name"].startswith("⚠ Bigger denominator")
    assert keys.press("Shift+Tab")["name"] == "G1"  # the chart's first cell
    assert keys.press("ArrowRight")["name"] == "G1-S1"
    assert keys.press("ArrowDown")["name"] == "G2-S1"
    assert keys.press("ArrowDown")["name"] == "G3-S1"
    assert keys.press("End")["name"] == "G3-S4"
    keys.press("Enter")
    expect(kit.locator("#filing")).to_have_text(re.compile("G3-S4"))
    # Leaving and coming back lands on the same seat; the Tab order is one stop each.
    assert keys.press("Tab")["name"].startswith("⚠ Bigger denominator")
    assert keys.press("Shift+Tab")["name"] == "G3-S4"
    assert keys.press("Shift+Tab")["name"] in ("Teacher", "Whole class")
    assert keys.press("End")["name"] == "My focus"
    assert keys.press("Shift+Tab")["id"] == "step"

    # Through the whole page and back, nothing focused is ever hidden: forward from the
    # top to the feed's notes below the dock, then backward to the step.
    kit.get_by_label(re.compile("What you saw or heard")).fill("Counts on fingers")
    kit.get_by_role("button", name="Send note").click()
    expect(kit.locator("#feed .ob-note")).to_have_count(1, timeout=LIVE_MS)
    kit.locator("#step").focus()
    seen: list[str] = []
    for _ in range(14):
        seen.append(keys.press("Tab")["name"])
        if seen[-1] == "Retract":
            break
    assert "Amend" in seen and seen[-1] == "Retract", seen
    for _ in range(14):
        if keys.press("Shift+Tab")["id"] == "step":
            break
    assert keys.focus()["id"] == "step"

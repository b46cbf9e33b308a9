"""The demo plan in the editor and on paper, saved as screenshots to look at.

The pictures land in test-artifacts/ (not kept in git): plan-editor*.png at laptop
and tablet widths, print*.png for the print view on screen and as printed, and
plan.pdf. The assertions check what a picture cannot: the printed page is A4
landscape, and the whole lesson flow is there at both widths.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from browser.conftest import ARTIFACTS
from browser.flows import wait_live
from playwright.sync_api import Page, expect
from support.live_server import LiveServer, live_server

from lessonstudy.demo import DEMO_EMAIL, DEMO_PASSWORD

DEMO_STEPS = 6


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("demo-server"), demo=True) as running:
        yield running


def sign_in_to_demo(page: Page, server: LiveServer) -> str:
    page.goto(f"{server.url}/sign-in")
    page.get_by_label("E-mail").fill(DEMO_EMAIL)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.locator(".tile__link").first.click()
    page.locator(".lesson-card__title").first.click()
    wait_live(page)
    return page.url


def test_the_plan_editor_and_the_print_view(
    demo_server: LiveServer, new_page: Callable[..., Page]
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page = new_page(1280, 900)
    plan_url = sign_in_to_demo(page, demo_server)
    expect(page.locator("#flow-body tr.step")).to_have_count(DEMO_STEPS)
    page.screenshot(path=str(ARTIFACTS / "plan-editor.png"), full_page=True)
    page.locator("#s-flow").evaluate("heading => heading.closest('section').scrollIntoView()")
    page.screenshot(path=str(ARTIFACTS / "plan-editor-flow.png"))

    tablet = new_page(820, 1180)
    sign_in_to_demo(tablet, demo_server)
    expect(tablet.locator("#flow-body tr.step")).to_have_count(DEMO_STEPS)
    # On a tablet each step is a card, so every cell's label must show.
    expect(
        tablet.locator("#flow-body tr.step").first.get_by_text("Points to notice")
    ).to_be_visible()
    tablet.locator("#s-flow").evaluate("heading => heading.closest('section').scrollIntoView()")
    tablet.screenshot(path=str(ARTIFACTS / "plan-editor-tablet.png"))

    page.goto(plan_url.replace("/plan", "/print"))
    expect(page.locator("table.flow tbody tr")).to_have_count(DEMO_STEPS)
    page.screenshot(path=str(ARTIFACTS / "print.png"), full_page=True)
    page.emulate_media(media="print")
    page.screenshot(path=str(ARTIFACTS / "print-as-printed.png"), full_page=True)
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    (ARTIFACTS / "plan.pdf").write_bytes(pdf)
    width, height = first_page_size(pdf)
    assert (round(width), round(height)) == (842, 595), "the plan prints on A4 landscape"

    for name in ("plan-editor.png", "plan-editor-flow.png", "plan-editor-tablet.png", "print.png"):
        assert (ARTIFACTS / name).stat().st_size > 10_000


def first_page_size(pdf: bytes) -> tuple[float, float]:
    box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    assert box is not None, "the PDF names its page size"
    return float(box.group(1)), float(box.group(2))


def demo_teaching_id(page: Page, server: LiveServer, plan_url: str) -> str:
    lesson_id = plan_url.rstrip("/").rsplit("/", 2)[-2]
    answer = page.request.get(f"{server.url}/api/v1/lessons/{lesson_id}/plan")
    assert answer.ok, answer.text()
    teaching_ids: list[str] = answer.json()["teaching_ids"]
    return teaching_ids[0]


def assert_one_thumb(page: Page) -> None:
    """Send is big and at the bottom; the state bar stays on screen; nothing runs off."""
    height = page.viewport_size["height"] if page.viewport_size else 0
    width = page.viewport_size["width"] if page.viewport_size else 0
    send = page.get_by_role("button", name="Send note").bounding_box()
    assert send is not None
    assert send["height"] >= 48 and send["width"] >= 88, send
    assert send["y"] + send["height"] <= height and send["y"] >= height * 0.75, send
    page.locator("#feed").evaluate("feed => feed.lastElementChild?.scrollIntoView()")
    for state in ("#connection", "#waiting"):
        box = page.locator(state).bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height * 0.2, box
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for chip in page.locator("#seats button, #kinds button, #tags button").all():
        box = chip.bounding_box()
        assert box is not None and box["height"] >= 44, (chip.inner_text(), box)
    page.evaluate("window.scrollTo(0, 0)")


def test_the_observer_page_with_one_thumb_on_a_phone_and_a_tablet(
    demo_server: LiveServer, new_page: Callable[..., Page]
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for name, width, height in (("phone", 390, 844), ("tablet", 820, 1180)):
        page = new_page(width, height)
        plan_url = sign_in_to_demo(page, demo_server)
        teaching_id = demo_teaching_id(page, demo_server, plan_url)
        page.goto(f"{demo_server.url}/teachings/{teaching_id}/observe")
        expect(page.locator("#connection")).to_have_attribute("data-state", "live")
        expect(page.locator("#feed .ob-note").first).to_be_visible()
        expect(page.locator("#seats button").first).to_be_visible()
        assert_one_thumb(page)
        page.screenshot(path=str(ARTIFACTS / f"observe-demo-{name}-{width}x{height}.png"))
        if name == "phone":
            page.get_by_role("button", name="My focus").click()
            page.locator("#seats").get_by_role("button", name="G1-S2", exact=True).click()
            page.locator("#seats").get_by_role("button", name="G3", exact=True).click()
            page.get_by_role("button", name="Done choosing focus").click()
        # The same person on the tablet finds the focus chosen on the phone.
        expect(page.locator("#focus-row button")).to_have_text(["G1-S2", "G3"])
        page.locator("#focus-row button").first.click()
        page.get_by_label("What you saw or heard").fill("Counts the tiles in pairs")
        page.screenshot(path=str(ARTIFACTS / f"observe-demo-{name}-focus-{width}x{height}.png"))
        page.locator("#feed").evaluate("feed => feed.scrollIntoView()")
        page.screenshot(path=str(ARTIFACTS / f"observe-demo-{name}-feed-{width}x{height}.png"))
        page.screenshot(
            path=str(ARTIFACTS / f"observe-demo-{name}-full-{width}x{height}.png"), full_page=True
        )

"""Every main page fits a phone: at 390 px wide nothing scrolls sideways, and the
site's navigation (home, catalogue, sign out) is on screen and can be used.

The pages are the demo's (a team with a taught and discussed lesson), signed in as
its lead. Screenshots of the header on a phone land in test-artifacts/ (layout-*.png).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from browser.conftest import ARTIFACTS
from playwright.sync_api import Page, expect
from support.live_server import LiveServer, live_server

from lessonstudy.demo import DEMO_EMAIL, DEMO_PASSWORD

PHONE = (390, 844)  # an iPhone 12-15's CSS viewport


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("layout-demo"), demo=True) as running:
        yield running


def sign_in(page: Page, server: LiveServer) -> None:
    page.goto(f"{server.url}/sign-in")
    page.get_by_label("E-mail").fill(DEMO_EMAIL)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def overflow(page: Page) -> dict[str, object]:
    """How far the page is wider than the screen, and which elements stick out."""
    found: dict[str, object] = page.evaluate(
        """() => {
            const width = window.innerWidth;
            const wider = [...document.querySelectorAll("body *")]
                .filter((el) => el.getBoundingClientRect().right > width + 1)
                .filter((el) => !el.closest(".visually-hidden, .skip-link"))
                .slice(0, 5)
                .map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
            return {scroll: document.scrollingElement.scrollWidth, width, wider};
        }"""
    )
    return found


def assert_fits_and_navigates(page: Page, name: str) -> None:
    expect(page.locator("main")).to_be_visible()
    measured = overflow(page)
    assert measured["scroll"] <= measured["width"], f"{name} scrolls sideways: {measured}"  # type: ignore[operator]
    header = page.locator(".site-header")
    for link in (
        header.get_by_role("link", name="lessonstudy"),
        header.locator("a.nav-catalogue"),
        header.get_by_role("button", name="Sign out"),
    ):
        expect(link).to_be_visible()
        box = link.bounding_box()
        assert box is not None and box["x"] >= 0, f"{name}: {link} is off screen: {box}"
        assert box["x"] + box["width"] <= PHONE[0], f"{name}: {link} is off screen: {box}"


def demo_paths(page: Page, server: LiveServer) -> dict[str, str]:
    """The demo's pages, found by following the links a teacher would."""
    page.goto(f"{server.url}/")
    paths = {"my teams": page.url}
    page.locator("main a[href^='/teams/']").first.click()
    paths["team dashboard"] = page.url
    card = page.locator(".lesson-card").first
    paths["plan editor"] = card.get_by_role("link", name="Plan").get_attribute("href") or ""
    paths["history"] = card.get_by_role("link", name="History").get_attribute("href") or ""
    paths["discussion"] = card.get_by_role("link", name="Discussion").get_attribute("href") or ""
    paths["task editor"] = page.locator(".task-list a").first.get_attribute("href") or ""
    paths["catalogue browse"] = "/catalogue"
    page.goto(f"{server.url}/catalogue")
    paths["catalogue task"] = page.locator(".task-list a").first.get_attribute("href") or ""
    for name, path in paths.items():
        assert path, f"no link to the {name}"
        if path.startswith("/"):
            paths[name] = server.url + path
    return paths


def test_the_main_pages_fit_a_phone_and_keep_their_navigation(
    demo_server: LiveServer, new_page: Callable[..., Page]
) -> None:
    page = new_page(*PHONE)
    sign_in(page, demo_server)
    ARTIFACTS.mkdir(exist_ok=True)
    for name, url in demo_paths(page, demo_server).items():
        page.goto(url)
        if name == "plan editor":
            expect(page.locator("#connection")).to_have_attribute("data-state", "live")
        assert_fits_and_navigates(page, name)
        slug = re.sub(r"\W+", "-", name)
        page.screenshot(path=str(ARTIFACTS / f"layout-{slug}.png"))


def test_the_phone_header_stays_usable_with_a_long_name_and_lesson_title(
    demo_server: LiveServer, new_page: Callable[..., Page]
) -> None:
    """The header's crumbs are the part that gives way: long names are cut, not pushed out."""
    page = new_page(*PHONE)
    sign_in(page, demo_server)
    paths = demo_paths(page, demo_server)
    page.goto(paths["plan editor"])
    expect(page.locator("#connection")).to_have_attribute("data-state", "live")
    page.evaluate(
        """() => {
            const crumb = document.querySelector(".crumbs > :last-child");
            crumb.textContent = "A very long lesson title ".repeat(8);
            document.querySelector(".who__name").textContent = "Professor " .repeat(6);
        }"""
    )
    assert_fits_and_navigates(page, "plan editor with long names")
    # The nav still works: it leads to the catalogue.
    page.locator(".site-header a.nav-catalogue").click()
    expect(page).to_have_url(re.compile(r"/catalogue$"))
    assert_fits_and_navigates(page, "catalogue")

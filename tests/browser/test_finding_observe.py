"""An observer finds the lesson being taught: one tap from the team's dashboard, or from
the banner on the pages a member passes through; every link to a teaching says which
class and when, and the run, observe and projector pages name the lesson.

New accounts signed up through the pages (team_of_three): a founder, an instructor and
an observer. The instructor schedules and starts the lesson from the plan's page.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from browser.conftest import ARTIFACTS, Watched
from browser.flows import LIVE_MS
from browser.observing import teach, wait_connected
from browser.team_of_three import (
    TITLE,
    no_sideways_scroll,
    open_once_listed,
    reset_taps,
    taps,
    team_of_three,
)
from playwright.sync_api import Page, expect
from support.live_server import LiveServer

STARTED = r"5B, started \d{1,2} \w{3} \d{4}, \d{2}:\d{2} UTC"


def test_an_observer_reaches_the_lesson_under_way_in_one_tap(
    new_page: Callable[..., Page], server: LiveServer, watched: Watched
) -> None:
    team = team_of_three(new_page, server)
    observer = team.observer
    # Before the lesson: nothing under way, no banner, nothing to observe on the card.
    observer.goto(team.team_url)
    card = observer.locator(".lesson-card", has_text=TITLE)
    expect(card).to_have_count(1)
    expect(card.locator(".teaching-row")).to_have_count(0)
    expect(observer.locator("#under-way")).to_have_count(0)

    # The instructor schedules (the card offers it before the start) and starts it.
    teaching_id = teach(team.instructor, server, team.lesson_id, "5B")
    run = team.instructor
    expect(run.get_by_role("heading", level=1)).to_contain_text(TITLE)
    expect(run).to_have_title(re.compile(re.escape(TITLE)))
    row = f'.teaching-row[data-teaching-id="{teaching_id}"].teaching-row--live'

    # From the dashboard: one tap on Observe, labelled with the class and the date.
    open_once_listed(observer, team.team_url, row)
    live_row = card.locator(row)
    expect(live_row).to_contain_text("Under way")
    expect(live_row).to_contain_text(re.compile(STARTED))
    # An observer does not run lessons: the card offers what they may do.
    expect(live_row.get_by_role("link", name=re.compile("^Run the lesson"))).to_have_count(0)
    expect(live_row.get_by_role("link", name=re.compile("^Projector " + STARTED))).to_be_visible()
    reset_taps(observer)
    live_row.get_by_role("link", name=re.compile("^Observe " + STARTED)).click()
    expect(observer).to_have_url(re.compile(f"/teachings/{teaching_id}/observe$"))
    wait_connected(observer)
    assert taps(observer) == 1
    expect(observer.locator(".ob-lesson__title")).to_have_text(TITLE)
    expect(observer).to_have_title(re.compile(re.escape(TITLE)))

    # From the banner, on the home page and on the dashboard: one tap too.
    for page_url in (f"{server.url}/", team.team_url):
        observer.goto(page_url)
        banner = observer.locator("#under-way")
        expect(banner).to_contain_text("A lesson you can observe is under way")
        expect(banner).to_contain_text(TITLE)
        expect(banner).to_contain_text(re.compile(STARTED))
        assert no_sideways_scroll(observer), f"{page_url} scrolls sideways at 390 px"
    observer.goto(f"{server.url}/")
    reset_taps(observer)
    observer.locator("#under-way").get_by_role("link", name=re.compile("^Observe")).click()
    expect(observer).to_have_url(re.compile(f"/teachings/{teaching_id}/observe$"))
    wait_connected(observer)
    assert taps(observer) == 1
    # Not on the pages of the lesson itself: it is open already.
    expect(observer.locator("#under-way")).to_have_count(0)

    # Those who run lessons get Run the lesson on the card, with the same label; the
    # plan's Teach page lists the teaching with its class and date.
    founder = team.founder
    founder.goto(team.team_url)
    founder_row = founder.locator(row)
    expect(
        founder_row.get_by_role("link", name=re.compile("^Run the lesson " + STARTED))
    ).to_have_attribute("href", f"/teachings/{teaching_id}/teach")
    founder.goto(f"{server.url}/lessons/{team.lesson_id}/teach")
    listed = founder.locator(f'.teaching-row[data-teaching-id="{teaching_id}"]')
    for name in ("Run the lesson", "Observe", "Projector"):
        expect(listed.get_by_role("link", name=re.compile(f"^{name} {STARTED}"))).to_be_visible()

    # The projector names the lesson and its class.
    founder.goto(f"{server.url}/teachings/{teaching_id}/facilitate")
    wait_connected(founder)
    expect(founder.get_by_role("heading", level=1)).to_contain_text(TITLE)
    expect(founder.get_by_role("heading", level=1)).to_contain_text("5B", timeout=LIVE_MS)

    screenshots(observer, team.team_url, "dashboard-under-way")

    # Once the lesson has ended, the banner and the card's row go.
    run.get_by_role("button", name="End the lesson").click()
    expect(run.locator("#status")).to_have_text("Ended")
    open_once_listed(observer, f"{server.url}/", "#under-way", present=False)
    expect(observer.locator("#under-way")).to_have_count(0)
    observer.goto(team.team_url)
    expect(observer.locator(".teaching-row")).to_have_count(0)


def screenshots(page: Page, url: str, name: str) -> None:
    """The page at a phone's, a tablet's and a projector's width, none scrolling sideways."""
    ARTIFACTS.mkdir(exist_ok=True)
    for width, height in ((390, 844), (1024, 768), (1920, 1080)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(url)
        assert no_sideways_scroll(page), f"{url} scrolls sideways at {width} px"
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}x{height}.png"), full_page=True)

"""The catalogue in the browser: search as you type, a task's page with its charts and
quotes, a CSV export checked for content, a school's link that works signed out and
stops when closed, and a curator's merge seen on the pages.

Screenshots of the demo task's page land in test-artifacts/ (catalogue-task.png at a
laptop's width, catalogue-task-tablet.png at a tablet's, catalogue-task-print.png as
printed) to look at.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from browser.conftest import ARTIFACTS, Watched
from browser.flows import define_task, form_team, person, sign_up
from playwright.sync_api import Page, expect
from support.live_server import LiveServer, live_server

from lessonstudy.demo import DEMO_EMAIL, DEMO_PASSWORD

DEMO_MISCONCEPTIONS = 5
COUNTING = "Compares the numbers of red balls instead of the proportion of red"
HOSTILE = '<img src=x onerror=alert("hi")>'


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("catalogue-demo"), demo=True) as running:
        yield running


def sign_in_to_demo(page: Page, server: LiveServer) -> None:
    page.goto(f"{server.url}/sign-in")
    page.get_by_label("E-mail").fill(DEMO_EMAIL)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="Catalogue")).to_be_visible()


def call_api(page: Page, method: str, path: str, body: Any = None) -> dict[str, Any]:
    """A REST call from the page, with its session and CSRF token, as its scripts make."""
    answer: dict[str, Any] = page.evaluate(
        """async ([method, path, body]) => {
            const token = document.querySelector('meta[name="csrf-token"]').content;
            const response = await fetch(path, {
                method,
                headers: {"Content-Type": "application/json", "X-CSRFToken": token},
                body: body === null ? undefined : JSON.stringify(body),
            });
            return {status: response.status, data: await response.json().catch(() => null)};
        }""",
        [method, path, body],
    )
    return answer


def test_search_open_a_task_see_its_charts_and_quotes_and_export_csv(
    demo_server: LiveServer, new_page: Callable[..., Page]
) -> None:
    page = new_page(1280, 900)
    sign_in_to_demo(page, demo_server)
    page.get_by_role("link", name="Catalogue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The misconception catalogue")

    # Results come as you type, without submitting; the address keeps the search.
    page.get_by_label("Search the catalogue").press_sequentially("proportio", delay=30)
    expect(page.locator("#results-heading")).to_contain_text("matches “proportio”")
    expect(page.locator("#results .entry-row__statement")).to_have_count(1)
    expect(page.locator("#results .entry-row__statement")).to_contain_text(COUNTING)
    assert "q=proportio" in page.url

    page.locator(".task-list a").first.click()
    expect(page.locator(".task-statement")).to_contain_text("Two paper bags hold ping-pong")
    frequency = page.get_by_role("figure", name="What students did most")
    expect(frequency.locator(".bar")).to_have_count(DEMO_MISCONCEPTIONS)
    expect(frequency.locator(".bar").first).to_contain_text("8 notes, 4 students")
    compared = page.get_by_role("figure", name="Anticipated vs observed")
    expect(compared).to_contain_text("Anticipated, and it happened")
    expect(compared).to_contain_text("Nobody anticipated")
    first = page.locator(".mis").first
    expect(first.locator(".mis__statement")).to_contain_text(COUNTING)
    expect(first.locator(".quote").first).to_be_visible()
    expect(first).to_contain_text("C, because 6 red is more than 3 red.")
    expect(first).to_contain_text("helped, said the discussion")

    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    saved = download.value
    assert saved.suggested_filename == "catalogue.csv"
    path = saved.path()
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert len(rows) == DEMO_MISCONCEPTIONS
    counting = next(row for row in rows if row["statement"].startswith(COUNTING))
    assert (counting["observed"], counting["students"]) == ("8", "4")
    assert "C, because 6 red is more than 3 red." in counting["quotes"]


def test_screenshots_of_a_task_page(demo_server: LiveServer, new_page: Callable[..., Page]) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for name, width, height in (
        ("catalogue-task", 1280, 900),
        ("catalogue-task-tablet", 820, 1180),
    ):
        page = new_page(width, height)
        sign_in_to_demo(page, demo_server)
        page.goto(f"{demo_server.url}/catalogue")
        page.locator(".task-list a").first.click()
        expect(page.locator(".mis")).to_have_count(DEMO_MISCONCEPTIONS)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}-top.png"))
        page.locator(".mis").first.screenshot(path=str(ARTIFACTS / f"{name}-card.png"))
        if width == 1280:
            page.emulate_media(media="print")
            page.screenshot(path=str(ARTIFACTS / "catalogue-task-print.png"), full_page=True)
            page.emulate_media(media="screen")
            page.goto(f"{demo_server.url}/catalogue")
            page.screenshot(path=str(ARTIFACTS / "catalogue-browse.png"), full_page=True)
    for name in ("catalogue-task.png", "catalogue-task-tablet.png", "catalogue-browse.png"):
        assert (ARTIFACTS / name).stat().st_size > 10_000


def test_a_school_link_works_signed_out_and_stops_when_closed(
    server: LiveServer, new_page: Callable[..., Page]
) -> None:
    page = new_page()
    sign_up(page, server, person("Fran Facilitator"))
    team_url = form_team(page, server, "Grade 7 probability", school="Riverside School")
    define_task(page, statement="Which spinner gives the better chance of blue?", topic="Spinners")
    page.goto(team_url)
    page.get_by_role("button", name="Open a school link").click()
    link = page.get_by_label("School link").input_value()
    page.locator("#school-link-card").screenshot(path=str(ARTIFACTS / "school-link-card.png"))
    assert re.search(r"/school/[0-9a-f-]{36}/[A-Za-z0-9_-]{32}$", link), link

    reader = new_page(820, 1180)  # a colleague's tablet: no account, not signed in
    reader.goto(link)
    expect(reader.get_by_role("heading", level=1)).to_have_text("The misconception catalogue")
    expect(reader.locator(".lead")).to_contain_text("read-only, for Riverside School")
    expect(reader.get_by_role("button", name="Sign out")).to_have_count(0)
    reader.screenshot(path=str(ARTIFACTS / "school-catalogue-tablet.png"), full_page=True)
    reader.get_by_role("link", name=re.compile("^Spinners: Which spinner")).click()
    expect(reader.locator(".task-statement")).to_contain_text("Which spinner gives")
    assert reader.url.startswith(link)

    page.goto(team_url)
    page.get_by_role("button", name="Close the school link").click()
    expect(page.get_by_role("status")).to_contain_text("The school link is closed")
    reader.reload()
    expect(reader.get_by_role("heading", level=1)).to_have_text("Not found")
    reader.goto(link)
    expect(reader.get_by_role("heading", level=1)).to_have_text("Not found")


def test_a_curators_merge_shows_on_the_pages(
    server: LiveServer, new_page: Callable[..., Page], watched: Watched
) -> None:
    page = new_page()
    sign_up(page, server, person("Cora Curator"))
    page.goto(f"{server.url}/")
    roles = ["planner", "facilitator", "curator"]
    team = call_api(
        page, "POST", "/api/v1/teams", {"name": "Curators", "school": "Elm", "roles": roles}
    )
    assert team["status"] == 201, team
    team_id = team["data"]["id"]
    task = {
        "statement": "Bag A: 2 red, 2 white. Bag B: 3 red, 5 white. Which is better for red?",
        "subject": "Mathematics",
        "grade": "6",
        "topic": "Chance",
        "materials": "",
        "cognitive_demand": "analyse",
    }
    task_id = call_api(page, "POST", f"/api/v1/teams/{team_id}/tasks", task)["data"]["id"]
    entries = {}
    for key, statement in (
        ("kept", "Thinks the bag with more red balls always gives the better chance"),
        ("duplicate", f"Picks bag B because 3 red beats 2 red {HOSTILE}"),
    ):
        made = call_api(
            page,
            "POST",
            f"/api/v1/teams/{team_id}/misconceptions",
            {"statement": statement, "task_id": task_id},
        )
        assert made["status"] == 201, made
        entries[key] = made["data"]["id"]

    # The catalogue is a view of the log, current within a second: as a teacher who just
    # added both entries would, look again until the second one is there.
    task_page = f"{server.url}/catalogue/tasks/{task_id}"
    page.goto(task_page)
    for _ in range(20):
        if page.locator(".mis").count() == 2:
            break
        page.wait_for_timeout(250)
        page.goto(task_page)
    expect(page.locator(".mis")).to_have_count(2)
    expect(page.locator(".mis").nth(1)).to_contain_text(HOSTILE)  # as text, not an element

    page.goto(f"{server.url}/catalogue/misconceptions/{entries['duplicate']}")
    expect(page.locator("article.entry")).to_have_attribute("data-ready", "true")
    page.get_by_text("Merge into another entry").click()
    page.get_by_label("Find the entry to merge into").press_sequentially("always", delay=30)
    page.get_by_role("button", name=re.compile("more red balls always")).click()
    page.get_by_role("button", name="Merge into this entry").click()

    expect(page).to_have_url(re.compile(f"/catalogue/misconceptions/{entries['kept']}\\?changed=1"))
    expect(page.locator(".merged-list")).to_contain_text("Picks bag B because 3 red beats 2 red")
    history = page.locator("#history-list")
    expect(history).to_contain_text("Absorbed the duplicate “Picks bag B because 3 red")
    page.goto(f"{server.url}/catalogue/tasks/{task_id}")
    expect(page.locator(".mis")).to_have_count(1)
    page.goto(f"{server.url}/catalogue/misconceptions/{entries['duplicate']}")
    expect(page.locator("#merged-notice")).to_contain_text("was merged into this one")
    assert watched.dialogs == []


def test_a_curators_edit_that_crossed_another_shows_both_and_lets_them_choose(
    server: LiveServer, new_page: Callable[..., Page]
) -> None:
    page = new_page()
    sign_up(page, server, person("Cy Curator"))
    page.goto(f"{server.url}/")
    body = {"name": "Wording", "school": "Oak", "roles": ["planner", "facilitator", "curator"]}
    team_id = call_api(page, "POST", "/api/v1/teams", body)["data"]["id"]
    entry = {"statement": "Adds numerators and denominators", "topic": "Fractions"}
    made = call_api(page, "POST", f"/api/v1/teams/{team_id}/misconceptions", entry)
    entry_id = made["data"]["id"]
    entry_page = f"{server.url}/catalogue/misconceptions/{entry_id}"
    page.goto(entry_page)
    for _ in range(20):  # the view is current within a second
        if page.locator("#curate").count():
            break
        page.wait_for_timeout(250)
        page.goto(entry_page)

    expect(page.locator("article.entry")).to_have_attribute("data-ready", "true")
    page.get_by_text("Edit the statement").click()
    page.get_by_label("Statement").fill("Adds tops and bottoms: 1/2 + 1/3 = 2/5")
    # Meanwhile another curator rewords it (this page still holds the old version).
    version = int(page.locator("article.entry").get_attribute("data-version") or 0)
    theirs = {"statement": "Adds numerators and adds denominators", "version": version}
    edited = call_api(
        page, "PUT", f"/api/v1/teams/{team_id}/misconceptions/{entry_id}/statement", theirs
    )
    assert edited["status"] == 200, edited

    page.get_by_role("button", name="Save statement").click()
    conflict = page.locator("#edit-conflict")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("Adds numerators and adds denominators")
    page.get_by_role("button", name="Use mine instead").click()
    expect(page).to_have_url(re.compile(r"\?changed=1$"))
    expect(page.locator("#statement")).to_have_text("Adds tops and bottoms: 1/2 + 1/3 = 2/5")
    expect(page.locator("#history-list li")).to_have_count(3)  # created, theirs, mine


def test_a_curator_hides_a_quote_with_a_reason(
    demo_server: LiveServer, new_page: Callable[..., Page]
) -> None:
    """On the demo (run last in this module: it changes what the demo quotes)."""
    page = new_page()
    sign_in_to_demo(page, demo_server)
    me = call_api(page, "GET", "/api/v1/session")["data"]["person"]["id"]
    (team,) = call_api(page, "GET", "/api/v1/teams")["data"]
    roles = {"roles": ["planner", "curator"]}  # a planner manages the team's roles
    changed = call_api(page, "PUT", f"/api/v1/teams/{team['team_id']}/members/{me}", roles)
    assert changed["status"] == 200, changed
    page.goto(f"{demo_server.url}/catalogue")
    page.get_by_role("link", name=re.compile("^Outcome approach")).first.click()
    entry_url = page.url
    for _ in range(20):  # the new role reaches the pages' view within a second
        if page.locator("#curate").count():
            break
        page.wait_for_timeout(250)
        page.goto(entry_url)
    expect(page.locator("article.entry")).to_have_attribute("data-ready", "true")
    quote = page.locator(".quote").filter(has_text="Three whites in a row")
    quote.get_by_role("button", name="Hide…").click()
    page.get_by_label("Why (kept in the entry's history)").fill("Reads as a judgement")
    page.get_by_role("button", name="Hide quote").click()
    expect(page).to_have_url(re.compile(r"\?changed=1$"))
    expect(page.locator(".quote").filter(has_text="Three whites in a row")).to_have_count(0)
    expect(page.locator(".quote").first).to_be_visible()  # the others stay
    expect(page.locator("#history-list")).to_contain_text("Reads as a judgement")
    page.get_by_text("Merge into another entry").click()
    page.screenshot(path=str(ARTIFACTS / "catalogue-entry-curator.png"), full_page=True)

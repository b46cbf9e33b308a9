"""The demo's discussion record on screen and on paper, and cycle 2 compared with cycle 1.

The demo server holds the whole first cycle (its discussion closed, plan version 2
started). The revised plan is then taught to another class, written through the
service on the server's own database as a second process would (the server's
follower picks it up), and a team member reads the record, the plan's history and
the comparison; made facilitator, they start cycle 3 from cycle 2's record.
Screenshots land in test-artifacts/: discussion-record.png,
discussion-record-as-printed.png, discussion-record.pdf, cycles.png, history-evidence.png.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from browser.conftest import ARTIFACTS
from playwright.sync_api import Page, expect
from support.live_server import LiveServer, live_server
from support.second_cycle import CLASS_LABEL, teach_revised_plan

from lessonstudy.application import LessonStudy
from lessonstudy.demo import DEMO_EMAIL, DEMO_PASSWORD, DemoSummary, load_demo
from lessonstudy.domain.account import account_id_for
from lessonstudy.domain.discussion import PHASES

A4_PORTRAIT = (595, 842)


@pytest.fixture(scope="module")
def taught_twice(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[LiveServer, DemoSummary]]:
    with live_server(tmp_path_factory.mktemp("record-server"), demo=True) as server:
        app = LessonStudy(server.database_url)
        try:
            demo = load_demo(app)  # finds the demo the server loaded; writes nothing
            assert demo.already_loaded
            teach_revised_plan(app, demo)
        finally:
            app.close()
        yield server, demo


def sign_in(page: Page, server: LiveServer) -> None:
    page.goto(f"{server.url}/sign-in")
    page.get_by_label("E-mail").fill(DEMO_EMAIL)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".tile__link").first).to_be_visible()


def test_the_record_on_screen_and_on_paper(
    taught_twice: tuple[LiveServer, DemoSummary], new_page: Callable[..., Page]
) -> None:
    server, demo = taught_twice
    ARTIFACTS.mkdir(exist_ok=True)
    page = new_page(1280, 900)
    sign_in(page, server)
    page.goto(f"{server.url}/discussions/{demo.discussion_id}/record")

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Which bag gives the better chance of red?"
    )
    expect(page.get_by_role("status")).to_contain_text("Plan version 2")
    confirmed = page.locator("section[aria-labelledby=h-confirmed] .confirmed")
    expect(confirmed).to_have_count(4)
    additive = confirmed.filter(has_text="Additive comparison")
    expect(additive.locator(".evidence li")).to_have_count(3)
    expect(additive.locator(".helpful")).to_contain_text("102 red and 100 white")
    # Each revision with its status, its changes in words and its evidence.
    pooled = page.locator("#revision-rev-01")
    expect(pooled.locator(".status")).to_have_text("Accepted")
    expect(pooled.locator(".changes li").nth(1)).to_have_text(re.compile(r"^Add step 3: Pool"))
    declined = page.locator("#revision-rev-03")
    expect(declined.locator(".status")).to_have_text("Declined")
    expect(declined).to_contain_text("we keep them")
    expect(page.locator(".pattern")).to_have_count(5)
    # No start button once the next cycle has started; the record never scores anyone.
    expect(page.get_by_role("button", name="Start the next cycle")).to_have_count(0)
    expect(page.locator("body")).not_to_contain_text(re.compile(r"score|rating", re.I))

    page.screenshot(path=str(ARTIFACTS / "discussion-record.png"), full_page=True)
    page.emulate_media(media="print")
    expect(page.locator(".screen-bar")).to_be_hidden()
    page.screenshot(path=str(ARTIFACTS / "discussion-record-as-printed.png"), full_page=True)
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    (ARTIFACTS / "discussion-record.pdf").write_bytes(pdf)
    assert first_page_size(pdf) == A4_PORTRAIT, "the record prints on A4 portrait"

    # The Markdown download is the same record.
    markdown = page.request.get(f"{server.url}/api/v1/discussions/{demo.discussion_id}/record.md")
    assert markdown.ok
    assert "## Confirmed misconceptions" in markdown.text()


def test_the_history_links_each_change_to_its_evidence(
    taught_twice: tuple[LiveServer, DemoSummary], new_page: Callable[..., Page]
) -> None:
    server, demo = taught_twice
    page = new_page(1280, 900)
    sign_in(page, server)
    page.goto(f"{server.url}/lessons/{demo.lesson_id}/history")
    source = page.locator(".timeline__source").filter(has_text="Pool the class").first
    source.locator("summary").click()
    expect(source.locator(".evidence li")).to_have_count(3)
    expect(source.locator(".evidence li").first).to_contain_text("G3")
    source.locator("summary").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "history-evidence.png"))
    source.get_by_role("link", name="Pool the class").click()
    expect(page).to_have_url(re.compile(r"/record#revision-rev-01$"))
    expect(page.locator("#revision-rev-01")).to_be_in_viewport()


def test_cycle_two_compared_with_cycle_one(
    taught_twice: tuple[LiveServer, DemoSummary], new_page: Callable[..., Page]
) -> None:
    server, _ = taught_twice
    page = new_page(1280, 900)
    sign_in(page, server)
    page.locator(".tile__link").first.click()
    card = page.locator(".lesson-card").filter(has_text="Which bag")
    card.get_by_role("link", name="Cycles").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Cycles compared")
    cards = page.locator(".cycle-card")
    expect(cards).to_have_count(2)
    expect(cards.nth(1)).to_contain_text(f"Class {CLASS_LABEL}")
    counting = page.locator("#h-mis + .hint + table tr").filter(
        has_text="Compares the numbers of red balls"
    )
    expect(counting.locator(".count").nth(0)).to_have_text("4 students, 8 notes")
    expect(counting.locator(".count").nth(1)).to_have_text("1 student, 1 note")
    expect(counting.locator(".change")).to_have_text("fewer students")
    additive = page.locator("tr").filter(has_text="Same: both bags have two more red")
    expect(additive).to_have_count(1)
    expect(additive.locator(".occurred-cell").nth(0)).to_have_text(
        "not in this plan", use_inner_text=True
    )
    expect(additive.locator(".change")).to_have_text("new, occurred")
    surprises = page.locator(".unanticipated > div").nth(1)
    expect(surprises).to_contain_text("only pull out one ball")
    page.screenshot(path=str(ARTIFACTS / "cycles.png"), full_page=True)


def first_page_size(pdf: bytes) -> tuple[int, int]:
    box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    assert box is not None, "the PDF names its page size"
    return round(float(box.group(1))), round(float(box.group(2)))


def test_the_facilitator_starts_the_next_cycle_from_the_record(
    taught_twice: tuple[LiveServer, DemoSummary], new_page: Callable[..., Page]
) -> None:
    """Cycle 2's discussion, held through the service by the demo's team, ends with an
    accepted revision; the demo account, made facilitator, starts cycle 3 in the page."""
    server, demo = taught_twice
    app = LessonStudy(server.database_url)
    try:
        discussion_id = discuss_cycle_two(app, demo)
    finally:
        app.close()
    page = new_page(1280, 900)
    sign_in(page, server)
    page.goto(f"{server.url}/discussions/{discussion_id}/record")
    expect(page.locator("#revision-rev-c2 .status")).to_have_text("Accepted")
    page.get_by_role("button", name="Start the next cycle").click()

    expect(page).to_have_url(re.compile(rf"/lessons/{demo.lesson_id}/history$"))
    expect(page.get_by_text("started plan version 3 from accepted revisions")).to_be_visible()
    source = page.locator(".timeline__source").filter(has_text="Give the pooled table time")
    expect(source).to_have_count(1)
    page.goto(f"{server.url}/discussions/{discussion_id}/record")
    expect(page.get_by_role("status")).to_contain_text("Plan version 3")
    expect(page.get_by_role("button", name="Start the next cycle")).to_have_count(0)


def discuss_cycle_two(app: LessonStudy, demo: DemoSummary) -> str:
    teaching_id = app.get_plan(demo.lesson_id).teaching_ids[-1]
    mei = "mei"  # the demo's facilitator
    app.change_member_roles(
        actor_id=mei,
        team_id=demo.team_id,
        person_id=str(account_id_for(DEMO_EMAIL)),
        roles=["planner", "observer", "facilitator"],
    )
    discussion_id = str(app.open_discussion(actor_id=mei, teaching_id=teaching_id))
    on = {"actor_id": mei, "discussion_id": discussion_id}
    for phase in PHASES[1:]:
        app.move_discussion_phase(**on, phase=phase)
    change = {"op": "change_step", "step_id": "s2b", "field": "minutes", "value": 7}
    app.propose_revision(
        **on,
        revision_id="rev-c2",
        summary="Give the pooled table time",
        changes=[change],
        note_ids=["c2-han-05"],
    )
    app.decide_revision(**on, revision_id="rev-c2", accept=True)
    return discussion_id

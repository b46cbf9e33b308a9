"""The projector and the run page show what the room needs: each note's matched
anticipated response (or "unanticipated"), its kind, its observer and its photo; whom
each observer follows; and the by-seat view fits a 1920 px screen.

New accounts signed up through the pages (team_of_three). Olu observes on a phone and
Farah, the founder, on a tablet; a photo Olu takes appears in Farah's feed and on the
projector.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from browser.conftest import ARTIFACTS, Watched
from browser.flows import LIVE_MS
from browser.observing import record, teach, wait_connected
from browser.team_of_three import (
    FOUNDER,
    MISCONCEPTION,
    OBSERVER,
    drawing,
    no_sideways_scroll,
    team_of_three,
)
from playwright.sync_api import FilePayload, Locator, Page, expect
from support.live_server import LiveServer

# Notes on many seats and groups: more columns than a 1920 px screen holds side by side.
SEATS = ["G1-S1", "G1-S3", "G2-S1", "G2-S4", "G3-S2", "G3-S4", "G4-S1", "G4-S3", "G2"]
# Those, the photo's seat and G3 (followed, no notes yet), as the class layout orders them.
IN_CLASS_ORDER = [
    "G1-S1",
    "G1-S2",
    "G1-S3",
    "G2",
    "G2-S1",
    "G2-S4",
    "G3",
    "G3-S2",
    "G3-S4",
    "G4-S1",
    "G4-S3",
]


def choose_focus(page: Page, codes: list[str]) -> None:
    page.get_by_role("button", name="My focus").click()
    for code in codes:
        page.locator("#seats").get_by_role("button", name=code, exact=True).click()
    page.get_by_role("button", name="Done choosing focus").click()
    expect(page.locator("#focus-row").get_by_role("button")).to_have_text(codes)


def photo_shows(note: Locator, image: str) -> None:
    """The note's photo is there and drawn: fetched and decoded, not a broken image."""
    expect(note.locator(image)).to_have_count(1, timeout=LIVE_MS)
    note_id = note.get_attribute("data-note-id")
    note.page.wait_for_function(
        "(css) => { const img = document.querySelector(css);"
        " return !!img && img.complete && img.naturalWidth > 0; }",
        arg=f'[data-note-id="{note_id}"] {image}',
        timeout=LIVE_MS,
    )


def test_the_projector_shows_each_note_whole_and_whom_each_observer_follows(
    new_page: Callable[..., Page], server: LiveServer, watched: Watched
) -> None:
    team = team_of_three(new_page, server)
    teaching_id = teach(team.instructor, server, team.lesson_id, "5B")
    observe_url = f"{server.url}/teachings/{teaching_id}/observe"
    olu, farah = team.observer, team.founder
    olu.goto(observe_url)
    wait_connected(olu)
    farah.set_viewport_size({"width": 1024, "height": 768})
    farah.goto(observe_url)
    wait_connected(farah)
    projector = new_page(1920, 1080)
    projector.context.add_cookies(farah.context.cookies())  # type: ignore[arg-type]
    projector.goto(f"{server.url}/teachings/{teaching_id}/facilitate")
    wait_connected(projector)

    # Whom each observer follows: on the projector and on the run page, as they choose.
    focus = projector.locator("#focus-list")
    expect(focus).to_contain_text("No observer has chosen whom to follow yet.")
    choose_focus(olu, ["G1-S2", "G3"])
    choose_focus(farah, ["G2"])
    expect(focus.locator(".ob-follows")).to_have_text(
        [re.compile(f"{FOUNDER}\\s*G2"), re.compile(f"{OBSERVER}\\s*G1-S2, G3")], timeout=LIVE_MS
    )
    expect(team.instructor.locator("#observer-names")).to_have_text(
        f"Observing: {FOUNDER} (follows G2), {OBSERVER} (follows G1-S2, G3)", timeout=LIVE_MS
    )

    # A photo of student work, tagged with the anticipated misconception, as "did".
    olu.locator("#tags").get_by_role("button", name=re.compile(MISCONCEPTION)).click()
    olu.locator("#kinds").get_by_role("button", name="Did / wrote").click()
    olu.locator("#photo").set_input_files(
        files=[FilePayload(name="work.png", mimeType="image/png", buffer=drawing())]
    )
    record(olu, "S2 drew 3/4 and 2/3 as bars of different lengths", seat="G1-S2")
    # In the other observer's feed, with the photo itself (not a broken image).
    in_feed = farah.locator("#feed .ob-note", has_text="bars of different lengths")
    photo_shows(in_feed, "img.ob-note__photo")
    # On the projector: matched response, kind, observer, photo.
    card = projector.locator(".ob-card", has_text="bars of different lengths")
    expect(card.locator(".ob-card__meta")).to_have_text(
        re.compile(rf"^\d+:\d\d · G1-S2 · did · {OBSERVER}$"), timeout=LIVE_MS
    )
    expect(card.locator(".ob-card__tag--misconception")).to_have_text(MISCONCEPTION)
    photo_shows(card, "img.ob-card__photo")
    # Something nobody anticipated says so, with who wrote it.
    farah.locator("#tags").get_by_role("button", name="Unanticipated").click()
    record(farah, "G2 folds paper strips into twelfths", seat="G2")
    strips = projector.locator(".ob-card", has_text="folds paper strips")
    expect(strips.locator(".ob-card__tag--new")).to_have_text("unanticipated", timeout=LIVE_MS)
    expect(strips.locator(".ob-card__meta")).to_contain_text(f"said · {FOUNDER}")

    # By seat: a column per seat or group, in the class's order, marked with who follows
    # it; as many as there are, without running off the 1920 px screen.
    for number, seat in enumerate(SEATS, 1):
        record(olu, f"Note {number} about {seat}", seat=seat)
    expect(projector.locator("#timeline")).to_contain_text(
        f"Note {len(SEATS)} about", timeout=LIVE_MS
    )
    projector.get_by_role("button", name="By seat").click()
    headings = projector.locator("#timeline .ob-column h2")
    expect(headings).to_have_text(IN_CLASS_ORDER)
    followed = projector.locator(
        ".ob-column", has=projector.locator("h2", has_text=re.compile("^G1-S2$"))
    )
    expect(followed.locator(".ob-column__followers")).to_have_text(f"followed by {OBSERVER}")
    assert no_sideways_scroll(projector, "#timeline"), "the by-seat view runs off 1920 px"
    assert no_sideways_scroll(projector), "the projector page scrolls sideways at 1920 px"

    ARTIFACTS.mkdir(exist_ok=True)
    for page, name in ((projector, "projector"), (team.instructor, "run")):
        for width, height in ((1920, 1080), (1024, 768), (390, 844)):
            page.set_viewport_size({"width": width, "height": height})
            assert no_sideways_scroll(page), f"{name} scrolls sideways at {width} px"
            page.screenshot(path=str(ARTIFACTS / f"{name}-{width}x{height}.png"), full_page=True)
    projector.get_by_role("button", name="By step").click()
    projector.set_viewport_size({"width": 1920, "height": 1080})
    assert no_sideways_scroll(projector, "#timeline")
    projector.screenshot(path=str(ARTIFACTS / "projector-by-step-1920x1080.png"), full_page=True)

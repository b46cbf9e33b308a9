"""Live observation in the browser: two observers, a dead Wi-Fi spot, a reload, text.

The lesson is set up over the REST API (the planning pages have their own tests); the
teaching is scheduled, started and opened to guests through its pages, and a guest
joins with the code, as in a real school.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from uuid import uuid4

from browser.conftest import ARTIFACTS, Watched
from browser.flows import LIVE_MS
from browser.observing import (
    Lesson,
    feed_texts,
    join_as_guest,
    join_code,
    prepared_lesson,
    record,
    wait_connected,
)
from playwright.sync_api import BrowserContext, FilePayload, Page, expect
from support.live_server import LiveServer

from lessonstudy.server.photos import photos_root

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def two_observers(
    new_page: Callable[..., Page], server: LiveServer, width: int = 820, height: int = 1180
) -> tuple[Page, Page, Lesson]:
    runner = new_page()
    lesson = prepared_lesson(runner, server)
    code = join_code(runner)
    ARTIFACTS.mkdir(exist_ok=True)
    runner.screenshot(path=str(ARTIFACTS / "teach-1280x900.png"), full_page=True)
    # The instructor's colleague Ines observes from the team's own browser (signed in).
    ines = runner
    ines.set_viewport_size({"width": width, "height": height})
    ines.goto(f"{server.url}/teachings/{lesson.teaching_id}/observe")
    wait_connected(ines)
    kit = new_page(width, height)
    join_as_guest(kit, server, lesson.teaching_id, code, "Kit")
    return ines, kit, lesson


def test_two_observers_see_each_other_and_nothing_is_lost_offline(
    new_page: Callable[..., Page], server: LiveServer, watched: Watched
) -> None:
    ines, kit, lesson = two_observers(new_page, server)
    # The current step is preselected, with its anticipated responses as tags.
    expect(kit.locator("#step")).to_have_value(lesson.steps[1]["id"])
    expect(kit.locator("#tags")).to_contain_text("Bigger denominator means bigger")

    kit.get_by_role("button", name=re.compile("Bigger denominator")).click()
    record(kit, "S2: 2/3 is bigger because 3 is smaller than 4")
    expect(ines.locator("#feed")).to_contain_text("3 is smaller than 4", timeout=LIVE_MS)
    record(ines, "S1 draws two bars of the same length", seat="G1-S1")
    expect(kit.locator("#feed")).to_contain_text("two bars of the same length", timeout=LIVE_MS)
    expect(kit.locator("#feed")).to_contain_text("Ines")

    # A dead spot: three notes, a reload while still offline, then the network is back.
    context: BrowserContext = kit.context
    expect(kit.locator("body")).to_have_attribute("data-offline-ready", "yes", timeout=LIVE_MS)
    context.set_offline(True)
    expect(kit.locator("#connection")).to_have_attribute("data-state", "offline", timeout=LIVE_MS)
    offline = [f"offline note {n}: counts on fingers {uuid4().hex[:6]}" for n in (1, 2, 3)]
    for text in offline:
        record(kit, text)
    expect(kit.locator("#waiting")).to_have_attribute("data-count", "3")
    kit.reload()
    expect(kit.locator("#waiting")).to_have_attribute("data-count", "3")
    for text in offline:
        expect(kit.locator("#feed")).to_contain_text(text)
    context.set_offline(False)
    wait_connected(kit)
    expect(kit.locator("#waiting")).to_have_attribute("data-count", "0", timeout=LIVE_MS)
    for page in (kit, ines):
        for text in offline:
            expect(page.locator("#feed .ob-note__text", has_text=text)).to_have_count(
                1, timeout=LIVE_MS
            )
        expect(page.locator("#feed .ob-note--waiting")).to_have_count(0)
    stored = lesson.api.call("GET", f"/api/v1/teachings/{lesson.teaching_id}/notes")["notes_since"]
    texts = [change["note"]["text"] for change in stored]
    for text in offline:
        assert texts.count(text) == 1, texts
    assert len(texts) == 5, texts


def test_note_with_html_shows_as_text_and_screenshots(
    new_page: Callable[..., Page], server: LiveServer, watched: Watched
) -> None:
    ines, kit, lesson = two_observers(new_page, server)
    markup = '<img src=x onerror="alert(1)"><script>alert(2)</script><b>bold</b>'
    record(kit, markup)
    for page in (kit, ines):
        expect(page.locator("#feed .ob-note__text", has_text="<script>")).to_have_count(
            1, timeout=LIVE_MS
        )
        assert markup in feed_texts(page)
        assert page.locator("#feed img, #feed script, #feed b").count() == 0
    assert watched.dialogs == []
    # A judgement gets a gentle nudge, and is stored all the same.
    record(kit, "Group 1 is bored")
    expect(kit.locator("#nudge")).to_be_visible(timeout=LIVE_MS)
    expect(ines.locator("#feed")).to_contain_text("Group 1 is bored", timeout=LIVE_MS)
    record(ines, "S3 says: the pieces are smaller when there are more of them", seat="G1-S3")
    expect(kit.locator("#feed")).to_contain_text("pieces are smaller", timeout=LIVE_MS)

    # The current step follows the teacher; amend and retract one's own note.
    first_step = lesson.steps[0]["id"]
    lesson.api.call("PUT", f"/api/v1/teachings/{lesson.teaching_id}/step", {"step_id": first_step})
    expect(kit.locator("#step")).to_have_value(first_step, timeout=LIVE_MS)
    expect(kit.locator("#tags")).not_to_contain_text("Bigger denominator")
    mine = kit.locator("#feed .ob-note", has_text="Group 1 is bored")
    mine.get_by_role("button", name="Amend").click()
    kit.get_by_label("Amended text").fill("Two in group 1 put their heads down")
    kit.get_by_role("button", name="Save").click()
    expect(ines.locator("#feed")).to_contain_text("heads down", timeout=LIVE_MS)
    expect(ines.locator("#feed")).not_to_contain_text("Group 1 is bored")
    wrong = kit.locator("#feed .ob-note", has_text="heads down")
    wrong.get_by_role("button", name="Retract").click()
    wrong.get_by_role("button", name="Tap again to retract").click()
    expect(ines.locator("#feed .ob-note--retracted", has_text="heads down")).to_have_count(1)
    # A photo of student work: uploaded first, then the note names it.
    kit.locator("#photo").set_input_files(
        files=[FilePayload(name="work.png", mimeType="image/png", buffer=PNG)]
    )
    record(kit, "S4's drawing of 3/4 and 2/3", seat="G1-S4")
    expect(ines.locator("#feed img.ob-note__photo")).to_have_count(1, timeout=LIVE_MS)

    # The projector: a column per step, updated live.
    projector = new_page(1280, 800)
    projector.context.add_cookies(kit.context.cookies())  # type: ignore[arg-type]
    projector.goto(f"{server.url}/teachings/{lesson.teaching_id}/facilitate")
    wait_connected(projector)
    expect(projector.locator(".ob-column").first).to_contain_text("Launch")
    record(kit, "Whole class: hands up for 3/4", seat="G2")
    expect(projector.locator("#timeline")).to_contain_text("hands up for 3/4", timeout=LIVE_MS)

    ARTIFACTS.mkdir(exist_ok=True)
    projector.screenshot(path=str(ARTIFACTS / "facilitate-1280x800.png"))
    kit.screenshot(path=str(ARTIFACTS / "observe-tablet-820x1180.png"))
    kit.set_viewport_size({"width": 390, "height": 844})
    kit.screenshot(path=str(ARTIFACTS / "observe-phone-390x844.png"))
    kit.screenshot(path=str(ARTIFACTS / "observe-phone-390x844-full.png"), full_page=True)


def kit_id(lesson: Lesson) -> str:
    guests = lesson.api.call("GET", f"/api/v1/teachings/{lesson.teaching_id}")["guests"]
    return next(pid for pid, guest in guests.items() if guest["name"] == "Kit")


def stored_focus(lesson: Lesson, person_id: str) -> list[str]:
    teaching = lesson.api.call("GET", f"/api/v1/teachings/{lesson.teaching_id}")
    focus: list[str] = teaching["focus"].get(person_id, [])
    return focus


def test_a_guest_chooses_focus_students_on_the_chart_and_keeps_them(
    new_page: Callable[..., Page], server: LiveServer, watched: Watched
) -> None:
    _ines, kit, lesson = two_observers(new_page, server, 390, 844)
    expect(kit.locator("#focus-row")).to_be_hidden()
    kit.get_by_role("button", name="My focus").click()
    expect(kit.locator("#focus-help")).to_be_visible()
    seats = kit.locator("#seats")
    seats.get_by_role("button", name="G1-S2", exact=True).click()
    seats.get_by_role("button", name="G3", exact=True).click()
    # While choosing, a tap marks focus, not the subject of the next note.
    expect(seats.get_by_role("button", name="G1-S2", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    kit.get_by_role("button", name="Done choosing focus").click()
    focus_row = kit.locator("#focus-row")
    expect(focus_row.get_by_role("button")).to_have_text(["G1-S2", "G3"])
    expect(seats.locator(".ob-chip--focus")).to_have_count(2)
    guest = kit_id(lesson)
    deadline_ms = LIVE_MS
    kit.wait_for_function(
        "() => !localStorage.getItem(`lessonstudy.outbox.${document.getElementById("
        "'compose').dataset.teachingId}`).includes('teaching:focus')",
        timeout=deadline_ms,
    )
    assert stored_focus(lesson, guest) == ["G1-S2", "G3"]

    # Offered first: one tap on the focus row picks the subject of the next note.
    focus_row.get_by_role("button", name="G3").click()
    kit.get_by_label(re.compile("What you saw or heard")).fill("G3 folds paper strips")
    kit.get_by_role("button", name="Send note").click()
    note = kit.locator("#feed .ob-note", has_text="G3 folds paper strips")
    expect(note.locator(".ob-note__subject")).to_have_text("G3", timeout=LIVE_MS)
    expect(kit.locator("#waiting")).to_have_attribute("data-count", "0", timeout=LIVE_MS)

    # Changed while offline, kept through a reload, sent when the network is back.
    expect(kit.locator("body")).to_have_attribute("data-offline-ready", "yes", timeout=LIVE_MS)
    kit.context.set_offline(True)
    expect(kit.locator("#connection")).to_have_attribute("data-state", "offline", timeout=LIVE_MS)
    kit.get_by_role("button", name="My focus").click()
    seats.get_by_role("button", name="G1-S2", exact=True).click()
    kit.get_by_role("button", name="Done choosing focus").click()
    expect(focus_row.get_by_role("button")).to_have_text(["G3"])
    kit.reload()
    expect(kit.locator("#focus-row").get_by_role("button")).to_have_text(["G3"])
    expect(kit.locator("#waiting")).to_have_attribute("data-count", "0")  # notes only
    kit.context.set_offline(False)
    wait_connected(kit)
    kit.wait_for_function(
        "() => !localStorage.getItem(`lessonstudy.outbox.${document.getElementById("
        "'compose').dataset.teachingId}`).includes('teaching:focus')",
        timeout=deadline_ms,
    )
    assert stored_focus(lesson, guest) == ["G3"]
    # Quick taps while earlier choices are on their way: the last choice is what stays.
    kit.get_by_role("button", name="My focus").click()
    for code in ("G2", "G2-S1", "G4-S3"):
        seats.get_by_role("button", name=code, exact=True).click()
    kit.get_by_role("button", name="Done choosing focus").click()
    chosen = ["G3", "G2", "G2-S1", "G4-S3"]
    expect(focus_row.get_by_role("button")).to_have_text(chosen)
    kit.wait_for_function(
        "() => !localStorage.getItem(`lessonstudy.outbox.${document.getElementById("
        "'compose').dataset.teachingId}`).includes('teaching:focus')",
        timeout=deadline_ms,
    )
    assert stored_focus(lesson, guest) == chosen
    # A fresh browser of the same guest (cookies only) gets the focus from the server.
    again = new_page(390, 844)
    again.context.add_cookies(kit.context.cookies())  # type: ignore[arg-type]
    again.goto(f"{server.url}/teachings/{lesson.teaching_id}/observe")
    wait_connected(again)
    expect(again.locator("#focus-row").get_by_role("button")).to_have_text(chosen)


def test_a_photo_taken_offline_is_kept_and_arrives_once(
    new_page: Callable[..., Page], server: LiveServer, watched: Watched
) -> None:
    ines, kit, lesson = two_observers(new_page, server, 390, 844)
    expect(kit.locator("body")).to_have_attribute("data-offline-ready", "yes", timeout=LIVE_MS)
    kit.context.set_offline(True)
    expect(kit.locator("#connection")).to_have_attribute("data-state", "offline", timeout=LIVE_MS)

    # Checked before anything is queued: not an image, too big.
    photo = kit.locator("#photo")
    photo.set_input_files(files=[FilePayload(name="work.png", mimeType="image/png", buffer=b"hi")])
    expect(kit.locator("#compose-error")).to_have_text(re.compile("JPEG, PNG or WebP"))
    expect(kit.locator("#photo-name")).to_be_hidden()
    big = PNG + bytes(8 * 1024 * 1024)
    photo.set_input_files(files=[FilePayload(name="big.png", mimeType="image/png", buffer=big)])
    expect(kit.locator("#compose-error")).to_have_text(re.compile("at most 8 MB"))

    photo.set_input_files(files=[FilePayload(name="work.png", mimeType="image/png", buffer=PNG)])
    expect(kit.locator("#photo-name")).to_contain_text("work.png")
    expect(kit.locator("#compose-error")).to_be_hidden()
    text = f"S4 draws 3/4 as a bar {uuid4().hex[:6]}"
    record(kit, text, seat="G1-S4")
    waiting = kit.locator("#feed .ob-note--waiting", has_text=text)
    expect(waiting.locator("img.ob-note__photo")).to_have_count(1)
    expect(kit.locator("#waiting")).to_have_attribute("data-count", "1")
    kit.reload()
    expect(kit.locator("#waiting")).to_have_attribute("data-count", "1")
    expect(waiting.locator("img.ob-note__photo")).to_have_count(1)
    assert waiting.locator("img").get_attribute("src").startswith("blob:")  # type: ignore[union-attr]

    kit.context.set_offline(False)
    wait_connected(kit)
    expect(kit.locator("#waiting")).to_have_attribute("data-count", "0", timeout=LIVE_MS)
    for page in (kit, ines):
        arrived = page.locator("#feed .ob-note", has_text=text)
        expect(arrived).to_have_count(1, timeout=LIVE_MS)
        expect(arrived.locator("img.ob-note__photo")).to_have_count(1)
    stored = lesson.api.call("GET", f"/api/v1/teachings/{lesson.teaching_id}/notes")["notes_since"]
    notes = [change["note"] for change in stored if change["note"]["text"] == text]
    assert len(notes) == 1, stored
    photo_id = notes[0]["photo_id"]
    assert photo_id, notes
    answer = ines.request.get(
        f"{server.url}/api/v1/teachings/{lesson.teaching_id}/photos/{photo_id}"
    )
    assert answer.status == 200 and answer.body() == PNG
    # Uploaded once: the teaching's photo folder holds this one photo only.
    folder = photos_root(server.database_url, {}) / lesson.teaching_id
    assert [p.name for p in folder.iterdir() if not p.name.startswith(".")] == [photo_id]

"""The observe page without a network, and notes re-filed by amendment.

A guest observer on a phone joins a lesson before it starts; the teacher starts it,
moves it on and changes the mode while the observer chooses a focus; then the Wi-Fi
drops and the page is reloaded. The page must show the lesson where it last stood
(started, the teacher's step, the mode, the focus), say that this may be old, and file
the next note under the right step. And an observer re-files a note to another step,
subject and tags by amending it; the feed shows each note's step.

The team is new, signed up over the API (observing.instructor_with_task).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from uuid import uuid4

from browser.conftest import ARTIFACTS, Watched
from browser.flows import LIVE_MS
from browser.observing import (
    LAYOUT,
    Api,
    instructor_with_task,
    join_as_guest,
    prepared_lesson,
    record,
    wait_connected,
)
from playwright.sync_api import Page, expect
from support.live_server import LiveServer

OUTBOX_HAS_FOCUS = (
    "() => (localStorage.getItem(`lessonstudy.outbox.${document.getElementById("
    "'compose').dataset.teachingId}`) ?? '').includes('teaching:focus')"
)


def scheduled_lesson(page: Page, server: LiveServer) -> tuple[Api, str, list[dict[str, Any]]]:
    """A new team's plan (two steps, each with anticipated responses) and a teaching of it
    scheduled for 5B but not started: the REST client, the teaching's id, the steps."""
    api, team_id, task_id = instructor_with_task(page, server)
    me = api.call("GET", "/api/v1/session")["person"]["id"]
    plan = api.call(
        "POST", f"/api/v1/teams/{team_id}/lessons", {"task_id": task_id, "title": "Fractions"}, 201
    )
    base = f"/api/v1/lessons/{plan['lesson_id']}/plan"
    api.call(
        "PUT", f"{base}/fields/class_layout", {"value": LAYOUT, "base_revision": plan["revision"]}
    )
    for activity in ("Launch: read the task together", "Groups compare the fractions"):
        api.call("POST", f"{base}/steps", {"fields": {"activity": activity}}, 201)
    steps = api.call("GET", base)["steps"]
    responses = [
        (steps[0], "correct_strategy", "Draws both as bars"),
        (steps[1], "misconception", "Bigger denominator means bigger"),
        (steps[1], "correct_strategy", "Common denominator: 9/12 > 8/12"),
    ]
    for step, kind, text in responses:
        api.call("POST", f"{base}/steps/{step['id']}/responses", {"kind": kind, "text": text}, 201)
    teaching = api.call(
        "POST",
        f"/api/v1/lessons/{plan['lesson_id']}/teachings",
        {"instructor_id": me, "class_label": "5B"},
        201,
    )
    return api, teaching["id"], api.call("GET", base)["steps"]


def stored_notes(api: Api, teaching_id: str) -> dict[str, dict[str, Any]]:
    """Every note as the server now has it (amendments applied), by text."""
    changes = api.call("GET", f"/api/v1/teachings/{teaching_id}/notes")["notes_since"]
    notes: dict[str, dict[str, Any]] = {}
    for change in changes:
        if change["type"] == "recorded":
            notes[change["note_id"]] = dict(change["note"])
        elif change["type"] == "amended":
            notes[change["note_id"]].update(change["changes"])
    return {note["text"]: note for note in notes.values()}


def test_an_offline_reload_keeps_the_lesson_as_last_heard_and_says_it_may_be_old(
    new_page: Callable[..., Page], server: LiveServer, watched: Watched
) -> None:
    teacher = new_page()
    api, teaching_id, steps = scheduled_lesson(teacher, server)
    code = api.call("POST", f"/api/v1/teachings/{teaching_id}/join-code", None, 201)["join_code"]
    kit = new_page(390, 844)
    join_as_guest(kit, server, teaching_id, code, "Kit")
    line = kit.locator("#lesson-line")
    expect(line).to_have_text("5B · not started yet")

    # The lesson runs while Kit is connected: started, moved on, in groups; Kit follows G3.
    api.call("POST", f"/api/v1/teachings/{teaching_id}/start", {"mode": "whole_class"})
    api.call("PUT", f"/api/v1/teachings/{teaching_id}/step", {"step_id": steps[1]["id"]})
    api.call("PUT", f"/api/v1/teachings/{teaching_id}/mode", {"mode": "group"})
    expect(kit.locator("#step")).to_have_value(steps[1]["id"], timeout=LIVE_MS)
    expect(line).to_contain_text("in progress")
    kit.get_by_role("button", name="My focus").click()
    kit.locator("#seats").get_by_role("button", name="G3", exact=True).click()
    kit.get_by_role("button", name="Done choosing focus").click()
    # Stored, and so heard after the mode change (one connection delivers in order).
    kit.wait_for_function(f"() => !({OUTBOX_HAS_FOCUS})()", timeout=LIVE_MS)

    # The Wi-Fi drops, and the page is reloaded in the dead spot.
    expect(kit.locator("body")).to_have_attribute("data-offline-ready", "yes", timeout=LIVE_MS)
    kit.context.set_offline(True)
    expect(kit.locator("#connection")).to_have_attribute("data-state", "offline", timeout=LIVE_MS)
    kit.reload()
    expect(kit.locator("#connection")).not_to_have_attribute("data-state", "live")
    expect(kit.locator("#step")).to_have_value(steps[1]["id"])
    expect(kit.locator("#tags")).to_contain_text("Bigger denominator means bigger")
    expect(kit.locator("#focus-row").get_by_role("button")).to_have_text(["G3"])
    expect(line).to_have_text("5B · in progress · step 2 of 2 · groups")
    stale = kit.locator("#stale")
    expect(stale).to_be_visible()
    expect(stale).to_have_text(re.compile(r"^Lesson as of \d{1,2}:\d{2}( [AP]M)?, offline"))
    for width in (390, 1024, 1920):
        kit.set_viewport_size({"width": width, "height": 844 if width == 390 else 900})
        kit.screenshot(path=str(shot("offline-reloaded", width)))
    kit.set_viewport_size({"width": 390, "height": 844})

    # The next note goes under the teacher's step, with its tag, and arrives once online.
    text = f"S1 says 2/3 is bigger: 3 is less than 4 {uuid4().hex[:6]}"
    kit.locator("#tags").get_by_role("button", name=re.compile("Bigger denominator")).click()
    record(kit, text, seat="G3-S1")
    expect(kit.locator("#waiting")).to_have_attribute("data-count", "1")
    kit.context.set_offline(False)
    wait_connected(kit)
    expect(stale).to_be_hidden()
    expect(kit.locator("#waiting")).to_have_attribute("data-count", "0", timeout=LIVE_MS)
    note = stored_notes(api, teaching_id)[text]
    misconception = steps[1]["responses"][0]
    assert misconception["text"] == "Bigger denominator means bigger", steps[1]
    assert (note["step_id"], note["subject_code"]) == (steps[1]["id"], "G3-S1"), note
    assert note["response_ids"] == [misconception["id"]], note
    item = kit.locator("#feed .ob-note", has_text=text)
    expect(item.locator(".ob-note__step")).to_have_text("step 2", timeout=LIVE_MS)
    for width in (390, 1024, 1920):
        kit.set_viewport_size({"width": width, "height": 844 if width == 390 else 900})
        kit.screenshot(path=str(shot("online", width)))

    # The lesson ends while Kit is offline again: the copy says what was last heard,
    # and the ending once connected.
    kit.context.set_offline(True)
    expect(kit.locator("#connection")).to_have_attribute("data-state", "offline", timeout=LIVE_MS)
    expect(stale).to_be_visible()
    api.call("POST", f"/api/v1/teachings/{teaching_id}/end", None)
    kit.reload()
    expect(line).to_have_text("5B · in progress · step 2 of 2 · groups")
    kit.context.set_offline(False)
    wait_connected(kit)
    expect(line).to_have_text("5B · ended")
    expect(stale).to_be_hidden()


def shot(state: str, width: int) -> Any:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / f"observe-{state}-{width}.png"


def test_a_note_is_refiled_by_amendment_to_another_step_subject_and_tags(
    new_page: Callable[..., Page], server: LiveServer, watched: Watched
) -> None:
    runner = new_page()
    lesson = prepared_lesson(runner, server)  # at its second step
    code = lesson.api.call("POST", f"/api/v1/teachings/{lesson.teaching_id}/join-code", None, 201)
    ines = runner
    ines.goto(f"{server.url}/teachings/{lesson.teaching_id}/observe")
    wait_connected(ines)
    kit = new_page(390, 844)
    join_as_guest(kit, server, lesson.teaching_id, code["join_code"], "Kit")
    first, second = lesson.steps

    text = f"S2 writes 2/3 > 3/4 {uuid4().hex[:6]}"
    ines.locator("#tags").get_by_role("button", name=re.compile("Bigger denominator")).click()
    record(ines, text, seat="G1-S2")
    for page in (ines, kit):
        item = page.locator("#feed .ob-note", has_text=text)
        expect(item.locator(".ob-note__step")).to_have_text("step 2", timeout=LIVE_MS)
        expect(item.locator(".ob-note__subject")).to_have_text("G1-S2")
        expect(item.locator(".ob-note__tags")).to_have_text("Bigger denominator means bigger")

    # It belonged to the launch, and to the group: re-filed, with no anticipated response.
    mine = ines.locator("#feed .ob-note", has_text=text)
    mine.get_by_role("button", name="Amend").click()
    form = ines.locator("#feed .ob-amend")
    form.get_by_label("Step").select_option(first["id"])
    form.get_by_label("About").select_option(label="G1 (the group)")
    form.get_by_role("button", name="Unanticipated").click()
    ines.get_by_role("button", name="Save").click()
    for page in (ines, kit):
        item = page.locator("#feed .ob-note", has_text=text)
        expect(item.locator(".ob-note__step")).to_have_text("step 1", timeout=LIVE_MS)
        expect(item.locator(".ob-note__subject")).to_have_text("G1")
        expect(item.locator(".ob-note__tags")).to_have_text("unanticipated")
    note = stored_notes(lesson.api, lesson.teaching_id)[text]
    assert note["step_id"] == first["id"], note
    assert (note["subject_kind"], note["subject_code"]) == ("group", "G1"), note
    assert (note["response_ids"], note["misconception_ids"], note["unanticipated"]) == (
        [],
        [],
        True,
    ), note

    # Back to the second step, about the whole class, as its correct strategy; the
    # text amended in the same go.
    mine.get_by_role("button", name="Amend").click()
    form.get_by_label("Amended text").fill(text + " then corrects it")
    form.get_by_label("Step").select_option(second["id"])
    form.get_by_label("About").select_option(label="Whole class")
    form.get_by_role("button", name=re.compile("Common denominator")).click()
    ines.get_by_role("button", name="Save").click()
    refiled = text + " then corrects it"
    item = kit.locator("#feed .ob-note", has_text=refiled)
    expect(item.locator(".ob-note__step")).to_have_text("step 2", timeout=LIVE_MS)
    expect(item.locator(".ob-note__subject")).to_have_text("Whole class")
    expect(item.locator(".ob-note__tags")).to_have_text("Common denominator: 9/12 > 8/12")
    note = stored_notes(lesson.api, lesson.teaching_id)[refiled]
    strategy = next(r for r in second["responses"] if r["kind"] == "correct_strategy")
    assert (note["step_id"], note["subject_kind"], note["subject_code"]) == (
        second["id"],
        "whole_class",
        None,
    ), note
    assert (note["response_ids"], note["unanticipated"]) == ([strategy["id"]], False), note
    expect(ines.locator("#waiting")).to_have_attribute("data-count", "0", timeout=LIVE_MS)

"""A team as it starts out, through the pages: three new accounts (a founder who plans
and facilitates, an instructor and an observer, the two joining with invitation links),
a task and a planned lesson; the lesson's steps, layout and anticipated responses are
written over the REST API (the planning pages have their own tests). Shared by the
tests of finding a lesson under way and of the projector."""

from __future__ import annotations

import re
import struct
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from browser.flows import LIVE_MS, define_task, form_team, invite_link, join, person, sign_up
from browser.flows import start_lesson as start_planning
from browser.observing import LAYOUT, Api
from playwright.sync_api import Page
from support.live_server import LiveServer

TITLE = "Which is larger, 3/4 or 2/3?"
FOUNDER, INSTRUCTOR, OBSERVER = "Farah Okafor", "Ines Moreau", "Olu Bakare"
MISCONCEPTION = "Bigger denominator means bigger"
# Counts every click on the page, across navigations of the same tab (sessionStorage
# outlives the page that was clicked): how many taps it took to get somewhere.
TAP_COUNTER = """
addEventListener("click", () => {
  sessionStorage.setItem("taps", String(Number(sessionStorage.getItem("taps") || "0") + 1));
}, true);
"""


@dataclass(frozen=True)
class Team:
    founder: Page
    instructor: Page
    observer: Page
    team_url: str
    lesson_id: str
    founder_api: Api


def team_of_three(new_page: Callable[..., Page], server: LiveServer) -> Team:
    founder = new_page(1280, 900)
    sign_up(founder, server, person(FOUNDER))
    team_url = form_team(founder, server, "Year 5 fractions")
    define_task(founder, statement="Which is larger, 3/4 or 2/3? Explain.", topic="Fractions")
    plan_url = start_planning(founder, TITLE)
    found = re.search(r"/lessons/([0-9a-f-]+)/plan", plan_url)
    assert found, plan_url
    lesson_id = found[1]
    api = Api(founder, server)
    base = f"/api/v1/lessons/{lesson_id}/plan"
    revision = api.call("GET", base)["revision"]
    api.call("PUT", f"{base}/fields/class_layout", {"value": LAYOUT, "base_revision": revision})
    for activity in ("Launch: read the task together", "Groups compare the fractions"):
        api.call("POST", f"{base}/steps", {"fields": {"activity": activity}}, 201)
    second = api.call("GET", base)["steps"][1]["id"]
    for kind, text in (("misconception", MISCONCEPTION), ("correct_strategy", "9/12 > 8/12")):
        api.call("POST", f"{base}/steps/{second}/responses", {"kind": kind, "text": text}, 201)

    instructor = new_page(1280, 900)
    join(instructor, server, person(INSTRUCTOR), invite_link(founder, team_url, "instructor"))
    observer = new_page(390, 844)
    observer.context.add_init_script(TAP_COUNTER)
    join(observer, server, person(OBSERVER), invite_link(founder, team_url, "observer"))
    return Team(founder, instructor, observer, team_url, lesson_id, api)


def reset_taps(page: Page) -> None:
    page.evaluate("sessionStorage.setItem('taps', '0')")


def taps(page: Page) -> int:
    return int(page.evaluate("sessionStorage.getItem('taps') || '0'"))


def open_once_listed(page: Page, url: str, selector: str, *, present: bool = True) -> None:
    """Open url, again until selector is there (or gone): the dashboard's lists come
    from a read model that follows the log a moment behind a write made elsewhere."""
    deadline = time.monotonic() + LIVE_MS / 1000
    while True:
        page.goto(url)
        if (page.locator(selector).count() > 0) == present or time.monotonic() > deadline:
            return
        page.wait_for_timeout(150)


def no_sideways_scroll(page: Page, selector: str = "html") -> bool:
    """Whether what selector names fits its box: nothing to scroll to the side."""
    return bool(page.eval_on_selector(selector, "(box) => box.scrollWidth <= box.clientWidth"))


def drawing(width: int = 240, height: int = 120) -> bytes:
    """A PNG of student work big enough to see on a screenshot: two bars, 3/4 and 2/3
    of the width, grey on white (made here, so the test needs no image file)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    def row(y: int) -> bytes:
        half = height // 2
        filled = (width * 3 // 4 if y < half else width * 2 // 3) if 8 <= y % half < half - 8 else 0
        return b"\x00" + b"\x50" * filled + b"\xff" * (width - filled)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    pixels = zlib.compress(b"".join(row(y) for y in range(height)))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )

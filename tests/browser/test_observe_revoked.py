"""An observer removed from the team while her page is open: the page says so, stays
off instead of reconnecting forever, and hears no more of the room."""

from __future__ import annotations

from collections.abc import Callable
from uuid import uuid4

from browser.flows import LIVE_MS, PASSWORD
from browser.observing import Api, feed_texts, prepared_lesson, record, wait_connected
from playwright.sync_api import Page, expect
from support.live_server import LiveServer


def test_a_removed_observer_s_page_says_so_and_stops(
    new_page: Callable[..., Page], server: LiveServer
) -> None:
    ines = new_page()
    lesson = prepared_lesson(ines, server)
    obi = new_page(820, 1180)
    obi.goto(server.url + "/")
    obi_api = Api(obi, server)
    email = f"obi-{uuid4().hex[:8]}@school.example"
    account = {"email": email, "display_name": "Obi", "password": PASSWORD}
    obi_id = obi_api.call("POST", "/api/v1/accounts", account, 201)["person"]["id"]
    team_id = lesson.api.call("GET", f"/api/v1/teachings/{lesson.teaching_id}")["team_id"]
    member = {"email": email, "roles": ["observer"]}
    lesson.api.call("POST", f"/api/v1/teams/{team_id}/members", member, 201)
    ines.goto(f"{server.url}/teachings/{lesson.teaching_id}/observe")
    obi.goto(f"{server.url}/teachings/{lesson.teaching_id}/observe")
    wait_connected(ines)
    wait_connected(obi)

    lesson.api.call("DELETE", f"/api/v1/teams/{team_id}/members/{obi_id}")
    connection = obi.locator("#connection")
    expect(connection).to_have_attribute("data-state", "refused", timeout=LIVE_MS)
    expect(obi.locator("#compose-error")).to_contain_text("Not connected")
    record(ines, "After Obi left: S3 folds the paper strip")
    expect(ines.locator("#feed")).to_contain_text("folds the paper strip", timeout=LIVE_MS)
    obi.wait_for_timeout(1500)  # longer than a reconnect would take
    expect(connection).to_have_attribute("data-state", "refused")
    assert not any("folds the paper strip" in text for text in feed_texts(obi))

"""Signing up, out and in, in the browser; pages need a signed-in person."""

from __future__ import annotations

import re
from collections.abc import Callable

from browser.flows import PASSWORD, form_team, person, sign_up
from playwright.sync_api import Page, expect
from support.live_server import LiveServer


def test_sign_up_sign_out_and_sign_in_again(
    server: LiveServer, new_page: Callable[..., Page]
) -> None:
    page = new_page()
    ana = person("Ana Souza")

    page.goto(f"{server.url}/")
    expect(page).to_have_url(re.compile(r"/sign-in\?next=/$"))  # not signed in yet

    sign_up(page, server, ana)
    expect(page.get_by_role("heading", name="My teams")).to_be_visible()
    expect(page.locator(".who__name")).to_have_text(ana.name)
    team_url = form_team(page, server, "Hillside Year 7 maths")

    page.get_by_role("button", name="Sign out").click()
    page.goto(team_url)
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()

    page.get_by_label("E-mail").fill(ana.email)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("e-mail or password is not right")

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(team_url)  # back where they were going
    expect(page.get_by_role("heading", level=1)).to_have_text("Hillside Year 7 maths")


def test_sign_up_names_what_is_wrong(server: LiveServer, new_page: Callable[..., Page]) -> None:
    page = new_page()
    ana = person("Ana Souza")
    sign_up(page, server, ana)
    page.get_by_role("button", name="Sign out").click()

    sign_up(page, server, ana)  # the same e-mail again
    expect(page.get_by_role("alert")).to_contain_text("an account with this e-mail already exists")
    expect(page.get_by_label("E-mail")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Your name")).to_have_value(ana.name)  # nothing typed is lost

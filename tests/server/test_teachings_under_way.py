"""Finding a teaching: the dashboard's card and the banner link to a lesson under way,
each link saying which class and when, and the pages of a teaching name the lesson."""

from __future__ import annotations

import re

from server.site import ok
from server.test_pages import page
from server.world import World

STARTED = r"started \d{1,2} \w{3} \d{4}, \d{2}:\d{2} UTC"
BANNER = "A lesson you can observe is under way"


def schedule(world: World, class_label: str, *, start: bool) -> str:
    body = {"instructor_id": world.ana.id, "class_label": class_label}
    teaching_id: str = ok(
        world.ana.post(f"/api/v1/lessons/{world.lesson_id}/teachings", body), 201
    )["id"]
    if start:
        ok(world.ana.post(f"/api/v1/teachings/{teaching_id}/start", {}))
    return teaching_id


def link(html: str, href: str) -> str:
    """The text of the link to href (its hidden words included), tags removed."""
    found = re.search(rf'<a [^>]*href="{re.escape(href)}"[^>]*>(.*?)</a>', html, re.S)
    assert found, f"no link to {href}"
    return re.sub(r"<[^>]+>", "", found[1])


def main_of(html: str) -> str:
    """The page without its header and banner."""
    return html.split('<main id="main"', 1)[1]


def test_the_card_links_each_teaching_not_ended_with_its_class_and_date(world: World) -> None:
    w = world
    ended = schedule(w, "6A", start=True)
    ok(w.ana.post(f"/api/v1/teachings/{ended}/end"))
    waiting = schedule(w, "6B", start=False)
    now = schedule(w, "6C", start=True)
    w.site.settle()

    seen_by_observer = main_of(page(w.obi.client.get(f"/teams/{w.team_id}")))
    assert re.fullmatch(
        rf"Observe 6C, {STARTED}", link(seen_by_observer, f"/teachings/{now}/observe")
    )
    assert re.fullmatch(
        rf"Projector 6C, {STARTED}", link(seen_by_observer, f"/teachings/{now}/facilitate")
    )
    assert link(seen_by_observer, f"/teachings/{waiting}/observe") == "Observe 6B, not started yet"
    assert f"/teachings/{ended}/" not in seen_by_observer  # its discussion is linked instead
    assert '/teach"' not in seen_by_observer  # an observer does not run lessons
    # Under way first.
    assert seen_by_observer.index(f"/teachings/{now}/") < seen_by_observer.index(
        f"/teachings/{waiting}/"
    )

    seen_by_runner = main_of(page(w.ana.client.get(f"/teams/{w.team_id}")))
    assert re.fullmatch(
        rf"Run the lesson 6C, {STARTED}", link(seen_by_runner, f"/teachings/{now}/teach")
    )
    # The plan's Teach page lists every teaching, the ended one too, newest first.
    listed = main_of(page(w.ana.client.get(f"/lessons/{w.lesson_id}/teach")))
    assert re.fullmatch(
        rf"Observe 6A, taught {STARTED[8:]}", link(listed, f"/teachings/{ended}/observe")
    )
    assert listed.index(now) < listed.index(waiting) < listed.index(ended)


def test_the_banner_shows_members_a_lesson_under_way_until_it_ends(world: World) -> None:
    w = world
    schedule(w, "6B", start=False)
    w.site.settle()
    assert BANNER not in page(w.obi.client.get("/"))

    now = schedule(w, "6C", start=True)
    w.site.settle()
    for where in ("/", f"/teams/{w.team_id}", f"/lessons/{w.lesson_id}/plan"):
        html = page(w.obi.client.get(where))
        assert BANNER in html, where
        assert re.search(r"Which bag\?</strong> · 6C, " + STARTED, html), where
        assert link(html, f"/teachings/{now}/observe").startswith("Observe Which bag?, 6C")
    # Not for someone on no team, nor on the pages of the teaching itself.
    assert BANNER not in page(w.nia.client.get("/"))
    for view in ("observe", "facilitate", "teach"):
        assert BANNER not in page(w.ana.client.get(f"/teachings/{now}/{view}")), view

    ok(w.ana.post(f"/api/v1/teachings/{now}/end"))
    w.site.settle()
    assert BANNER not in page(w.obi.client.get("/"))


def test_the_pages_of_a_teaching_name_the_lesson(world: World) -> None:
    w = world
    now = schedule(w, "6C", start=True)
    for view in ("observe", "facilitate", "teach"):
        html = page(w.ana.client.get(f"/teachings/{now}/{view}"))
        assert re.search(r"<title>[^<]*Which bag\?[^<]*</title>", html), view
        assert re.search(r"<(h1|strong)[^>]*>.*Which bag\?", html), view

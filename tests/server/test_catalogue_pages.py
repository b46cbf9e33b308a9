"""The catalogue's pages: browse and search, a task's page, an entry's page, and a
school's read-only link; who sees them, what they refuse, and that user text stays text."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from server.site import Person, Site, ok
from server.test_pages import page
from server.world import World

from lessonstudy.imports import import_entries, read_mae

MAE = Path(__file__).resolve().parents[3] / "shared" / "data" / "mae" / "data.json"
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def teach(world: World, notes: list[tuple[str, str, list[str], list[str]]]) -> str:
    """The world's lesson taught once, with Obi's notes (seat code, text, responses, tags)."""
    service, ana = world.site.services.service, world.ana
    body = {"instructor_id": ana.id, "class_label": "6A"}
    teaching_id: str = ok(ana.post(f"/api/v1/lessons/{world.lesson_id}/teachings", body), 201)["id"]
    ok(ana.post(f"/api/v1/teachings/{teaching_id}/start", {}))
    for number, (code, text, responses, tags) in enumerate(notes):
        service.record_note(
            actor_id=world.obi.id,
            teaching_id=teaching_id,
            note_id=f"note-{number}",
            subject_kind="seat",
            subject_code=code,
            kind="student_talk",
            text=text,
            step_id=world.step_id,
            response_ids=responses,
            misconception_ids=tags,
        )
    world.site.settle()
    return teaching_id


@pytest.fixture
def taught(world: World) -> str:
    return teach(
        world,
        [
            ("G1-S1", "B has more red, so B", ["r1"], []),
            ("G1-S2", "B because 6 > 3", ["r1"], []),
            ("G2-S1", "Three red is fewer", [], [world.misconception_id]),
        ],
    )


@pytest.fixture
def memory_taught(memory_world: World) -> str:
    return teach(memory_world, [("G1-S1", "B has more red, so B", ["r1"], [])])


def form_post(person: Person, path: str) -> Any:
    return person.client.post(path, data={}, headers={"X-CSRFToken": person.csrf})


def curator(world: World, name: str = "Cat") -> Person:
    person = world.site.sign_up(name)
    body = {"email": f"{name.lower()}@school.example", "roles": ["curator"]}
    ok(world.ana.post(f"/api/v1/teams/{world.team_id}/members", body), 201)
    return person


# --- browse and search ---------------------------------------------------------------


def test_browse_search_and_export_links(world: World, taught: str) -> None:
    html = page(world.nia.get("/catalogue"))  # on no team: the catalogue is for everyone
    assert "More red balls means a better chance" in html
    assert f'href="/catalogue/tasks/{world.task_id}"' in html
    assert re.search(r">probability</a> <span[^>]*>1 task · 1 entry</span>", html)
    assert 'href="/api/v1/catalogue/export?format=csv"' in html
    assert "the whole catalogue" in html

    found = page(world.nia.get("/catalogue?q=more+RED"))
    assert "1 misconception matches “more RED”" in found
    assert f'href="/catalogue/misconceptions/{world.misconception_id}"' in found
    assert 'href="/api/v1/catalogue/export?q=more+RED&amp;format=csv"' in found
    assert "these results" in found
    assert "Nothing matches “zebra”" in page(world.nia.get("/catalogue?q=zebra"))

    results = page(world.nia.get("/catalogue?q=more&fragment=results"))
    assert results.lstrip().startswith('<div id="results"') and "<html" not in results

    one_task = page(world.nia.get(f"/catalogue?task_id={world.task_id}"))
    assert "task: probability: Bag A has 3 red and 1 white" in one_task
    assert "More red balls means a better chance" in one_task

    facet = page(world.nia.get("/catalogue?topic=geometry"))
    assert "No misconceptions here yet." in facet and "No tasks match." in facet
    assert 'aria-label="Remove topic geometry"' in facet


def test_an_imported_taxonomy_is_browsed_by_its_topics(memory_world: World) -> None:
    w = memory_world
    entries, _ = read_mae(MAE.read_text(encoding="utf-8"))
    import_entries(w.site.services.service, "MaE", entries)
    w.site.settle()
    html = page(w.nia.get("/catalogue"))
    # MaE's entries have topics but no tasks: each of its 8 topics is there to browse.
    assert re.search(r">Number Operations</a> <span[^>]*>17 entries</span>", html)
    assert re.search(r">Mathematics</a> <span[^>]*>55 entries</span>", html)
    topic = page(w.nia.get("/catalogue?topic=Algebraic+representations"))
    assert 'Misconceptions, most observed first <span class="muted small">(2)</span>' in topic
    assert '<span class="code">MaE ' in topic and "No tasks match." in topic
    everything = page(w.nia.get("/catalogue"))
    assert "page 1 of 3" in everything and 'href="/catalogue?page=2"' in everything
    second = page(w.nia.get("/catalogue?page=2&subject=Mathematics"))
    assert '<ol class="entry-list" start="21">' in second and "page 2 of 3" in second
    assert 'rel="prev" href="/catalogue?page=1&amp;subject=Mathematics"' in second
    entry_id = re.search(r'href="/catalogue/misconceptions/([0-9a-f-]{36})"', topic)
    assert entry_id
    entry = page(w.nia.get(f"/catalogue/misconceptions/{entry_id.group(1)}"))
    assert "Published examples" in entry and "Published taxonomy <strong>MaE</strong>" in entry


def test_the_pages_need_a_signed_in_person(memory_world: World, memory_taught: str) -> None:
    w = memory_world
    for path in (
        "/catalogue?q=red",
        f"/catalogue/tasks/{w.task_id}",
        f"/catalogue/misconceptions/{w.misconception_id}",
    ):
        answer = w.visitor.client.get(path)
        assert answer.status_code == 302, path
        assert answer.headers["Location"].startswith("/sign-in?next=/catalogue"), path


def test_bad_queries_are_refused_naming_the_field(memory_world: World) -> None:
    w, head = memory_world, memory_world.site.head()
    too_long = page(w.nia.get("/catalogue?q=" + "x" * 201), 422)
    assert "<strong>q</strong>: Longer than maximum length 200." in too_long
    assert "<strong>page</strong>" in page(w.nia.get("/catalogue?page=0"), 422)
    unknown = page(w.nia.get("/catalogue?colour=red"), 422)
    assert "<strong>colour</strong>: Unknown field." in unknown
    assert "<strong>task_id</strong>" in page(w.nia.get("/catalogue?task_id=nope"), 422)
    missing = "00000000-0000-4000-8000-000000000000"
    assert "no task" in page(w.nia.get(f"/catalogue/tasks/{missing}"), 404)
    assert "no misconception" in page(w.nia.get(f"/catalogue/misconceptions/{missing}"), 404)
    assert w.nia.get("/catalogue/tasks/not-an-id").status_code == 404
    assert w.site.head() == head, "reading the catalogue wrote to the log"


# --- a task's page ------------------------------------------------------------------------


def test_a_task_page_ranks_with_numbers_quotes_and_both_charts(world: World, taught: str) -> None:
    html = page(world.nia.get(f"/catalogue/tasks/{world.task_id}"))
    assert "Bag A has 3 red and 1 white ball" in html  # the task statement
    assert "<strong>1 misconception</strong> known for this task" in html
    card = html[html.index('id="ranked-heading"') :]
    for number in (
        '<span class="numbers__n">3</span> notes',  # observed
        '<span class="numbers__n">3</span> distinct',  # students
        'observed in <span class="numbers__n">1</span>',  # teachings
        'anticipated in <span class="numbers__n">1</span>',  # plans
        'confirmed <span class="numbers__n">0</span>',
    ):
        assert number in card, number
    assert "B has more red, so B" in card and "Three red is fewer" in card
    assert '<span class="code">G2-S1</span>' in card
    # The frequency chart writes its numbers as text beside the bar.
    chart = html[html.index('id="freq-caption"') : html.index('id="avo-caption"')]
    assert "<strong>3 notes</strong>, 3 students" in chart and 'style="width: 100.0%"' in chart
    # Anticipated vs observed: the world's one anticipated response occurred.
    compared = html[html.index('id="avo-caption"') : html.index('id="ranked-heading"')]
    assert "1 of 1 anticipated responses occurred" in compared
    assert "B, it has more red" in compared and "in 1 of 1 lesson" in compared
    assert "Nothing unanticipated was noted." in compared
    # Export this task's entries; a print stylesheet.
    assert f"/api/v1/catalogue/export?task_id={world.task_id}&amp;format=csv" in html
    assert 'href="/static/css/catalogue_print.css" media="print"' in html
    # Quotes are anonymised: nobody's name, no class label.
    assert "Obi" not in card and "Ana" not in card and "6A" not in card


def test_a_task_with_nothing_yet_says_so(memory_world: World) -> None:
    html = page(memory_world.nia.get(f"/catalogue/tasks/{memory_world.task_id}"))
    assert "1 misconception" in html  # the world's plan anticipates one
    assert "No quotes yet." in html and "Anticipated, not seen" in html
    assert "(taught" not in html  # never taught: nothing listed as not seen


def test_user_text_is_shown_as_text(memory_world: World) -> None:
    w = memory_world
    task = {
        "statement": f"Task {HOSTILE}",
        "subject": "mathematics",
        "grade": "6",
        "topic": f"topic {HOSTILE}",
        "materials": "",
        "cognitive_demand": "apply",
    }
    task_id = ok(w.ana.post(f"/api/v1/teams/{w.team_id}/tasks", task), 201)["id"]
    entry = {"statement": f"Entry {HOSTILE}", "task_id": task_id}
    entry_id = ok(w.ana.post(f"/api/v1/teams/{w.team_id}/misconceptions", entry), 201)["id"]
    teach(w, [("G1-S1", f"Quote {HOSTILE}", [], [entry_id])])
    for path in (
        "/catalogue",
        "/catalogue?q=entry",
        f"/catalogue?topic=topic+{HOSTILE}",
        f"/catalogue?q={HOSTILE}",
        f"/catalogue/tasks/{task_id}",
        f"/catalogue/misconceptions/{entry_id}",
    ):
        html = page(w.nia.get(path))
        assert "<script>alert" not in html and "<img src=x" not in html, path
        assert "&lt;script&gt;alert(" in html, path


# --- an entry's page ------------------------------------------------------------------------


def test_an_entry_page_shows_a_merge_and_offers_curation_to_curators(
    memory_world: World, memory_taught: str
) -> None:
    w = memory_world
    cat = curator(w)
    other = {"statement": "Picks the bag with more red in it", "task_id": w.task_id}
    other_id = ok(w.ana.post(f"/api/v1/teams/{w.team_id}/misconceptions", other), 201)["id"]
    w.site.services.service.merge_misconceptions(
        actor_id=cat.id, team_id=w.team_id, source_id=other_id, target_id=w.misconception_id
    )
    w.site.settle()

    root = page(w.nia.get(f"/catalogue/misconceptions/{w.misconception_id}"))
    assert "Merged into this entry:" in root and "Picks the bag with more red in it" in root
    assert 'id="curate"' not in root  # not a curator
    assert "B has more red, so B" in root
    merged = page(w.nia.get(f"/catalogue/misconceptions/{other_id}"))
    assert "was merged into this one" in merged and "More red balls means" in merged

    mine = page(cat.get(f"/catalogue/misconceptions/{w.misconception_id}"))
    assert 'id="curate"' in mine and f'<option value="{w.team_id}">Year 6</option>' in mine
    assert 'data-version="' in mine
    assert 'class="button button--quiet button--small hide-quote"' in mine
    assert 'data-note-id="note-0"' in mine


# --- the school's read-only link ------------------------------------------------------------


def open_link(site: Site, world: World) -> str:
    html = page(form_post(world.ana, f"/teams/{world.team_id}/school-link"))
    found = re.search(r'id="school-link" onfocus="this.select\(\)"', html)
    assert found, "the new link is shown"
    link = re.search(r'value="(http://localhost/school/[^"]+)" aria-label="School link"', html)
    assert link, html
    return link.group(1).removeprefix("http://localhost")


def test_a_school_link_opens_the_catalogue_read_only_until_closed(
    memory_world: World, memory_taught: str
) -> None:
    w, site = memory_world, memory_world.site
    team_page = page(w.ana.get(f"/teams/{w.team_id}"))
    assert "Open a school link" in team_page and "Closed." in team_page
    assert "Open a school link" not in page(w.obi.get(f"/teams/{w.team_id}"))  # an observer

    link = open_link(site, w)
    assert link.startswith(f"/school/{w.team_id}/")
    reader = site.visitor()  # no account at all
    home = reader.client.get(link)
    html = page(home)
    assert home.headers["Referrer-Policy"] == "no-referrer"
    assert "read-only, for Hill School" in html and "More red balls" in html
    assert f'href="{link}/tasks/{w.task_id}"' in html  # links keep the token
    assert "Sign out" not in html and "/api/v1/catalogue/export" not in html
    task = page(reader.client.get(f"{link}/tasks/{w.task_id}"))
    assert "B has more red, so B" in task and "Obi" not in task and "6A" not in task
    assert f'href="{link}/misconceptions/{w.misconception_id}"' in task
    entry = page(reader.client.get(f"{link}/misconceptions/{w.misconception_id}"))
    assert "More red balls" in entry and 'id="curate"' not in entry
    exported = reader.client.get(f"{link}/export?format=csv&q=red")
    assert exported.status_code == 200 and exported.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True))))
    assert [row["id"] for row in rows] == [w.misconception_id]
    assert "format" in page(reader.client.get(f"{link}/export?format=xlsx"), 422)
    assert "<strong>q</strong>" in page(reader.client.get(f"{link}?q=" + "x" * 201), 422)

    # Reading writes nothing; a wrong token or another team's id opens nothing.
    head = site.head()
    token = link.rsplit("/", 1)[1]
    assert reader.client.get(f"/school/{w.team_id}/{token[:-1]}x").status_code == 404
    other = "00000000-0000-4000-8000-000000000000"
    assert reader.client.get(f"/school/{other}/{token}").status_code == 404
    assert site.head() == head

    # A new link replaces the old one; closing stops it at once.
    newer = open_link(site, w)
    assert reader.client.get(link).status_code == 404
    assert reader.client.get(newer).status_code == 200
    closed = form_post(w.ana, f"/teams/{w.team_id}/school-link/close")
    assert closed.status_code == 303
    for path in (newer, f"{newer}/tasks/{w.task_id}", f"{newer}/export"):
        assert reader.client.get(path).status_code == 404, path
    after = page(w.ana.get(closed.headers["Location"]))
    assert "The school link is closed" in after and "Open a school link" in after


def test_the_school_link_api_is_for_a_facilitator_or_curator(memory_world: World) -> None:
    w, site = memory_world, memory_world.site
    path = f"/api/v1/teams/{w.team_id}/school-link"
    head = site.head()
    assert w.obi.post(path).status_code == 403  # an observer on the team
    assert w.nia.post(path).status_code == 403  # on no team
    assert w.visitor.post(path).status_code == 401
    assert w.obi.delete(path).status_code == 403
    assert site.head() == head
    cat = curator(w)
    opened = ok(cat.post(path), 201)
    assert opened["url"] == f"http://localhost/school/{w.team_id}/{opened['token']}"
    reader = site.visitor()
    assert reader.client.get(f"/school/{w.team_id}/{opened['token']}").status_code == 200
    assert cat.delete(path).status_code == 204
    assert reader.client.get(f"/school/{w.team_id}/{opened['token']}").status_code == 404
    assert form_post(w.obi, f"/teams/{w.team_id}/school-link").status_code == 403


def test_a_school_name_is_shown_as_text_on_its_link(memory_world: World) -> None:
    w = memory_world
    team = {"name": "T", "school": f"School {HOSTILE}"}
    team_id = ok(w.ana.post("/api/v1/teams", team), 201)["id"]
    opened = ok(w.ana.post(f"/api/v1/teams/{team_id}/school-link"), 201)
    html = page(w.visitor.client.get(opened["url"].removeprefix("http://localhost")))
    assert "read-only, for School &lt;script&gt;alert(" in html
    assert "<script>alert" not in html and "<img src=x" not in html
    team_page = page(w.ana.get(f"/teams/{team_id}"))
    assert "Colleagues at School &lt;script&gt;" in team_page

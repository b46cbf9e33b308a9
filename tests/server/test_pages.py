"""The server-rendered pages: who sees them, what they escape, where forms lead."""

from __future__ import annotations

import re

from server.site import PASSWORD, Site, ok
from server.world import World
from werkzeug.test import TestResponse


def page(answer: TestResponse, status: int = 200) -> str:
    """The HTML of a page that must have this status (pages answer in HTML, even errors)."""
    text = answer.get_data(as_text=True)
    assert answer.status_code == status, (answer.status_code, text)
    assert answer.mimetype == "text/html"
    return text


def csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "every form carries the CSRF token"
    return found.group(1)


def test_pages_need_a_signed_in_person_and_come_back_after(memory_world: World) -> None:
    w = memory_world
    answer = w.visitor.client.get(f"/lessons/{w.lesson_id}/plan")
    assert answer.status_code == 302
    assert answer.headers["Location"] == f"/sign-in?next=/lessons/{w.lesson_id}/plan"

    form = page(w.visitor.client.get(answer.headers["Location"]))
    signed_in = w.visitor.client.post(
        "/sign-in",
        data={
            "email": "ana@school.example",
            "password": PASSWORD,
            "next": f"/lessons/{w.lesson_id}/plan",
            "csrf_token": csrf(form),
        },
    )
    assert signed_in.status_code == 303
    assert signed_in.headers["Location"] == f"/lessons/{w.lesson_id}/plan"


def test_sign_in_goes_back_only_to_this_site(memory_site: Site) -> None:
    memory_site.sign_up("Ana")
    client = memory_site.app.test_client()
    token = csrf(page(client.get("/sign-in")))
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        answer = client.post(
            "/sign-in",
            data={
                "email": "ana@school.example",
                "password": PASSWORD,
                "next": target,
                "csrf_token": token,
            },
        )
        assert (answer.status_code, answer.headers["Location"]) == (303, "/"), target
        client.post("/sign-out", data={"csrf_token": csrf(page(client.get("/")))})
        token = csrf(page(client.get("/sign-in")))


def test_forms_without_the_csrf_token_are_refused(memory_site: Site) -> None:
    memory_site.sign_up("Ana")
    client = memory_site.app.test_client()
    answer = client.post("/sign-in", data={"email": "ana@school.example", "password": PASSWORD})
    assert answer.status_code == 400
    assert client.get("/").status_code == 302  # still signed out


def test_a_failed_sign_in_is_401_and_keeps_the_email(memory_site: Site) -> None:
    memory_site.sign_up("Ana")
    client = memory_site.app.test_client()
    html = page(
        client.post(
            "/sign-in",
            data={
                "email": "ana@school.example",
                "password": "wrong",
                "csrf_token": csrf(page(client.get("/sign-in"))),
            },
        ),
        401,
    )
    assert "e-mail or password is not right" in html
    assert 'value="ana@school.example"' in html


def test_only_the_team_sees_its_lesson_pages_and_only_planners_edit(memory_world: World) -> None:
    w = memory_world
    for path in ("plan", "history", "print"):
        html = page(w.nia.get(f"/lessons/{w.lesson_id}/{path}"), 403)
        assert "Not your team" in html  # a page, not the API's JSON
    assert page(w.nia.get(f"/teams/{w.team_id}"), 403)
    page(w.ana.get("/lessons/00000000-0000-0000-0000-000000000000/plan"), 404)

    assert 'data-may-edit="true"' in page(w.ana.get(f"/lessons/{w.lesson_id}/plan"))
    observer = page(w.obi.get(f"/lessons/{w.lesson_id}/plan"))
    assert 'data-may-edit="false"' in observer and "read-only" in observer


def test_user_text_is_escaped_on_every_page(memory_world: World) -> None:
    w = memory_world
    title = "<script>alert('x')</script>Which bag?"
    ok(w.ana.put(f"{w.plan}/fields/title", {"value": title, "base_revision": w.revision()}))
    w.site.settle()
    pages = [
        f"/teams/{w.team_id}",
        f"/tasks/{w.task_id}",
        f"/lessons/{w.lesson_id}/plan",
        f"/lessons/{w.lesson_id}/history",
        f"/lessons/{w.lesson_id}/print",
    ]
    for path in pages:
        html = page(w.ana.get(path))
        assert "<script>alert" not in html, path
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;Which bag?" in page(
        w.ana.get(f"/lessons/{w.lesson_id}/print")
    )
    # The page data a script reads is JSON that cannot close its <script> element.
    plan = page(w.ana.get(f"/lessons/{w.lesson_id}/plan"))
    data = plan.split('id="page-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data


def test_the_print_view_shows_any_revision(memory_world: World) -> None:
    w = memory_world
    latest = w.revision()
    old = page(w.ana.get(f"/lessons/{w.lesson_id}/print?revision=1"))
    assert "revision 1</strong>" in old and f"the latest is {latest}" in old
    assert "Show both bags" not in old  # the step came later
    assert "Show both bags" in page(w.ana.get(f"/lessons/{w.lesson_id}/print"))
    page(w.ana.get(f"/lessons/{w.lesson_id}/print?revision=abc"), 422)


def test_a_task_is_defined_and_revised_through_its_form(memory_world: World) -> None:
    w = memory_world
    form = page(w.ana.get(f"/teams/{w.team_id}/tasks/new"))
    fields = {
        "statement": "Which spinner gives the better chance of blue?",
        "subject": "Mathematics",
        "grade": "7",
        "topic": "Probability",
        "materials": "",
        "cognitive_demand": "evaluate",
        "csrf_token": csrf(form),
    }
    missing = w.ana.client.post(
        f"/teams/{w.team_id}/tasks", data={**fields, "cognitive_demand": ""}
    )
    assert "cognitive_demand must be one of" in page(missing, 422)
    made = w.ana.client.post(f"/teams/{w.team_id}/tasks", data=fields)
    assert made.status_code == 303
    task_page = page(w.ana.get(made.headers["Location"]))
    assert 'value="evaluate" required checked' in task_page
    revised = w.ana.client.post(
        made.headers["Location"].split("?")[0], data={**fields, "cognitive_demand": "analyse"}
    )
    assert 'value="analyse" required checked' in page(w.ana.get(revised.headers["Location"]))


def test_an_invitation_link_is_shown_once_and_joins_the_team(memory_world: World) -> None:
    w = memory_world
    dashboard = page(w.ana.get(f"/teams/{w.team_id}"))
    answer = w.ana.client.post(
        f"/teams/{w.team_id}/invitations", data={"roles": "planner", "csrf_token": csrf(dashboard)}
    )
    link = re.search(
        r'id="invitation-link"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*id="invitation-link"',
        page(answer),
    )
    assert link
    path = "/join/" + (link.group(1) or link.group(2)).rsplit("/join/", 1)[1]
    joined = w.nia.client.post(path, data={"csrf_token": csrf(page(w.nia.get(path)))})
    assert joined.status_code == 303 and joined.headers["Location"] == f"/teams/{w.team_id}"
    assert "Which bag?" in page(w.nia.get(joined.headers["Location"]))

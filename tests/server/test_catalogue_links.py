"""The task editor links to the task's catalogue page, only when the catalogue has
something for the task."""

from __future__ import annotations

from server.site import TASK, ok
from server.test_pages import page
from server.world import World

ELSEWHERE = "How students have misunderstood this task elsewhere"


def test_a_task_with_catalogued_misconceptions_links_to_its_catalogue_page(
    memory_world: World,
) -> None:
    w = memory_world
    w.site.settle()
    html = page(w.obi.client.get(f"/tasks/{w.task_id}"))
    assert ELSEWHERE in html
    assert "The catalogue knows 1 misconception for this task" in html
    assert f'href="/catalogue/tasks/{w.task_id}"' in html
    # The link leads to the task's page in the catalogue, with the misconception on it.
    assert "More red balls means a better chance" in page(
        w.obi.client.get(f"/catalogue/tasks/{w.task_id}")
    )


def test_a_task_the_catalogue_knows_nothing_about_has_no_link(memory_world: World) -> None:
    w = memory_world
    task_id = ok(w.ana.post(f"/api/v1/teams/{w.team_id}/tasks", {**TASK, "topic": "Area"}), 201)[
        "id"
    ]
    w.site.settle()
    html = page(w.ana.client.get(f"/tasks/{task_id}"))
    assert ELSEWHERE not in html and f"/catalogue/tasks/{task_id}" not in html
    statement = {"statement": "Area grows as the perimeter grows", "task_id": task_id}
    ok(w.ana.post(f"/api/v1/teams/{w.team_id}/misconceptions", statement), 201)
    w.site.settle()
    html = page(w.ana.client.get(f"/tasks/{task_id}"))
    assert ELSEWHERE in html and f'href="/catalogue/tasks/{task_id}"' in html

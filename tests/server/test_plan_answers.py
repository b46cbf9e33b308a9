"""The plan API's GET answer is encoded once per revision and reused: it must always be
the plan as it stands (or stood at ?revision=N), as the edits' own answers show it,
also when another process changed the plan."""

from __future__ import annotations

from pathlib import Path

from server.site import PASSWORD, Person, SiteFactory, ok
from server.world import World, build_world


def test_the_plan_read_again_is_the_plan_each_edit_answered_with(world: World) -> None:
    first = ok(world.obi.get(world.plan))
    assert ok(world.obi.get(world.plan)) == first  # the same revision, answered again
    step = f"{world.plan}/steps/{world.step_id}/fields/activity"
    body = {"value": "Show both bags, then ask", "base_revision": first["revision"]}
    edited = ok(world.ana.put(step, body))
    now = ok(world.obi.get(world.plan))
    assert now["revision"] == first["revision"] + 1 == edited["revision"]
    # The edit's answer is dumped by the schema on the spot; the GET's is the kept one.
    assert now == edited["plan"]
    assert now["steps"][0]["activity"] == "Show both bags, then ask"
    # An earlier revision reads as it did, before and after the cache holds the newer one.
    assert ok(world.obi.get(f"{world.plan}?revision={first['revision']}")) == first


def test_a_plan_changed_by_another_process_is_read_as_it_is_now(
    make_site: SiteFactory, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path}/lessonstudy.db"
    world = build_world(make_site(url))
    other = make_site(url)  # a second server process on the same database
    ana = Person(other.app.test_client(), "Ana")
    ana.refresh_token()
    ok(ana.post("/api/v1/session", {"email": "ana@school.example", "password": PASSWORD}))
    ana.refresh_token()
    seen = ok(world.obi.get(world.plan))
    body = {"value": "Which bag, and why?", "base_revision": seen["revision"]}
    ok(ana.put(f"{world.plan}/fields/title", body))
    now = ok(world.obi.get(world.plan))
    assert now["revision"] == seen["revision"] + 1
    assert now["fields"]["title"] == "Which bag, and why?"

"""Two planners write one plan through the API, on every store the product supports."""

from __future__ import annotations

from server.site import SiteFactory, error, ok
from server.world import build_world, planner


def test_two_planners_write_one_plan(make_site: SiteFactory, database_url: str) -> None:
    site = make_site(database_url)
    world = build_world(site)
    pat = planner(world)
    plan = world.plan
    base = world.revision()

    # Both start from the same revision: different parts merge, the same part conflicts.
    ok(world.ana.put(f"{plan}/fields/lesson_goals", {"value": "Compare", "base_revision": base}))
    ok(pat.put(f"{plan}/steps/s1/fields/minutes", {"value": 15, "base_revision": base}))
    clash = pat.put(f"{plan}/fields/lesson_goals", {"value": "Explain", "base_revision": base})
    current = error(clash, 409)["current"]
    assert (current["value"], current["changed_by_name"]) == ("Compare", "Ana")
    # Pat reads what Ana wrote and builds on it from the revision the conflict names.
    merged = {"value": "Compare, then explain", "base_revision": current["revision"]}
    ok(pat.put(f"{plan}/fields/lesson_goals", merged))

    ok(pat.post(f"{plan}/steps", {"step_id": "s2", "fields": {"activity": "Pairs test it"}}), 201)
    ok(world.ana.post(f"{plan}/steps/s2/move", {"position": 0}))
    body = {"kind": "correct_strategy", "text": "3/4 and 6/8 are equal"}
    ok(world.ana.post(f"{plan}/steps/s2/responses", body), 201)

    final = ok(world.obi.get(plan))
    assert final["fields"]["lesson_goals"] == "Compare, then explain"
    assert [s["id"] for s in final["steps"]] == ["s2", "s1"]
    assert final["steps"][1]["minutes"] == 15
    assert final["last_changed"]["lesson_goals"]["by_name"] == "Pat"

    history = ok(world.obi.get(f"/api/v1/lessons/{world.lesson_id}/history"))
    assert [h["revision"] for h in history] == list(range(1, final["revision"] + 1))
    assert history[-1]["summary"] == "anticipated a correct strategy in step 1"
    diff = ok(world.obi.get(f"/api/v1/lessons/{world.lesson_id}/diff?from={base}"))
    assert {c["label"] for c in diff["changes"]} >= {"Lesson goals", "Step 2 · Minutes", "Step 1"}
    markdown = world.obi.get(f"/api/v1/lessons/{world.lesson_id}/plan.md").get_data(as_text=True)
    assert "| **1.** Pairs test it |" in markdown

    site.settle()
    [lesson] = ok(world.obi.get(f"/api/v1/teams/{world.team_id}/lessons"))
    assert lesson["revision"] == final["revision"]
    found = ok(world.obi.get(f"/api/v1/misconceptions?q=RED+BALLS&task_id={world.task_id}"))
    assert [m["id"] for m in found] == [world.misconception_id]

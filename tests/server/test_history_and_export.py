"""The plan's history in plain words, the diff between revisions, and the Markdown export."""

from __future__ import annotations

import re

from server.site import ok, refused
from server.world import World, planner

UNKNOWN = "00000000-0000-4000-8000-000000000000"


def test_the_history_says_who_changed_what_and_why(world: World) -> None:
    pat = planner(world)
    ok(world.ana.post(f"{world.plan}/steps", {"step_id": "s0", "position": 0}), 201)
    base = world.revision()
    change = {"value": "Which bag?", "base_revision": base, "reason": "the heart of it"}
    ok(pat.put(f"{world.plan}/steps/s1/fields/key_question", change))
    history = ok(world.obi.get(f"/api/v1/lessons/{world.lesson_id}/history"))
    assert [h["revision"] for h in history] == list(range(1, base + 2))
    assert (
        history[0]["event"] == "Planned"
        and history[0]["summary"] == "started the plan “Which bag?”"
    )
    last = history[-1]
    assert last["event"] == "StepFieldChanged"
    assert last["part"] == "step:s1:key_question"
    # s1 is step 2 now that s0 went in above it.
    assert last["summary"] == "changed the key question of step 2"
    assert (last["by"], last["by_name"], last["reason"]) == (pat.id, "Pat", "the heart of it")
    assert last["revision_id"] is None and last["at"].endswith("+00:00")
    summaries = [h["summary"] for h in history]
    assert "anticipated a misconception in step 1" in summaries
    assert "added step 1" in summaries


def test_the_diff_between_two_revisions_labels_each_part(world: World) -> None:
    start = world.revision()
    ok(world.ana.post(f"{world.plan}/steps", {"step_id": "s0", "position": 0}), 201)
    ok(world.ana.post(f"{world.plan}/steps", {"step_id": "s2", "fields": {"minutes": 5}}), 201)
    base = world.revision()
    ok(world.ana.put(f"{world.plan}/steps/s1/fields/minutes", {"value": 15, "base_revision": base}))
    ok(world.ana.put(f"{world.plan}/fields/title", {"value": "Bags", "base_revision": base}))
    ok(world.ana.post(f"{world.plan}/steps/s2/move", {"position": 0}))
    body = {"value": "B has more red", "base_revision": base}
    ok(world.ana.put(f"{world.plan}/responses/r1/fields/text", body))
    diff = ok(world.ana.get(f"/api/v1/lessons/{world.lesson_id}/diff?from={start}"))
    assert (diff["from"], diff["to"]) == (start, world.revision())
    by_part = {c["part"]: c for c in diff["changes"]}
    assert by_part["title"] == {
        "part": "title",
        "label": "Title",
        "before": "Which bag?",
        "after": "Bags",
        "kind": "changed",
    }
    assert by_part["step:s1:minutes"]["label"] == "Step 3 · Minutes"
    assert (by_part["step:s1:minutes"]["before"], by_part["step:s1:minutes"]["after"]) == (10, 15)
    assert by_part["step:s0"]["kind"] == "added" and by_part["step:s0"]["label"] == "Step 2"
    assert by_part["step:s2"]["kind"] == "added"
    assert by_part["response:r1:text"]["label"] == "Step 3 · Anticipated response 1 · Text"
    assert "step:s1" not in by_part  # pushed down by new steps, not moved by anyone
    moved = ok(world.ana.get(f"/api/v1/lessons/{world.lesson_id}/diff?from={base}"))["changes"]
    assert {"part": "step:s2", "label": "Step 1", "before": 3, "after": 1, "kind": "moved"} in moved


def test_a_diff_needs_revisions_the_plan_has(world: World) -> None:
    path = f"/api/v1/lessons/{world.lesson_id}/diff"
    latest = world.revision()
    found = refused(world.site, 422, lambda: world.ana.get(f"{path}?from=1&to={latest + 1}"))
    assert found["fields"] == {"to": [f"to must be from 1 to {latest}"]}
    assert set(refused(world.site, 422, lambda: world.ana.get(path))["fields"]) == {"from"}
    assert set(refused(world.site, 422, lambda: world.ana.get(f"{path}?from=a"))["fields"]) == {
        "from"
    }
    refused(world.site, 404, lambda: world.ana.get(f"/api/v1/lessons/{UNKNOWN}/diff?from=1"))
    refused(world.site, 403, lambda: world.nia.get(f"{path}?from=1"))
    refused(world.site, 401, lambda: world.visitor.get(f"{path}?from=1"))
    assert ok(world.ana.get(f"{path}?from=2&to=2"))["changes"] == []


def test_the_history_is_for_the_team_only(world: World) -> None:
    path = f"/api/v1/lessons/{world.lesson_id}/history"
    refused(world.site, 403, lambda: world.nia.get(path))
    refused(world.site, 401, lambda: world.visitor.get(path))
    refused(world.site, 404, lambda: world.ana.get(f"/api/v1/lessons/{UNKNOWN}/history"))


def test_the_plan_as_markdown_reads_like_the_paper_form(world: World) -> None:
    base = world.revision()
    fields = {
        "lesson_goals": "Students compare chances\n\nas fractions",
        "class_layout": {"G1": ["G1-S1", "G1-S2"]},
        "focus": {world.obi.id: ["G1"]},
        "instructor_id": world.ana.id,
    }
    for name, value in fields.items():
        ok(world.ana.put(f"{world.plan}/fields/{name}", {"value": value, "base_revision": base}))
    answer = world.obi.get(f"/api/v1/lessons/{world.lesson_id}/plan.md")
    assert answer.status_code == 200
    assert answer.content_type == "text/markdown; charset=utf-8"
    text = answer.get_data(as_text=True)
    assert text.startswith("# Which bag?\n")
    for heading in (
        "## Research theme",
        "## Unit goals",
        "## Lesson goals",
        "## Rationale",
        "## How understanding develops",
        "## The task",
        "## Data-collection points",
        "### Observers' focus",
        "## Class layout",
        "## Lesson flow",
    ):
        assert f"\n{heading}\n" in text, heading
    assert "| **Instructor** | Ana |" in text
    assert "**Cognitive demand:** analyse" in text
    assert "- **Obi** follows G1" in text
    assert "| G1 | G1-S1, G1-S2 |" in text
    assert "Students compare chances\n\nas fractions" in text
    assert (
        "| Learning activity and key question | Anticipated student responses |"
        " Teacher response / support | Points to notice | Minutes |"
    ) in text
    assert (
        "• **Misconception** (“More red balls means a better chance”): B, it has more red" in text
    )


def test_people_s_text_cannot_break_the_markdown(world: World) -> None:
    base = world.revision()
    nasty = "a | b\n# not a heading\n<script>x</script> *loud* [link](http://x) `code`"
    for field in ("activity", "teacher_support"):
        body = {"value": nasty, "base_revision": base}
        ok(world.ana.put(f"{world.plan}/steps/s1/fields/{field}", body))
    body = {"value": "- not a list\n1. nor this", "base_revision": base}
    ok(world.ana.put(f"{world.plan}/fields/rationale", body))
    text = world.ana.get(f"/api/v1/lessons/{world.lesson_id}/plan.md").get_data(as_text=True)
    rows = [line for line in text.split("\n") if line.startswith("| **1.**")]
    assert len(rows) == 1, "a line break in a cell must not start a new row"
    # Five cells: six pipes that are not escaped.
    assert len(re.findall(r"(?<!\\)\|", rows[0])) == 6
    assert "<script>" not in text and "\\<script\\>" in text
    assert "\\*loud\\*" in text and "\\[link\\]" in text and "\\`code\\`" in text
    assert "<br>\\# not a heading" in rows[0]
    assert "\\- not a list  \n1\\. nor this" in text


def test_the_markdown_is_for_the_team_only(world: World) -> None:
    path = f"/api/v1/lessons/{world.lesson_id}/plan.md"
    refused(world.site, 403, lambda: world.nia.get(path))
    refused(world.site, 401, lambda: world.visitor.get(path))
    refused(world.site, 404, lambda: world.ana.get(f"/api/v1/lessons/{UNKNOWN}/plan.md"))

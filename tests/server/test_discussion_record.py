"""The discussion's record (Markdown and page), starting the next cycle, and the plan's
history pointing each change at its revision and evidence."""

from __future__ import annotations

import html

import pytest
from server.discussed import HELPFUL, NEW_SUPPORT, TRICKY, discuss
from server.site import error, ok, refused
from server.world import World

from lessonstudy.exports.markdown_text import inline

RECORD_MD = "/api/v1/discussions/{}/record.md"
NEXT_CYCLE = "/api/v1/discussions/{}/next-cycle"


def test_the_record_as_markdown_cites_the_notes_and_escapes_people_s_text(world: World) -> None:
    found = discuss(world)
    answer = world.obi.get(RECORD_MD.format(found.discussion_id))
    assert answer.status_code == 200
    assert answer.mimetype == "text/markdown"
    text = answer.get_data(as_text=True)
    sections = [line for line in text.splitlines() if line.startswith("## ")]
    assert sections == [
        "## Findings, phase by phase",
        "## Patterns",
        "## Claims",
        "## Confirmed misconceptions",
        "## The next level of work",
    ]
    # Each cited note shows its seat code, its step and its observer's name.
    for code in ("G1-S1", "G1-S2", "G2-S1"):
        assert f"> - **{code}, step 1**: “{code}: B has more red {inline(TRICKY)}” (Obi)" in text
    assert "### More red balls means a better chance" in text
    assert f"**Teacher responses that helped:** {inline(HELPFUL)}" in text
    assert "### Accepted: Ask the 102 and 100 question" in text
    assert f"1. Set the teacher response / support of step 1 to: {NEW_SUPPORT}" in text
    # Nothing people typed becomes markup: no raw tag, no heading, no table cell break.
    assert "<script>" not in text
    assert "\n# not a heading" not in text
    assert f"### Counting red {inline(TRICKY)} (3 notes)" in text


def test_the_record_page_shows_findings_beside_their_evidence(world: World) -> None:
    found = discuss(world)
    page = world.obi.get(f"/discussions/{found.discussion_id}/record")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert html.escape(TRICKY, quote=False) in body
    assert TRICKY not in body  # the tag is text, never markup
    assert 'id="revision-rev-1"' in body
    assert body.count('<span class="who">G2-S1</span>') == 3  # pattern, confirmation, revision
    # An observer sees no button to start the next cycle; the facilitator does.
    assert "Start the next cycle" not in body
    facilitator = world.ana.get(f"/discussions/{found.discussion_id}/record")
    assert "Start the next cycle" in facilitator.get_data(as_text=True)


@pytest.mark.parametrize("path", [RECORD_MD, "/discussions/{}/record"])
def test_the_record_is_for_the_team(world: World, path: str) -> None:
    found = discuss(world)
    assert world.nia.get(path.format(found.discussion_id)).status_code == 403
    signed_out = world.visitor.get(path.format(found.discussion_id)).status_code
    assert signed_out == (401 if path.startswith("/api/") else 302)
    unknown = "00000000-0000-4000-8000-000000000000"
    assert world.obi.get(path.format(unknown)).status_code == 404


def test_the_facilitator_starts_the_next_cycle_once(world: World) -> None:
    found = discuss(world)
    answer = ok(world.ana.post(NEXT_CYCLE.format(found.discussion_id)), 201)
    assert answer["plan_version"] == 2
    assert answer["plan"]["plan_version"] == 2
    assert answer["plan"]["steps"][0]["teacher_support"] == NEW_SUPPORT
    assert answer["plan"]["versions"][-1]["discussion_id"] == found.discussion_id
    # Again: a conflict carrying what it started, and nothing written.
    again = refused(world.site, 409, lambda: world.ana.post(NEXT_CYCLE.format(found.discussion_id)))
    assert again["code"] == "conflict"
    assert again["current"] == {"lesson_id": world.lesson_id, "plan_version": 2}
    assert "discussion_id" in again["fields"]


def test_the_history_names_the_revision_and_its_discussion(world: World) -> None:
    found = discuss(world)
    ok(world.ana.post(NEXT_CYCLE.format(found.discussion_id)), 201)
    entries = ok(world.obi.get(f"/api/v1/lessons/{world.lesson_id}/history"))
    from_revision = [e for e in entries if e["revision_id"]]
    assert [e["event"] for e in from_revision] == ["StepFieldChanged"]
    assert from_revision[0]["discussion_id"] == found.discussion_id
    started = [e for e in entries if e["event"] == "NextVersionStarted"]
    assert started[0]["discussion_id"] == found.discussion_id
    page = world.obi.get(f"/lessons/{world.lesson_id}/history").get_data(as_text=True)
    assert f"/discussions/{found.discussion_id}/record#revision-rev-1" in page
    assert "The evidence: 1 note" in page


def test_nothing_accepted_is_refused_naming_the_revisions(world: World) -> None:
    found = discuss(world, accept=False)
    refusal = refused(
        world.site, 409, lambda: world.ana.post(NEXT_CYCLE.format(found.discussion_id))
    )
    assert refusal["code"] == "wrong_stage"
    assert "revisions" in refusal["fields"]


def test_only_the_facilitator_starts_the_next_cycle(world: World) -> None:
    found = discuss(world)
    path = NEXT_CYCLE.format(found.discussion_id)
    assert refused(world.site, 403, lambda: world.obi.post(path))["fields"] == {
        "roles": ["facilitate needs one of the roles: facilitator"]
    }
    refused(world.site, 403, lambda: world.nia.post(path))
    refused(world.site, 401, lambda: world.visitor.post(path))
    unknown = NEXT_CYCLE.format("00000000-0000-4000-8000-000000000000")
    error(world.ana.post(unknown), 404)


def test_the_record_page_s_button_starts_the_next_cycle(world: World) -> None:
    found = discuss(world)
    ana = world.ana
    answer = ana.client.post(
        f"/discussions/{found.discussion_id}/next-cycle", data={"csrf_token": ana.csrf}
    )
    assert answer.status_code == 303
    assert answer.headers["Location"].endswith(f"/lessons/{world.lesson_id}/history")
    assert ok(ana.get(world.plan))["plan_version"] == 2
    record = ana.get(f"/discussions/{found.discussion_id}/record").get_data(as_text=True)
    assert "Plan version 2</strong> was started" in record
    assert "Start the next cycle" not in record

"""The demo's record as Markdown, and cycle 2 of the demo lesson compared with cycle 1.

The demo (`lessonstudy demo`) holds cycle 1 and its closed discussion; cycle 2 is
the revised plan taught to class 7D (tests/support/second_cycle.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from server.discussed import teach
from server.site import Person, Site, ok, sites
from server.world import World
from support.second_cycle import NOTES, teach_revised_plan

from lessonstudy.demo import (
    DEMO_EMAIL,
    DEMO_PASSWORD,
    DemoSummary,
    ensure_demo_access,
    load_demo,
)
from lessonstudy.demo import discussion as demo_discussion
from lessonstudy.demo.plan import ANTICIPATED_MISCONCEPTIONS
from lessonstudy.exports.markdown_text import inline


@pytest.fixture(scope="module")
def demo_site() -> Iterator[tuple[Site, DemoSummary, Person]]:
    with sites() as make:
        site = make("memory://")
        demo = load_demo(site.services.service)
        ensure_demo_access(site.services.service, demo)
        site.settle()
        reader = site.visitor("Demo")
        ok(reader.post("/api/v1/session", {"email": DEMO_EMAIL, "password": DEMO_PASSWORD}))
        reader.refresh_token()
        yield site, demo, reader


def commands(name: str) -> list[dict[str, object]]:
    return [args for command, args in demo_discussion.DISCUSSION if command == name]


def test_the_demo_record_as_markdown(demo_site: tuple[Site, DemoSummary, Person]) -> None:
    _, demo, reader = demo_site
    answer = reader.get(f"/api/v1/discussions/{demo.discussion_id}/record.md")
    assert answer.status_code == 200
    text = answer.get_data(as_text=True)
    findings = section(text, "Findings, phase by phase")
    for said in commands("contribute"):
        assert inline(str(said["text"])) in findings
    patterns = section(text, "Patterns")
    assert patterns.count("\n### ") + patterns.startswith("### ") == len(commands("create_pattern"))
    assert "### The next draw is 'due' (3 notes)" in patterns  # renamed, one note moved out
    confirmed = section(text, "Confirmed misconceptions")
    assert confirmed.count("Evidence:") == len(commands("confirm_misconception"))
    for key in ("count", "recency", "fifty_fifty"):
        assert f"### {inline(ANTICIPATED_MISCONCEPTIONS[key])}" in confirmed
    helpful = [c["helpful_responses"] for c in commands("confirm_misconception")]
    for words in filter(None, helpful):
        assert f"**Teacher responses that helped:** {inline(str(words))}" in confirmed
    work = section(text, "The next level of work")
    decided = {str(d["revision_id"]): d["accept"] for d in commands("decide_revision")}
    for proposed in commands("propose_revision"):
        status = "Accepted" if decided[str(proposed["revision_id"])] else "Declined"
        assert f"### {status}: {inline(str(proposed['summary']))}" in work
    assert "Why declined: the draws are where '50-50' and 'due' showed; we keep them" in work
    assert "**Next cycle:** the 3 accepted revisions started plan version 2" in work
    # Observers are named for the team; students only ever by their codes.
    assert "(Raj Patel)" in text
    assert re.search(r"\*\*G\d(-S\d)?, step \d\*\*", text)


def test_cycle_two_against_cycle_one(demo_site: tuple[Site, DemoSummary, Person]) -> None:
    site, demo, reader = demo_site
    before = ok(reader.get(f"/api/v1/lessons/{demo.lesson_id}/cycles"))
    # Cycle 2 is under way (the demo account's lesson to try, lessonstudy.demo.under_way):
    # listed, but nothing is compared with it until it has been taught.
    assert [(c["number"], c["status"]) for c in before["cycles"]] == [(1, "ended"), (2, "started")]
    assert (before["latest"], before["previous"]) == (1, None)
    assert all(r["change"] == "" for r in before["responses"])

    second = teach_revised_plan(site.services.service, demo)
    site.settle()
    found = ok(reader.get(f"/api/v1/lessons/{demo.lesson_id}/cycles"))
    assert (found["latest"], found["previous"]) == (2, 1)
    cycle_two = found["cycles"][1]
    assert cycle_two["teaching_id"] == second.teaching_id
    assert cycle_two["plan_version"] == 2
    assert cycle_two["counts"]["unanticipated"] == sum(1 for note in NOTES if note[-1])

    by_statement = {m["statement"]: m for m in found["misconceptions"]}
    counting = by_statement[ANTICIPATED_MISCONCEPTIONS["count"]]
    # Cycle 2: one note matched "B, because it has 5 red" (r1-count), about G3-S1.
    assert counting["cycles"][1] == {"number": 2, "notes": 1, "students": 1, "confirmed": False}
    assert counting["cycles"][0]["students"] > 1 and counting["cycles"][0]["confirmed"]
    assert counting["change"] == "less"
    recency = by_statement[ANTICIPATED_MISCONCEPTIONS["recency"]]
    assert recency["cycles"][1]["notes"] == 0 and recency["change"] == "gone"

    responses = {r["response_id"]: r for r in found["responses"]}
    # 'Two more red in both' was anticipated only after the discussion, and occurred.
    difference = responses["r3-difference"]
    assert [c["taught"] for c in difference["cycles"]] == [False, True]
    assert difference["cycles"][1]["students"] == 2
    assert difference["change"] == "new, occurred"
    assert responses["r2-recency"]["change"] == "no longer occurred"
    assert responses["r1-count"]["change"] == "still occurred"

    page = reader.get(f"/lessons/{demo.lesson_id}/cycles").get_data(as_text=True)
    assert "cycle 2 against cycle 1" in page
    assert "<strong>1</strong> student, 1 note" in page
    assert "fewer students" in page


def test_a_lesson_taught_once_has_one_cycle_and_nothing_to_compare(world: World) -> None:
    teach(world, [("n1", "G1-S1")])
    world.site.settle()
    found = ok(world.obi.get(f"/api/v1/lessons/{world.lesson_id}/cycles"))
    assert [c["number"] for c in found["cycles"]] == [1]
    assert found["previous"] is None
    assert found["misconceptions"][0]["cycles"] == [
        {"number": 1, "notes": 1, "students": 1, "confirmed": False}
    ]
    page = world.obi.get(f"/lessons/{world.lesson_id}/cycles").get_data(as_text=True)
    assert "the comparison appears once the revised plan has been taught" in page


def test_the_cycles_are_for_the_team(world: World) -> None:
    path = f"/api/v1/lessons/{world.lesson_id}/cycles"
    assert world.nia.get(path).status_code == 403
    assert world.visitor.get(path).status_code == 401
    assert world.nia.get(f"/lessons/{world.lesson_id}/cycles").status_code == 403
    unknown = "00000000-0000-4000-8000-000000000000"
    assert world.obi.get(f"/api/v1/lessons/{unknown}/cycles").status_code == 404


def section(text: str, heading: str) -> str:
    """The Markdown between '## heading' and the next '## '."""
    start = text.index(f"\n## {heading}\n") + len(heading) + 5
    end = text.find("\n## ", start)
    return text[start : end if end != -1 else len(text)]

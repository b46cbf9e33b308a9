"""What a discussion decides reaches the catalogue within a second, through the server's
own follower (the app runs it in a thread, as `lessonstudy serve` does).

A confirmed misconception counts as confirmed and brings the response that helped; an
accepted revision shows at once on the entries it concerns as the team's accepted change
(its summary and new teacher support), apart from the responses that helped; once it
starts the next cycle, the plan anticipates the misconception it names and its teacher
support is the plan's.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from server.discussed import HELPFUL, teach
from server.site import SiteFactory, ok
from server.world import build_world

from lessonstudy.domain.discussion import PHASES

WITHIN_SECONDS = 1.0
SUPPORT = "Ask: what if bag A had 102 red and 100 white?"


def seen_within(
    read: Callable[[], dict[str, Any]], done: Callable[[dict[str, Any]], bool]
) -> float:
    """Seconds until done(read()) holds; fails after WITHIN_SECONDS with what was read."""
    start = time.monotonic()
    while True:
        found = read()
        elapsed = time.monotonic() - start
        if done(found):
            return elapsed
        assert elapsed < WITHIN_SECONDS, f"not in the catalogue after {elapsed:.2f} s: {found}"
        time.sleep(0.02)


def test_confirmations_and_accepted_revisions_reach_the_catalogue_within_a_second(
    make_site: SiteFactory, database_url: str
) -> None:
    world = build_world(make_site(database_url))  # memory, SQLite and PostgreSQL
    site, ana = world.site, world.ana
    app = site.services.service
    additive = ok(
        ana.post(
            f"/api/v1/teams/{world.team_id}/misconceptions",
            {"statement": "Two more red in both bags, so the same", "task_id": world.task_id},
        ),
        201,
    )["id"]
    teaching_id = teach(world, [("n1", "G1-S1"), ("n2", "G1-S2")])
    discussion_id = str(app.open_discussion(actor_id=ana.id, teaching_id=teaching_id))
    on = {"actor_id": ana.id, "discussion_id": discussion_id}
    for phase in PHASES[1:4]:
        app.move_discussion_phase(**on, phase=phase)
    site.settle()

    def entry(misconception_id: str) -> Callable[[], dict[str, Any]]:
        path = f"/api/v1/catalogue/misconceptions/{misconception_id}"
        return lambda: ok(ana.get(path))

    assert entry(additive)()["numbers"]["confirmed"] == 0
    app.confirm_misconception(
        **on, misconception_id=additive, note_ids=["n1", "n2"], helpful_responses=HELPFUL
    )
    confirmed = seen_within(
        entry(additive),
        lambda e: (
            e["numbers"]["confirmed"] == 1
            and {"text": HELPFUL, "from": "discussion", "lesson_id": world.lesson_id}
            in e["helpful_responses"]
        ),
    )

    for phase in PHASES[4:]:
        app.move_discussion_phase(**on, phase=phase)
    changes = [
        {
            "op": "anticipate_response",
            "step_id": world.step_id,
            "response_id": "r-additive",
            "kind": "misconception",
            "misconception_id": additive,
            "text": "Same: both have two more red.",
        },
        {"op": "change_step", "step_id": world.step_id, "field": "teacher_support",
         "value": SUPPORT},
    ]  # fmt: skip
    app.propose_revision(
        **on, revision_id="rev-1", summary="Anticipate it", changes=changes, note_ids=["n2"]
    )
    assert entry(additive)()["accepted_revisions"] == []  # proposed is not yet decided
    app.decide_revision(**on, revision_id="rev-1", accept=True)
    accepted = {
        "summary": "Anticipate it",
        "teacher_support": [SUPPORT],
        "lesson_id": world.lesson_id,
        "title": "Which bag?",
    }
    decided = seen_within(
        entry(additive),
        lambda e: (
            [{k: v for k, v in r.items() if k != "accepted_at"} for r in e["accepted_revisions"]]
            == [accepted]
        ),
    )
    before = entry(additive)()
    assert before["numbers"]["anticipated"] == 0
    assert SUPPORT not in {h["text"] for h in before["helpful_responses"]}
    # The entry the taught response linked (matched by the cited note n2) shows it too,
    # and so does the task's page.
    seen_within(entry(world.misconception_id), lambda e: len(e["accepted_revisions"]) == 1)
    page = ana.get(f"/catalogue/tasks/{world.task_id}").get_data(as_text=True)
    assert "Changes of teaching the team accepted" in page and SUPPORT in page
    ok(ana.post(f"/api/v1/discussions/{discussion_id}/next-cycle"), 201)
    revised = seen_within(
        entry(additive),
        lambda e: (
            e["numbers"]["anticipated"] == 1
            and any(h["text"] == SUPPORT and h["from"] == "plan" for h in e["helpful_responses"])
        ),
    )
    print(
        f"confirmation in the catalogue after {confirmed:.3f} s, accepted revision after"
        f" {decided:.3f} s, next cycle's plan after {revised:.3f} s"
    )

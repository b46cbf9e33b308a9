"""The discussion's record (print-ready), starting the next cycle, and the cycles compared.

The record page is for the team; its "Start the next cycle" button is a plain form
(it works without scripts) for the facilitator, shown once revisions are accepted.
The cycles page reads the catalogue's views through the same query as the API.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import render_template, url_for
from werkzeug.wrappers import Response

from lessonstudy.domain.discussion import REVISION_PHASES, discussion_id_for
from lessonstudy.domain.errors import NotFoundError
from lessonstudy.domain.permissions import Action, may
from lessonstudy.exports.discussion_record import RecordDocument, gather_record
from lessonstudy.projections.catalogue import CycleComparison
from lessonstudy.server.api.catalogue import catalogue, read_your_writes
from lessonstudy.server.context import services
from lessonstudy.server.pages.common import bp, me, page_redirect, settle, signed_in
from lessonstudy.server.pages.lessons import load_lesson
from lessonstudy.server.pages.teams import member_team

CHANGE_WORDS = {
    "less": "fewer students",
    "more": "more students",
    "same": "about the same",
    "new": "new in this cycle",
    "gone": "not seen this time",
}


def _team_record(discussion_id: str) -> tuple[RecordDocument, list[str]]:
    """The record, once the signed-in person is known to be on its team; and their roles."""
    service = services().service
    team_id = service.get_discussion(discussion_id).team_id
    team = member_team(team_id)
    return gather_record(service, discussion_id), team.members[me().id]["roles"]


@bp.get("/discussions/<uuid:discussion_id>/record")
@signed_in
def discussion_record(discussion_id: Any) -> str:
    doc, roles = _team_record(str(discussion_id))
    accepted = sum(1 for _, r in doc.revisions() if r["status"] == "accepted")
    may_start = (
        may(roles, Action.FACILITATE)
        and not doc.closed
        and accepted > 0
        and doc.discussion.phase in REVISION_PHASES
    )
    return render_template(
        "discussion_record.html",
        doc=doc,
        d=doc.discussion,
        accepted=accepted,
        may_start=may_start,
        lesson_id=doc.discussion.lesson_id,
    )


@bp.post("/discussions/<uuid:discussion_id>/next-cycle")
@signed_in
def start_next_cycle(discussion_id: Any) -> Response:
    service = services().service
    found = service.get_discussion(str(discussion_id))
    member_team(found.team_id)  # 403 for someone on another team, before anything else
    service.start_next_cycle(actor_id=me().id, discussion_id=str(discussion_id))
    settle()
    return page_redirect("pages.history", lesson_id=found.lesson_id)


@bp.get("/lessons/<uuid:lesson_id>/cycles")
@signed_in
def lesson_cycles(lesson_id: Any) -> str:
    page = load_lesson(str(lesson_id))
    compare = CycleComparison(services().engine, catalogue())
    found = read_your_writes(lambda: compare.lesson(str(lesson_id)))
    if found is None:
        raise NotFoundError(f"no lesson {lesson_id} in the catalogue yet", field="lesson_id")
    service = services().service
    teachings = {c["teaching_id"]: service.get_teaching(c["teaching_id"]) for c in found["cycles"]}
    # Step numbers as each cycle was taught (a revision may add or move steps); the
    # responses table follows the latest taught plan's order.
    taught_steps = {
        teaching_id: _step_numbers(str(lesson_id), t.plan_revision)
        for teaching_id, t in teachings.items()
    }
    latest = next((c for c in found["cycles"] if c["number"] == found["latest"]), None)
    step_numbers = (
        taught_steps[latest["teaching_id"]] if latest else _step_numbers(str(lesson_id), None)
    )
    return render_template(
        "cycles.html",
        **page.context(),
        found=found,
        teachings=teachings,
        records=_records(t.id for t in teachings.values()),
        step_numbers=step_numbers,
        taught_steps=taught_steps,
        change_words=CHANGE_WORDS,
    )


def _step_numbers(lesson_id: str, revision: int | None) -> dict[str, int]:
    steps = services().service.get_plan(lesson_id, revision=revision).steps
    return {step["id"]: number for number, step in enumerate(steps, 1)}


def _records(teaching_ids: Iterable[str]) -> dict[str, str]:
    """teaching id -> its discussion record's address, for teachings discussed so far."""
    service = services().service
    found: dict[str, str] = {}
    for teaching_id in teaching_ids:
        discussion_id = str(discussion_id_for(teaching_id))
        try:
            service.get_discussion(discussion_id)
        except NotFoundError:
            continue
        found[teaching_id] = url_for("pages.discussion_record", discussion_id=discussion_id)
    return found

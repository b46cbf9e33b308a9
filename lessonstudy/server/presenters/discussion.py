"""The post-lesson discussion as JSON: the same over REST and Socket.IO.

The state is sent whole, with its version, after every change: a client keeps the
highest version it has seen, so a change applied twice or out of order, or a room
rejoined after a dropped connection, ends in the same board. Who may open it is
``teaching_access.participant_of``.
"""

from __future__ import annotations

from typing import Any

from lessonstudy.application.results import DiscussionView
from lessonstudy.domain.discussion import PHASES
from lessonstudy.domain.errors import DomainError
from lessonstudy.server.context import services
from lessonstudy.server.presenters.teaching import jsonable, teaching_detail_json
from lessonstudy.server.teaching_access import Participant, may_facilitate


def discussion_json(view: DiscussionView) -> dict[str, Any]:
    """The discussion's state: lists in the order things were said, each with its id."""
    confirmed = [
        {"misconception_id": m, "statement": statement_of(m), **found}
        for m, found in view.confirmed.items()
    ]
    body = {
        "id": view.id,
        "teaching_id": view.teaching_id,
        "lesson_id": view.lesson_id,
        "team_id": view.team_id,
        "phase": view.phase,
        "phases": list(PHASES),
        "phase_log": view.phase_log,
        "contributions": listed(view.contributions, "contribution_id"),
        "patterns": listed(view.patterns, "pattern_id"),
        "claims": listed(view.claims, "claim_id"),
        "confirmed": confirmed,
        "revisions": listed(view.revisions, "revision_id"),
        "next_plan_version": view.next_plan_version,
        "version": view.version,
    }
    return dict(jsonable(body))


def listed(items: dict[str, dict[str, Any]], key: str) -> list[dict[str, Any]]:
    return [{key: item_id, **item} for item_id, item in items.items()]


def statement_of(misconception_id: str) -> str:
    try:
        return services().service.get_misconception(misconception_id).statement
    except DomainError:  # pragma: no cover - a confirmed entry always exists
        return misconception_id


def board_json(participant: Participant) -> dict[str, Any]:
    """What a page opening the discussion needs: its state, the teaching as taught (steps,
    anticipated responses, people), every note, and the misconceptions on the table."""
    notes = services().service.get_notes(participant.teaching.id)
    teaching = teaching_detail_json(participant.teaching, participant.actor)
    mentioned: dict[str, None] = {}  # ordered: the plan's first, then the notes'
    for step in teaching.get("steps") or []:
        for response in step.get("responses") or []:
            if response.get("misconception_id"):
                mentioned[response["misconception_id"]] = None
    for note in notes:
        mentioned.update(dict.fromkeys(note.get("misconception_ids") or []))
    mentioned.update(dict.fromkeys(participant.discussion.confirmed))
    return {
        "discussion": discussion_json(participant.discussion),
        "teaching": teaching,
        "notes": jsonable([{k: v for k, v in n.items() if k != "version"} for n in notes]),
        "misconceptions": {m: statement_of(m) for m in mentioned},
        "you": {
            "person_id": participant.actor.id,
            "name": participant.actor.name,
            "guest": participant.actor.guest,
            "facilitator": may_facilitate(participant.actor, participant.teaching),
        },
    }

"""The post-lesson discussion as JSON, and who may open it: the same over REST and Socket.IO.

A discussion belongs to one teaching, so whoever may observe that teaching (its team,
and the guests admitted with its join code, e.g. the knowledgeable other) may take
part; facilitating (moving the phase, confirming a misconception, deciding on a
revision) needs the facilitator's role. The order of refusals is the API's: 401, 404,
403, and only then a bad body 422.

The state is sent whole, with its version, after every change: a client keeps the
highest version it has seen, so a change applied twice or out of order, or a room
rejoined after a dropped connection, ends in the same board.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from lessonstudy.application.results import DiscussionView, TeachingView
from lessonstudy.domain.discussion import PHASES
from lessonstudy.domain.errors import DomainError, NotFoundError, PermissionDeniedError
from lessonstudy.domain.permissions import Action
from lessonstudy.server.errors import NotSignedInError
from lessonstudy.server.guests import Actor, guest_sessions, signed_in_actor
from lessonstudy.server.teaching_access import observer_of
from lessonstudy.server.teaching_views import jsonable, teaching_detail_json


@dataclass(frozen=True)
class Seat:
    """Someone at the discussion: who they are, which discussion, and its teaching."""

    actor: Actor
    discussion: DiscussionView
    teaching: TeachingView

    @property
    def discussion_id(self) -> str:
        return self.discussion.id


def canonical_discussion_id(discussion_id: object) -> str:
    try:
        return str(uuid.UUID(str(discussion_id)))
    except ValueError:
        raise NotFoundError(f"no discussion {discussion_id}", field="discussion_id") from None


def participant_of(discussion_id: object) -> Seat:
    """The discussion for someone who may observe its teaching: 401, 404, 403 in turn."""
    from lessonstudy.server import services

    did = canonical_discussion_id(discussion_id)
    if signed_in_actor() is None and not guest_sessions():
        raise NotSignedInError("sign in, or join with the lesson's code", field="session")
    view = services().service.get_discussion(did)
    actor, teaching = observer_of(view.teaching_id)
    return Seat(actor, view, teaching)


def facilitator_of(discussion_id: object) -> Seat:
    """As participant_of, and then only a team member with the facilitator's role."""
    seat = participant_of(discussion_id)
    require_facilitator(seat.actor, seat.teaching)
    return seat


def require_facilitator(actor: Actor, teaching: TeachingView) -> None:
    from lessonstudy.server import services

    if actor.guest:
        raise PermissionDeniedError("the team's facilitator runs the discussion", field="actor")
    services().service.authorize(actor.id, teaching.team_id, Action.FACILITATE)


def may_facilitate(actor: Actor, teaching: TeachingView) -> bool:
    try:
        require_facilitator(actor, teaching)
    except DomainError:
        return False
    return True


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
    from lessonstudy.server import services

    try:
        return services().service.get_misconception(misconception_id).statement
    except DomainError:  # pragma: no cover - a confirmed entry always exists
        return misconception_id


def board_json(seat: Seat) -> dict[str, Any]:
    """What a page opening the discussion needs: its state, the teaching as taught (steps,
    anticipated responses, people), every note, and the misconceptions on the table."""
    from lessonstudy.server import services

    notes = services().service.get_notes(seat.teaching.id)
    teaching = teaching_detail_json(seat.teaching, seat.actor)
    mentioned: dict[str, None] = {}  # ordered: the plan's first, then the notes'
    for step in teaching.get("steps") or []:
        for response in step.get("responses") or []:
            if response.get("misconception_id"):
                mentioned[response["misconception_id"]] = None
    for note in notes:
        mentioned.update(dict.fromkeys(note.get("misconception_ids") or []))
    mentioned.update(dict.fromkeys(seat.discussion.confirmed))
    return {
        "discussion": discussion_json(seat.discussion),
        "teaching": teaching,
        "notes": jsonable([{k: v for k, v in n.items() if k != "version"} for n in notes]),
        "misconceptions": {m: statement_of(m) for m in mentioned},
        "you": {
            "person_id": seat.actor.id,
            "name": seat.actor.name,
            "guest": seat.actor.guest,
            "facilitator": may_facilitate(seat.actor, seat.teaching),
        },
    }

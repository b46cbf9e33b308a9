"""Each discussion command once, for the REST routes and the Socket.IO events alike.

A command runs through the service, then the discussion as it now stands is read
back and sent to its room as ``discussion:changed`` (with its version, so a client
applies it once whatever the order). A conflict from a stale screen carries the
whole current discussion in ``current.discussion``, so the page can redraw from it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lessonstudy.application import LessonStudy
from lessonstudy.domain.errors import (
    ConflictError,
    EvidenceRequiredError,
    InvalidValueError,
    NotFoundError,
)
from lessonstudy.server.api.access import referenced
from lessonstudy.server.discussion_views import Seat, discussion_json, require_facilitator
from lessonstudy.server.teaching_views import taught_steps

Call = Callable[[LessonStudy, str, str, dict[str, Any]], object]


@dataclass(frozen=True)
class Command:
    facilitator_only: bool
    call: Call


def _phase(s: LessonStudy, actor_id: str, did: str, body: dict[str, Any]) -> object:
    return s.move_discussion_phase(
        actor_id=actor_id, discussion_id=did, phase=body["phase"], from_phase=body["from_phase"]
    )


def _contribute(s: LessonStudy, actor_id: str, did: str, body: dict[str, Any]) -> object:
    return s.contribute(
        actor_id=actor_id,
        discussion_id=did,
        contribution_id=body["contribution_id"],
        text=body["text"],
        note_ids=body["note_ids"],
        step_id=body["step_id"],
    )


def _pattern(s: LessonStudy, actor_id: str, did: str, body: dict[str, Any]) -> object:
    return s.create_pattern(
        actor_id=actor_id,
        discussion_id=did,
        pattern_id=body["pattern_id"],
        name=body["name"],
        note_ids=body["note_ids"],
    )


def _rename(s: LessonStudy, actor_id: str, did: str, body: dict[str, Any]) -> object:
    return s.rename_pattern(
        actor_id=actor_id,
        discussion_id=did,
        pattern_id=body["pattern_id"],
        name=body["name"],
        base_name=body["base_name"],
    )


def _place(s: LessonStudy, actor_id: str, did: str, body: dict[str, Any]) -> object:
    try:
        with referenced("pattern_id"):  # the body's pattern: a bad body, not a missing page
            return s.place_note(
                actor_id=actor_id,
                discussion_id=did,
                note_id=body["note_id"],
                pattern_id=body["pattern_id"],
                check_from="from_pattern_id" in body,
                from_pattern_id=body.get("from_pattern_id"),
            )
    except EvidenceRequiredError as error:  # the note the path names is not one of these
        raise NotFoundError(error.message, field="note_id") from None


def _claim(s: LessonStudy, actor_id: str, did: str, body: dict[str, Any]) -> object:
    return s.make_claim(
        actor_id=actor_id,
        discussion_id=did,
        claim_id=body["claim_id"],
        text=body["text"],
        note_ids=body["note_ids"],
    )


def _confirm(s: LessonStudy, actor_id: str, did: str, body: dict[str, Any]) -> object:
    with referenced("misconception_id"):
        return s.confirm_misconception(
            actor_id=actor_id,
            discussion_id=did,
            misconception_id=str(body["misconception_id"]),
            note_ids=body["note_ids"],
            helpful_responses=body["helpful_responses"],
        )


def _propose(s: LessonStudy, actor_id: str, did: str, body: dict[str, Any]) -> object:
    return s.propose_revision(
        actor_id=actor_id,
        discussion_id=did,
        revision_id=body["revision_id"],
        summary=body["summary"],
        changes=body["changes"],
        note_ids=body["note_ids"],
    )


def _decide(s: LessonStudy, actor_id: str, did: str, body: dict[str, Any]) -> object:
    return s.decide_revision(
        actor_id=actor_id,
        discussion_id=did,
        revision_id=body["revision_id"],
        accept=body["accept"],
        reason=body["reason"],
    )


# The change names, as they appear in discussion:changed and in the events' names.
COMMANDS: dict[str, Command] = {
    "phase": Command(True, _phase),
    "contribute": Command(False, _contribute),
    "pattern": Command(False, _pattern),
    "rename": Command(False, _rename),
    "place": Command(False, _place),
    "claim": Command(False, _claim),
    "confirm": Command(True, _confirm),
    "propose": Command(False, _propose),
    "decide": Command(True, _decide),
}


def check_may(seat: Seat, change: str) -> None:
    """Before the body is read: facilitating needs the facilitator's role (403)."""
    if COMMANDS[change].facilitator_only:
        require_facilitator(seat.actor, seat.teaching)


def check_step(seat: Seat, step_id: str) -> None:
    """What was said about a step names a step of the plan as it was taught."""
    if step_id not in {step["id"] for step in taught_steps(seat.teaching)}:
        raise InvalidValueError(f"no step {step_id} in the lesson as taught", field="step_id")


def run(seat: Seat, change: str, body: dict[str, Any]) -> dict[str, Any]:
    """Run the command; the discussion as it now stands, announced to its room."""
    from lessonstudy.server import services
    from lessonstudy.server.realtime.discussion_room import announce_discussion_change

    service = services().service
    if change == "contribute" and body.get("step_id") is not None:
        check_step(seat, body["step_id"])
    try:
        COMMANDS[change].call(service, seat.actor.id, seat.discussion_id, body)
    except ConflictError as error:
        now = service.get_discussion(seat.discussion_id)
        error.current = {**error.current, "discussion": discussion_json(now)}
        raise
    view = service.get_discussion(seat.discussion_id)
    state = discussion_json(view)
    if view.version != seat.discussion.version:  # a resend that stored nothing says nothing
        announce_discussion_change(services().socketio, state, change, seat.actor.id)
    return state

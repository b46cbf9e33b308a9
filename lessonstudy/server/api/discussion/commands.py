"""The discussion's commands: one row each, from which its REST route, its Socket.IO
event and its OpenAPI entry are all made.

A row names the change (``discussion:<name>`` is its event, and ``change`` in
``discussion:changed``), the service's method, the REST route and the bodies, who may
run it, and its special rule if it has one. The body's fields are the method's
arguments by name, with the ids the path carries (or, over Socket.IO, the payload)
added. Adding a command is adding a row to ``COMMANDS``.

A command runs through the service, then the discussion as it now stands is read
back and sent to its room as ``discussion:changed`` (with its version, so a client
applies it once whatever the order). A conflict from a stale screen carries the
whole current discussion in ``current.discussion``, so the page can redraw from it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from marshmallow import Schema

from lessonstudy.application import LessonStudy
from lessonstudy.domain.errors import (
    ConflictError,
    EvidenceRequiredError,
    InvalidValueError,
    NotFoundError,
)
from lessonstudy.server.api.access import referenced
from lessonstudy.server.api.discussion import schemas
from lessonstudy.server.context import services
from lessonstudy.server.presenters import discussion_json, taught_steps
from lessonstudy.server.realtime.discussion_room import announce_discussion_change
from lessonstudy.server.teaching_access import Participant, require_facilitator

Body = dict[str, Any]
# A special rule: given who asks, the body and the command's call, it checks what the
# schema cannot and runs the call (or says why not in the API's terms).
Rule = Callable[[Participant, Body, Callable[[], object]], object]


def just_run(_participant: Participant, _body: Body, call: Callable[[], object]) -> object:
    return call()


def as_given(body: Body) -> Body:
    """The body's fields, named as the service's arguments (the event's discussion_id
    is the one the command runs on, given apart)."""
    return {name: value for name, value in body.items() if name != "discussion_id"}


@dataclass(frozen=True)
class Command:
    """One discussion command, whichever way it comes in."""

    name: str
    method: Callable[..., object]  # LessonStudy's, given actor_id and discussion_id
    http: str  # the REST route: its method, its path under the discussion's, its status
    path: str
    status: int
    view: str  # the route's endpoint name
    summary: str  # the OpenAPI summary
    body: type[Schema]  # the REST body
    event: type[Schema]  # the Socket.IO payload: the body and the ids of the path
    facilitator_only: bool = False
    args: Callable[[Body], Body] = as_given
    rule: Rule = just_run

    @property
    def event_name(self) -> str:
        return f"discussion:{self.name}"


def taught_step(participant: Participant, body: Body, call: Callable[[], object]) -> object:
    """What was said about a step names a step of the plan as it was taught."""
    step_id = body.get("step_id")
    if step_id is not None and step_id not in {s["id"] for s in taught_steps(participant.teaching)}:
        raise InvalidValueError(f"no step {step_id} in the lesson as taught", field="step_id")
    return call()


def note_of_this_teaching(
    _participant: Participant, _body: Body, call: Callable[[], object]
) -> object:
    try:
        with referenced("pattern_id"):  # the body's pattern: a bad body, not a missing page
            return call()
    except EvidenceRequiredError as error:  # the note the path names is not one of these
        raise NotFoundError(error.message, field="note_id") from None


def known_misconception(
    _participant: Participant, _body: Body, call: Callable[[], object]
) -> object:
    with referenced("misconception_id"):
        return call()


def placement(body: Body) -> Body:
    """A note's placement checks where the screen showed it only when it says."""
    return {
        "note_id": body["note_id"],
        "pattern_id": body["pattern_id"],
        "check_from": "from_pattern_id" in body,
        "from_pattern_id": body.get("from_pattern_id"),
    }


def confirmation(body: Body) -> Body:
    return {**as_given(body), "misconception_id": str(body["misconception_id"])}


# In the order of the API's routes; the names are the changes in discussion:changed.
COMMANDS: dict[str, Command] = {
    command.name: command
    for command in (
        Command(
            name="phase",
            method=LessonStudy.move_discussion_phase,
            http="PUT",
            path="/phase",
            status=200,
            view="move_phase",
            summary="Forward one phase, or back to any earlier one (recorded)."
            " 409 from a stale phase.",
            body=schemas.PhaseSchema,
            event=schemas.PhaseEventSchema,
            facilitator_only=True,
        ),
        Command(
            name="contribute",
            method=LessonStudy.contribute,
            http="POST",
            path="/contributions",
            status=201,
            view="contribute",
            summary="What someone says in the current phase (the instructor first), citing notes.",
            body=schemas.ContributionSchema,
            event=schemas.ContributionEventSchema,
            rule=taught_step,
        ),
        Command(
            name="pattern",
            method=LessonStudy.create_pattern,
            http="POST",
            path="/patterns",
            status=201,
            view="create_pattern",
            summary="A named cluster of notes (at least one) on the board.",
            body=schemas.PatternSchema,
            event=schemas.PatternEventSchema,
        ),
        Command(
            name="rename",
            method=LessonStudy.rename_pattern,
            http="PUT",
            path="/patterns/<pattern_id>/name",
            status=200,
            view="rename_pattern",
            summary="Rename a pattern; 409 with the current name if someone renamed it meanwhile.",
            body=schemas.RenameSchema,
            event=schemas.RenameEventSchema,
        ),
        Command(
            name="place",
            method=LessonStudy.place_note,
            http="PUT",
            path="/notes/<note_id>/pattern",
            status=200,
            view="place_note",
            summary="Move a note card into a pattern, or back onto the wall (null).",
            body=schemas.PlacementSchema,
            event=schemas.PlacementEventSchema,
            args=placement,
            rule=note_of_this_teaching,
        ),
        Command(
            name="claim",
            method=LessonStudy.make_claim,
            http="POST",
            path="/claims",
            status=201,
            view="make_claim",
            summary="A claim about student thinking, citing the notes that show it.",
            body=schemas.ClaimSchema,
            event=schemas.ClaimEventSchema,
        ),
        Command(
            name="confirm",
            method=LessonStudy.confirm_misconception,
            http="POST",
            path="/confirmations",
            status=201,
            view="confirm_misconception",
            summary="Confirm that a misconception appeared; refused without a cited note.",
            body=schemas.ConfirmationSchema,
            event=schemas.ConfirmationEventSchema,
            facilitator_only=True,
            args=confirmation,
            rule=known_misconception,
        ),
        Command(
            name="propose",
            method=LessonStudy.propose_revision,
            http="POST",
            path="/revisions",
            status=201,
            view="propose_revision",
            summary="A change to the plan for the next cycle, citing the notes that motivate it.",
            body=schemas.RevisionSchema,
            event=schemas.RevisionEventSchema,
        ),
        Command(
            name="decide",
            method=LessonStudy.decide_revision,
            http="PUT",
            path="/revisions/<revision_id>/decision",
            status=200,
            view="decide_revision",
            summary="Accept or reject a proposed revision (the facilitator, with the team).",
            body=schemas.DecisionSchema,
            event=schemas.DecisionEventSchema,
            facilitator_only=True,
        ),
    )
}


def check_may(participant: Participant, command: Command) -> None:
    """Before the body is read: facilitating needs the facilitator's role (403)."""
    if command.facilitator_only:
        require_facilitator(participant.actor, participant.teaching)


def run(participant: Participant, command: Command, body: Body) -> dict[str, Any]:
    """Run the command; the discussion as it now stands, announced to its room."""
    service = services().service
    args = command.args(body)

    def call() -> object:
        return command.method(
            service,
            actor_id=participant.actor.id,
            discussion_id=participant.discussion_id,
            **args,
        )

    try:
        command.rule(participant, body, call)
    except ConflictError as error:
        now = service.get_discussion(participant.discussion_id)
        error.current = {**error.current, "discussion": discussion_json(now)}
        raise
    view = service.get_discussion(participant.discussion_id)
    state = discussion_json(view)
    if view.version != participant.discussion.version:  # a resend that stored nothing says nothing
        announce_discussion_change(services().socketio, state, command.name, participant.actor.id)
    return state

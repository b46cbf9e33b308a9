"""The teaching's commands: one row each, from which its REST route (and OpenAPI entry)
and its Socket.IO event are made, for whichever of the two it has.

The lesson's clock (start, mode, step, end) is run over REST by its instructor or a
facilitator; notes (record, amend, retract) are written over Socket.IO only, acked
after commit (docs/realtime.md); an observer's focus comes both ways. A row names the
service's method, how the body becomes its arguments, and for each way in its route
or its event. Adding a command is adding a row to ``COMMANDS``.

Over REST a command is refused before its body is read (401, 404, 403, then 422),
announced to the teaching's room as ``teaching:changed`` and answered with the
teaching. Over Socket.IO the service refuses outsiders inside the command itself
(realtime/observation.py's ``command_access``), and each event says what the room
hears and what the ack carries.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_socketio import SocketIO
from marshmallow import Schema

from lessonstudy.application import LessonStudy
from lessonstudy.application.results import NoteReceipt, TeachingView
from lessonstudy.domain.errors import InvalidValueError
from lessonstudy.domain.observation import NOTE_FIELDS
from lessonstudy.server.api.teaching.schemas import FocusSchema, ModeSchema, StartSchema, StepSchema
from lessonstudy.server.guests import Actor
from lessonstudy.server.photos import photo_store
from lessonstudy.server.presenters import receipt_json
from lessonstudy.server.realtime import observation_schemas as events
from lessonstudy.server.realtime.rooms import announce_note_change, announce_teaching_change
from lessonstudy.server.teaching_access import observer_of, runner_of

log = logging.getLogger(__name__)

Body = dict[str, Any]
# A rule a payload must pass before its command runs, given the teaching's id.
Check = Callable[[str, Body], None]
# What the room hears after a Socket.IO command, and the ack's body: given the app's
# SocketIO, the teaching, what the service returned and the payload.
Answer = Callable[[SocketIO, str, Any, Body], Body]


def no_check(_teaching_id: str, _body: Body) -> None:
    """Nothing to check beyond the schema."""


@dataclass(frozen=True)
class Route:
    """A command over REST, at /api/v1/teachings/{teaching_id}<path>."""

    http: str
    path: str
    view: str  # the route's endpoint name
    summary: str | None  # the OpenAPI summary
    body: type[Schema] | None
    who: Callable[[object], tuple[Actor, TeachingView]]  # observer_of or runner_of
    change: str  # what teaching:changed says after it


@dataclass(frozen=True)
class Event:
    """A command over Socket.IO."""

    name: str
    schema: Schema  # built once and shared by the handlers' threads (loading keeps it as is)
    answer: Answer
    check: Check = no_check


@dataclass(frozen=True)
class Command:
    method: Callable[..., Any]  # LessonStudy's, given actor_id and teaching_id
    args: Callable[[Body], Body]  # the method's other arguments, from the body
    route: Route | None = None
    event: Event | None = None


def as_given(body: Body) -> Body:
    return body


def check_photo(teaching_id: str, fields: Body) -> None:
    photo_id = fields.get("photo_id")
    if photo_id is not None and not photo_store().exists(teaching_id, photo_id):
        raise InvalidValueError("upload the photo first; no photo has that id", field="photo_id")


def note_answer(*, resend_has_position: bool) -> Answer:
    """A stored note change goes to the room; the ack carries the receipt."""

    def answer(socketio: SocketIO, teaching_id: str, receipt: NoteReceipt, _body: Body) -> Body:
        broadcast(socketio, teaching_id, receipt)
        return receipt_json(teaching_id, receipt, resend_has_position=resend_has_position)

    return answer


def broadcast(socketio: SocketIO, teaching_id: str, receipt: NoteReceipt) -> None:
    if receipt.duplicate:
        return  # nothing new was stored, so the room has already seen it
    if receipt.change is None:  # pragma: no cover - a stored change always has one
        log.warning("no note change at %s for %s", receipt.position, receipt.note_id)
        return
    announce_note_change(socketio, teaching_id, receipt.change)


def focus_answer(socketio: SocketIO, teaching_id: str, _result: object, body: Body) -> Body:
    announce_teaching_change(socketio, teaching_id, "focus")
    return {"codes": body["codes"]}


def recorded(body: Body) -> Body:
    fields = {name: body[name] for name in NOTE_FIELDS}
    return {"note_id": body["note_id"], "recorded_at": body["recorded_at"], **fields}


# The clock's routes in the order of the API's document, then the notes' events.
COMMANDS: tuple[Command, ...] = (
    Command(
        method=LessonStudy.start_teaching,
        args=as_given,
        route=Route(
            http="POST",
            path="/start",
            view="start",
            summary="Start the lesson's clock at the first step; note offsets count from now.",
            body=StartSchema,
            who=runner_of,
            change="started",
        ),
    ),
    Command(
        method=LessonStudy.change_lesson_mode,
        args=as_given,
        route=Route(
            http="PUT",
            path="/mode",
            view="change_mode",
            summary="Whole class, groups, pairs or individual work, from now on.",
            body=ModeSchema,
            who=runner_of,
            change="mode",
        ),
    ),
    Command(
        method=LessonStudy.move_to_step,
        args=as_given,
        route=Route(
            http="PUT",
            path="/step",
            view="move_to_step",
            summary="The plan step the lesson is at now (observers' notes default to it).",
            body=StepSchema,
            who=runner_of,
            change="step",
        ),
    ),
    Command(
        method=LessonStudy.end_teaching,
        args=as_given,
        route=Route(
            http="POST",
            path="/end",
            view="end",
            summary=None,
            body=None,
            who=runner_of,
            change="ended",
        ),
    ),
    Command(
        method=LessonStudy.choose_focus,
        args=lambda body: {"codes": body["codes"]},
        route=Route(
            http="PUT",
            path="/focus",
            view="choose_focus",
            summary="The seats or groups the asking observer follows.",
            body=FocusSchema,
            who=observer_of,
            change="focus",
        ),
        event=Event("teaching:focus", events.FocusSchema(), focus_answer),
    ),
    Command(
        method=LessonStudy.record_note,
        args=recorded,
        event=Event(
            "note:record",
            events.RecordSchema(),
            note_answer(resend_has_position=True),
            check=check_photo,
        ),
    ),
    Command(
        method=LessonStudy.amend_note,
        args=lambda body: {"note_id": body["note_id"], "changes": body["changes"]},
        event=Event(
            "note:amend",
            events.AmendSchema(),
            note_answer(resend_has_position=False),
            check=lambda teaching_id, body: check_photo(teaching_id, body["changes"]),
        ),
    ),
    Command(
        method=LessonStudy.retract_note_once,
        args=lambda body: {"note_id": body["note_id"], "reason": body["reason"]},
        event=Event(
            "note:retract",
            events.RetractSchema(),
            note_answer(resend_has_position=False),
        ),
    ),
)

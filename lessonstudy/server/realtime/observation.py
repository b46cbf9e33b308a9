"""The teaching room: observers record notes live, and nothing is lost or stored twice.

Every event is acknowledged, and a note only once the service has committed it, with
its log position; a note id seen before acks the original and is not broadcast
again. Each stored change is broadcast to the room exactly as catch-up replays it
(read back from the log at its position), so a client applies live changes and
missed ones with the same code. The protocol is written down in docs/realtime.md.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_socketio import SocketIO, join_room, leave_room
from marshmallow import Schema, ValidationError

from lessonstudy.application import LessonStudy
from lessonstudy.application.results import NoteReceipt, TeachingView
from lessonstudy.domain.errors import DomainError, InvalidValueError
from lessonstudy.domain.observation import NOTE_FIELDS
from lessonstudy.server.context import services
from lessonstudy.server.guests import Actor
from lessonstudy.server.photos import photo_store
from lessonstudy.server.presenters import catch_up_json, note_json, teaching_detail_json
from lessonstudy.server.realtime import observation_schemas as schemas
from lessonstudy.server.realtime.acks import Handler, acked
from lessonstudy.server.realtime.connection import connection_actor
from lessonstudy.server.realtime.rooms import (
    announce_note_change,
    announce_teaching_change,
    teaching_room,
)
from lessonstudy.server.teaching_access import canonical_id, observer_of

log = logging.getLogger(__name__)

# Built once: a schema's fields are set up when it is made, and loading does not
# change it, so the handlers' threads share these.
TEACHING_REF = schemas.TeachingRefSchema()
JOIN = schemas.JoinSchema()
LEAVE = schemas.LeaveSchema()
RECORD = schemas.RecordSchema()
AMEND = schemas.AmendSchema()
RETRACT = schemas.RetractSchema()
FOCUS = schemas.FocusSchema()


def access(payload: dict[str, Any]) -> tuple[Actor, TeachingView, str]:
    """Who asks about which teaching: 422 without a teaching_id, then 401/404/403."""
    teaching_id = str(TEACHING_REF.load(payload)["teaching_id"])
    actor, view = observer_of(teaching_id, connection_actor)
    return actor, view, teaching_id


def command_access(
    payload: dict[str, Any], schema: Schema, check: Callable[[str, dict[str, Any]], None]
) -> tuple[Actor, str, dict[str, Any]]:
    """Who asks, about which teaching, and the payload loaded by schema and checked,
    for an event that runs a service command.

    The command itself refuses (404, then 403) anyone not on the teaching's team or
    admitted as its guest, on every event, before it reads the payload's fields; so
    the team and teaching are not read twice per note here. Only a payload refused
    before the command runs pays for that check first, so that refusals keep their
    order: 401, 404, 403, and only then 422.
    """
    teaching_id = teaching_ref(payload)
    actor = connection_actor(teaching_id)  # 401; 403 for another lesson's guest
    try:
        body: dict[str, Any] = schema.load(payload)
        check(teaching_id, body)
    except (ValidationError, DomainError):
        observer_of(teaching_id, connection_actor)  # an outsider learns nothing more
        raise
    return actor, teaching_id, body


def teaching_ref(payload: dict[str, Any]) -> str:
    """The payload's teaching id, canonical. A well-formed id (every note) skips the
    schema, which costs a note a second validation pass; anything else gets the
    schema's error naming the field."""
    value = payload.get("teaching_id")
    if isinstance(value, str):
        try:
            return str(uuid.UUID(value))
        except ValueError:
            pass
    return canonical_id(TEACHING_REF.load(payload)["teaching_id"])


def receipt_json(
    teaching_id: str, receipt: NoteReceipt, *, resend_has_position: bool
) -> dict[str, Any]:
    """The ack of a note command. A resent note is acked with the original's position;
    a resent amendment or retraction stored nothing, so it has no position of its own."""
    position = receipt.position if resend_has_position or not receipt.duplicate else None
    body: dict[str, Any] = {
        "note_id": receipt.note_id,
        "position": position,
        "duplicate": receipt.duplicate,
        "note": note_json(teaching_id, receipt.note),
    }
    if receipt.nudge:
        body["nudge"] = receipt.nudge
    return body


def join(payload: dict[str, Any]) -> dict[str, Any]:
    """Join the room, then catch up: a change landing in between may come twice."""
    actor, _, teaching_id = access(payload)
    since = JOIN.load(payload)["since"]
    join_room(teaching_room(teaching_id))
    view = services().service.get_teaching(teaching_id)
    caught = services().service.notes_since(teaching_id, since)
    teaching = teaching_detail_json(view, actor)
    return {
        "teaching": teaching,
        "you": actor_json(actor),
        **catch_up_json(teaching_id, caught),
    }


def leave(payload: dict[str, Any]) -> dict[str, Any]:
    teaching_id = str(LEAVE.load(payload)["teaching_id"])
    leave_room(teaching_room(teaching_id))
    return {}


Check = Callable[[str, dict[str, Any]], None]
# What a stored command tells the room, and the ack's body: given the app's SocketIO,
# the teaching, what the service returned and the loaded payload.
Answer = Callable[[SocketIO, str, Any, dict[str, Any]], dict[str, Any]]


def no_check(_teaching_id: str, _body: dict[str, Any]) -> None:
    """Nothing to check beyond the schema."""


@dataclass(frozen=True)
class Command:
    """An event that runs a service command, for whoever observes the teaching (the
    service refuses anyone else on every command; see command_access)."""

    event: str
    method: Callable[..., Any]  # LessonStudy's, given actor_id and teaching_id
    schema: Schema  # the payload's
    args: Callable[[dict[str, Any]], dict[str, Any]]  # the method's other arguments
    answer: Answer
    check: Check = no_check  # a rule the payload must pass before the command runs


def check_photo(teaching_id: str, fields: dict[str, Any]) -> None:
    photo_id = fields.get("photo_id")
    if photo_id is not None and not photo_store().exists(teaching_id, photo_id):
        raise InvalidValueError("upload the photo first; no photo has that id", field="photo_id")


def note_answer(*, resend_has_position: bool) -> Answer:
    """Broadcast a stored note change to the room; ack with the receipt."""

    def answer(
        socketio: SocketIO, teaching_id: str, receipt: NoteReceipt, _body: dict[str, Any]
    ) -> dict[str, Any]:
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


def focus_answer(
    socketio: SocketIO, teaching_id: str, _result: object, body: dict[str, Any]
) -> dict[str, Any]:
    announce_teaching_change(socketio, teaching_id, "focus")
    return {"codes": body["codes"]}


COMMANDS: tuple[Command, ...] = (
    Command(
        "note:record",
        LessonStudy.record_note,
        RECORD,
        lambda body: {
            "note_id": body["note_id"],
            "recorded_at": body["recorded_at"],
            **{name: body[name] for name in NOTE_FIELDS},
        },
        note_answer(resend_has_position=True),
        check=check_photo,
    ),
    Command(
        "note:amend",
        LessonStudy.amend_note,
        AMEND,
        lambda body: {"note_id": body["note_id"], "changes": body["changes"]},
        note_answer(resend_has_position=False),
        check=lambda teaching_id, body: check_photo(teaching_id, body["changes"]),
    ),
    Command(
        "note:retract",
        LessonStudy.retract_note_once,
        RETRACT,
        lambda body: {"note_id": body["note_id"], "reason": body["reason"]},
        note_answer(resend_has_position=False),
    ),
    Command(
        "teaching:focus",
        LessonStudy.choose_focus,
        FOCUS,
        lambda body: {"codes": body["codes"]},
        focus_answer,
    ),
)


def command_handler(socketio: SocketIO, command: Command) -> Handler:
    def handle(payload: dict[str, Any]) -> dict[str, Any]:
        actor, teaching_id, body = command_access(payload, command.schema, command.check)
        result = command.method(
            services().service, actor_id=actor.id, teaching_id=teaching_id, **command.args(body)
        )
        return command.answer(socketio, teaching_id, result, body)

    handle.__name__ = command.event.replace(":", "_")
    return handle


def register(socketio: SocketIO) -> None:
    socketio.on_event("teaching:join", acked(join))
    socketio.on_event("teaching:leave", acked(leave))
    for command in COMMANDS:
        socketio.on_event(command.event, acked(command_handler(socketio, command)))


def actor_json(actor: Actor) -> dict[str, Any]:
    return {"person_id": actor.id, "name": actor.name, "guest": actor.guest}

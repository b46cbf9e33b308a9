"""The teaching room: observers record notes live, and nothing is lost or stored twice.

Every event is acknowledged, and a note only once the service has committed it, with
its log position; a note id seen before acks the original and is not broadcast
again. Each stored change is broadcast to the room exactly as catch-up replays it
(read back from the log at its position), so a client applies live changes and
missed ones with the same code. The protocol is written down in docs/realtime.md.
"""

from __future__ import annotations

import functools
import logging
import uuid
from collections.abc import Callable
from typing import Any

from flask_socketio import SocketIO, join_room, leave_room
from marshmallow import Schema, ValidationError

from lessonstudy.application.results import NoteReceipt, TeachingView
from lessonstudy.domain.errors import DomainError, InvalidValueError
from lessonstudy.domain.observation import NOTE_FIELDS
from lessonstudy.server.errors import (
    domain_error_body,
    error_body,
    validation_error_body,
)
from lessonstudy.server.guests import Actor
from lessonstudy.server.photos import photo_store
from lessonstudy.server.realtime import observation_schemas as schemas
from lessonstudy.server.realtime.connection import connection_actor
from lessonstudy.server.realtime.rooms import (
    announce_note_change,
    announce_teaching_change,
    teaching_room,
)
from lessonstudy.server.teaching_access import canonical_id, observer_of
from lessonstudy.server.teaching_views import (
    catch_up_json,
    note_json,
    teaching_detail_json,
)

log = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any]], dict[str, Any]]

# Built once: a schema's fields are set up when it is made, and loading does not
# change it, so the handlers' threads share these.
TEACHING_REF = schemas.TeachingRefSchema()
JOIN = schemas.JoinSchema()
LEAVE = schemas.LeaveSchema()
RECORD = schemas.RecordSchema()
AMEND = schemas.AmendSchema()
RETRACT = schemas.RetractSchema()
FOCUS = schemas.FocusSchema()


def acked(handler: Handler) -> Callable[[Any], dict[str, Any]]:
    """The handler's answer with ok: true, or the REST API's error body, as the ack."""

    @functools.wraps(handler)
    def answer(payload: Any = None) -> dict[str, Any]:
        try:
            if not isinstance(payload, dict):
                raise ValidationError({"request": ["the payload must be an object"]})
            return {"ok": True, **handler(payload)}
        except ValidationError as error:
            messages: Any = error.messages
            return validation_error_body(messages)
        except DomainError as error:
            return domain_error_body(error)[0]
        except Exception:  # the client still gets an answer, and can resend later
            log.exception("socket event %s failed", handler.__name__)
            return error_body(500, "internal", "something went wrong on the server")

    return answer


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


def check_photo(teaching_id: str, fields: dict[str, Any]) -> None:
    photo_id = fields.get("photo_id")
    if photo_id is not None and not photo_store().exists(teaching_id, photo_id):
        raise InvalidValueError("upload the photo first; no photo has that id", field="photo_id")


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


def register(socketio: SocketIO) -> None:
    from lessonstudy.server import services

    def broadcast(teaching_id: str, receipt: NoteReceipt) -> None:
        if receipt.duplicate:
            return  # nothing new was stored, so the room has already seen it
        if receipt.change is None:  # pragma: no cover - a stored change always has one
            log.warning("no note change at %s for %s", receipt.position, receipt.note_id)
            return
        announce_note_change(socketio, teaching_id, receipt.change)

    @socketio.on("teaching:join")
    @acked
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

    @socketio.on("teaching:leave")
    @acked
    def leave(payload: dict[str, Any]) -> dict[str, Any]:
        teaching_id = str(LEAVE.load(payload)["teaching_id"])
        leave_room(teaching_room(teaching_id))
        return {}

    @socketio.on("note:record")
    @acked
    def record(payload: dict[str, Any]) -> dict[str, Any]:
        actor, teaching_id, body = command_access(payload, RECORD, check_photo)
        fields = {name: body[name] for name in NOTE_FIELDS}
        receipt = services().service.record_note(
            actor_id=actor.id,
            teaching_id=teaching_id,
            note_id=body["note_id"],
            recorded_at=body["recorded_at"],
            **fields,
        )
        broadcast(teaching_id, receipt)
        return receipt_json(teaching_id, receipt, resend_has_position=True)

    @socketio.on("note:amend")
    @acked
    def amend(payload: dict[str, Any]) -> dict[str, Any]:
        actor, teaching_id, body = command_access(
            payload, AMEND, lambda tid, body: check_photo(tid, body["changes"])
        )
        receipt = services().service.amend_note(
            actor_id=actor.id,
            teaching_id=teaching_id,
            note_id=body["note_id"],
            changes=body["changes"],
        )
        broadcast(teaching_id, receipt)
        return receipt_json(teaching_id, receipt, resend_has_position=False)

    @socketio.on("note:retract")
    @acked
    def retract(payload: dict[str, Any]) -> dict[str, Any]:
        actor, teaching_id, body = command_access(payload, RETRACT, no_check)
        receipt = services().service.retract_note_once(
            actor_id=actor.id,
            teaching_id=teaching_id,
            note_id=body["note_id"],
            reason=body["reason"],
        )
        broadcast(teaching_id, receipt)
        return receipt_json(teaching_id, receipt, resend_has_position=False)

    @socketio.on("teaching:focus")
    @acked
    def focus(payload: dict[str, Any]) -> dict[str, Any]:
        actor, teaching_id, body = command_access(payload, FOCUS, no_check)
        codes = body["codes"]
        services().service.choose_focus(actor_id=actor.id, teaching_id=teaching_id, codes=codes)
        announce_teaching_change(socketio, teaching_id, "focus")
        return {"codes": codes}


def no_check(_teaching_id: str, _body: dict[str, Any]) -> None:
    """Nothing to check beyond the schema."""


def actor_json(actor: Actor) -> dict[str, Any]:
    return {"person_id": actor.id, "name": actor.name, "guest": actor.guest}

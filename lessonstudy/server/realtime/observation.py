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
from collections.abc import Callable
from typing import Any

from flask_socketio import SocketIO, join_room, leave_room
from marshmallow import ValidationError

from lessonstudy.application.views import NoteReceipt, TeachingView
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
from lessonstudy.server.realtime.rooms import (
    announce_note_change,
    announce_teaching_change,
    teaching_room,
)
from lessonstudy.server.teaching_access import observer_of
from lessonstudy.server.teaching_views import (
    catch_up_json,
    note_json,
    teaching_detail_json,
)

log = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any]], dict[str, Any]]


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
    teaching_id = str(schemas.TeachingRefSchema().load(payload)["teaching_id"])
    actor, view = observer_of(teaching_id)
    return actor, view, teaching_id


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

    def broadcast(teaching_id: str, actor: Actor, receipt: NoteReceipt) -> None:
        if receipt.duplicate:
            return  # nothing new was stored, so the room has already seen it
        change = services().service.note_change_at(teaching_id, actor.id, receipt.position)
        if change is None:  # pragma: no cover - a stored change is always found
            log.warning("no note change at %s for %s", receipt.position, receipt.note_id)
            return
        announce_note_change(socketio, teaching_id, change)

    @socketio.on("teaching:join")
    @acked
    def join(payload: dict[str, Any]) -> dict[str, Any]:
        """Join the room, then catch up: a change landing in between may come twice."""
        actor, _, teaching_id = access(payload)
        since = schemas.JoinSchema().load(payload)["since"]
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
        teaching_id = str(schemas.LeaveSchema().load(payload)["teaching_id"])
        leave_room(teaching_room(teaching_id))
        return {}

    @socketio.on("note:record")
    @acked
    def record(payload: dict[str, Any]) -> dict[str, Any]:
        actor, _, teaching_id = access(payload)
        body = schemas.RecordSchema().load(payload)
        fields = {name: body[name] for name in NOTE_FIELDS}
        check_photo(teaching_id, fields)
        receipt = services().service.record_note(
            actor_id=actor.id,
            teaching_id=teaching_id,
            note_id=body["note_id"],
            recorded_at=body["recorded_at"],
            **fields,
        )
        broadcast(teaching_id, actor, receipt)
        return receipt_json(teaching_id, receipt, resend_has_position=True)

    @socketio.on("note:amend")
    @acked
    def amend(payload: dict[str, Any]) -> dict[str, Any]:
        actor, _, teaching_id = access(payload)
        body = schemas.AmendSchema().load(payload)
        check_photo(teaching_id, body["changes"])
        receipt = services().service.amend_note(
            actor_id=actor.id,
            teaching_id=teaching_id,
            note_id=body["note_id"],
            changes=body["changes"],
        )
        broadcast(teaching_id, actor, receipt)
        return receipt_json(teaching_id, receipt, resend_has_position=False)

    @socketio.on("note:retract")
    @acked
    def retract(payload: dict[str, Any]) -> dict[str, Any]:
        actor, _, teaching_id = access(payload)
        body = schemas.RetractSchema().load(payload)
        receipt = services().service.retract_note_once(
            actor_id=actor.id,
            teaching_id=teaching_id,
            note_id=body["note_id"],
            reason=body["reason"],
        )
        broadcast(teaching_id, actor, receipt)
        return receipt_json(teaching_id, receipt, resend_has_position=False)

    @socketio.on("teaching:focus")
    @acked
    def focus(payload: dict[str, Any]) -> dict[str, Any]:
        actor, _, teaching_id = access(payload)
        codes = schemas.FocusSchema().load(payload)["codes"]
        services().service.choose_focus(actor_id=actor.id, teaching_id=teaching_id, codes=codes)
        announce_teaching_change(socketio, teaching_id, "focus")
        return {"codes": codes}


def actor_json(actor: Actor) -> dict[str, Any]:
    return {"person_id": actor.id, "name": actor.name, "guest": actor.guest}

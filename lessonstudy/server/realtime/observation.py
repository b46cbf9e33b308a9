"""The teaching room: observers record notes live, and nothing is lost or stored twice.

Every event is acknowledged, and a note only once the service has committed it, with
its log position; a note id seen before acks the original and is not broadcast
again. Each stored change is broadcast to the room exactly as catch-up replays it
(read back from the log at its position), so a client applies live changes and
missed ones with the same code. The protocol is written down in docs/realtime.md.

The commands (record, amend, retract, focus) are rows of api/teaching/commands.py;
this module checks who sends them and registers them, with joining and leaving.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from flask_socketio import SocketIO, join_room, leave_room
from marshmallow import Schema, ValidationError

from lessonstudy.application.results import TeachingView
from lessonstudy.domain.errors import DomainError
from lessonstudy.server.api.teaching import COMMANDS, Command, Event
from lessonstudy.server.context import services
from lessonstudy.server.guests import Actor
from lessonstudy.server.presenters import catch_up_json, teaching_detail_json
from lessonstudy.server.realtime import observation_schemas as schemas
from lessonstudy.server.realtime.acks import Handler, acked
from lessonstudy.server.realtime.connection import connection_actor
from lessonstudy.server.realtime.rooms import teaching_room
from lessonstudy.server.teaching_access import canonical_id, observer_of

# Built once: a schema's fields are set up when it is made, and loading does not
# change it, so the handlers' threads share these.
TEACHING_REF = schemas.TeachingRefSchema()
JOIN = schemas.JoinSchema()
LEAVE = schemas.LeaveSchema()


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


def command_handler(socketio: SocketIO, command: Command, event: Event) -> Handler:
    def handle(payload: dict[str, Any]) -> dict[str, Any]:
        actor, teaching_id, body = command_access(payload, event.schema, event.check)
        result = command.method(
            services().service, actor_id=actor.id, teaching_id=teaching_id, **command.args(body)
        )
        return event.answer(socketio, teaching_id, result, body)

    handle.__name__ = event.name.replace(":", "_")
    return handle


def register(socketio: SocketIO) -> None:
    socketio.on_event("teaching:join", acked(join))
    socketio.on_event("teaching:leave", acked(leave))
    for command in COMMANDS:
        if command.event is not None:
            handler = command_handler(socketio, command, command.event)
            socketio.on_event(command.event.name, acked(handler))


def actor_json(actor: Actor) -> dict[str, Any]:
    return {"person_id": actor.id, "name": actor.name, "guest": actor.guest}

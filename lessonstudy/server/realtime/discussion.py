"""The post-lesson discussion over Socket.IO: one room per discussion, shared live.

``discussion:join`` admits whoever may observe the teaching (its team and its guests,
e.g. the knowledgeable other) and answers with the whole board. Every command is an
event with an ack: ``{ok: true, discussion}`` once the service has stored it, or the
REST API's error body. Each stored change goes to everyone in the room as
``discussion:changed`` with the discussion's new state and version. The protocol,
payload by payload, is in docs/realtime.md.
"""

from __future__ import annotations

from typing import Any

from flask_socketio import SocketIO, join_room, leave_room

from lessonstudy.server.api.discussion import COMMANDS, Command, check_may, run, schemas
from lessonstudy.server.presenters import board_json
from lessonstudy.server.realtime.acks import acked
from lessonstudy.server.realtime.discussion_room import discussion_room
from lessonstudy.server.teaching_access import participant_of


def register(socketio: SocketIO) -> None:
    @socketio.on("discussion:join")
    @acked
    def join(payload: dict[str, Any]) -> dict[str, Any]:
        """Join the room, then read the board: a change in between may arrive twice."""
        discussion_id = str(schemas.DiscussionRefSchema().load(payload)["discussion_id"])
        participant_of(discussion_id)  # 401/404/403 before joining
        schemas.JoinSchema().load(payload)
        join_room(discussion_room(discussion_id))
        return board_json(participant_of(discussion_id))

    @socketio.on("discussion:leave")
    @acked
    def leave(payload: dict[str, Any]) -> dict[str, Any]:
        discussion_id = str(schemas.JoinSchema().load(payload)["discussion_id"])
        leave_room(discussion_room(discussion_id))
        return {}

    for command in COMMANDS.values():
        socketio.on_event(command.event_name, acked(_command(command)))


def _command(command: Command) -> Any:
    def handle(payload: dict[str, Any]) -> dict[str, Any]:
        participant = participant_of(schemas.DiscussionRefSchema().load(payload)["discussion_id"])
        check_may(participant, command)  # 403 before the rest of the payload is read
        body = command.event().load(payload)
        return {"discussion": run(participant, command, body)}

    handle.__name__ = f"discussion_{command.name}"
    return handle

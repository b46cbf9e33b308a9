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
from marshmallow import Schema

from lessonstudy.server.api import discussion_schemas as schemas
from lessonstudy.server.discussion_commands import check_may, run
from lessonstudy.server.discussion_views import board_json, participant_of
from lessonstudy.server.realtime.discussion_room import discussion_room
from lessonstudy.server.realtime.observation import acked

# Event name -> (the change it makes, the payload's schema).
EVENTS: dict[str, tuple[str, type[Schema]]] = {
    "discussion:phase": ("phase", schemas.PhaseEventSchema),
    "discussion:contribute": ("contribute", schemas.ContributionEventSchema),
    "discussion:pattern": ("pattern", schemas.PatternEventSchema),
    "discussion:rename": ("rename", schemas.RenameEventSchema),
    "discussion:place": ("place", schemas.PlacementEventSchema),
    "discussion:claim": ("claim", schemas.ClaimEventSchema),
    "discussion:confirm": ("confirm", schemas.ConfirmationEventSchema),
    "discussion:propose": ("propose", schemas.RevisionEventSchema),
    "discussion:decide": ("decide", schemas.DecisionEventSchema),
}


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

    for event, (change, schema) in EVENTS.items():
        socketio.on_event(event, acked(_command(change, schema)))


def _command(change: str, schema: type[Schema]) -> Any:
    def handle(payload: dict[str, Any]) -> dict[str, Any]:
        seat = participant_of(schemas.DiscussionRefSchema().load(payload)["discussion_id"])
        check_may(seat, change)  # 403 before the rest of the payload is read
        body = schema().load(payload)
        return {"discussion": run(seat, change, body)}

    handle.__name__ = f"discussion_{change}"
    return handle

"""Guests join a teaching with its join code and a name (see server/guests.py)."""

from __future__ import annotations

from typing import Any

from lessonstudy.server import services
from lessonstudy.server.api.teaching_blueprint import blp
from lessonstudy.server.api.teaching_schemas import GuestJoinSchema, GuestSchema
from lessonstudy.server.guests import admit_guest
from lessonstudy.server.realtime.rooms import announce_teaching_change
from lessonstudy.server.teaching_access import canonical_id


@blp.route("/teachings/<uuid:teaching_id>/guests", methods=["POST"])
@blp.arguments(GuestJoinSchema)
@blp.response(201, GuestSchema)
def join_as_guest(body: dict[str, Any], teaching_id: Any) -> dict[str, Any]:
    """Join with the code read out in the room: no account needed.

    Answers 422 naming join_code for a wrong code, 409 once the lesson has ended.
    The session cookie then opens this teaching (and only it) to a guest: connect
    to Socket.IO after this call, since a connection reads the session when it opens.
    """
    tid = canonical_id(teaching_id)
    services().service.get_teaching(tid)  # 404 before anything about the code
    person = admit_guest(tid, join_code=body["join_code"], name=body["name"], roles=body["roles"])
    announce_teaching_change(services().socketio, tid, "guests")
    return {"teaching_id": tid, "person_id": person.id, "name": person.name, "guest": person.guest}

"""Guests join a teaching with its join code and a name (see server/guests.py)."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_limiter.util import get_remote_address
from flask_smorest import abort
from limits import RateLimitItem, parse

from lessonstudy.domain.errors import InvalidValueError
from lessonstudy.server.api.teaching.blueprint import blp
from lessonstudy.server.api.teaching.schemas import GuestJoinSchema, GuestSchema
from lessonstudy.server.context import services
from lessonstudy.server.guests import admit_guest
from lessonstudy.server.realtime.rooms import announce_teaching_change
from lessonstudy.server.teaching_access import canonical_id

# A join code is six characters read aloud, so wrong guesses are slowed per address.
# Only failures count: a class of guests behind one school address joins freely.
WRONG_CODES: RateLimitItem = parse("20/minute")


@blp.route("/teachings/<uuid:teaching_id>/guests", methods=["POST"])
@blp.arguments(GuestJoinSchema)
@blp.response(201, GuestSchema)
def join_as_guest(body: dict[str, Any], teaching_id: Any) -> dict[str, Any]:
    """Join with the code read out in the room: no account needed.

    Answers 422 naming join_code for a wrong code, 409 once the lesson has ended, and
    429 after 20 wrong codes from one address in a minute. The session cookie then
    opens this teaching (and only it) to a guest: connect to Socket.IO after this
    call, since a connection reads the session when it opens.
    """
    tid = canonical_id(teaching_id)
    services().service.get_teaching(tid)  # 404 before anything about the code
    limiter, key = _code_limiter(), ("guest-join", get_remote_address())
    if limiter is not None and not limiter.test(WRONG_CODES, *key):
        abort(429, message="too many wrong join codes; wait a minute")
    try:
        person = admit_guest(
            tid, join_code=body["join_code"], name=body["name"], roles=body["roles"]
        )
    except InvalidValueError as error:
        if limiter is not None and error.field == "join_code":
            limiter.hit(WRONG_CODES, *key)
        raise
    announce_teaching_change(services().socketio, tid, "guests")
    return {"teaching_id": tid, "person_id": person.id, "name": person.name, "guest": person.guest}


def _code_limiter() -> Any:
    """The app's rate limiter strategy (memory, or Redis when configured), if any."""
    found = current_app.extensions.get("limiter")
    return next(iter(found)).limiter if found else None

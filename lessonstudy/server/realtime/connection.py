"""Who may open a Socket.IO connection: a signed-in person, or a guest of a teaching.

Both are read from the signed session cookie when the connection opens (Flask-SocketIO
keeps that copy of the session for the connection's life), so a guest joins with the
code over REST first and connects after. What a connection may then do is checked
event by event: a guest's session opens only the teaching they joined.

The signed-in person is resolved once, here, and kept in the connection's session:
Flask-Login would otherwise load their account again on every event (a note is one
event), for an answer that cannot change while the connection lasts (its session is
that same copy). What they may do in a teaching is still checked on every event.
"""

from __future__ import annotations

from typing import Any

from flask import session
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, SocketIO, join_room

from lessonstudy.server.guests import Actor, actor_in, has_guest_session, signed_in_actor
from lessonstudy.server.realtime.revocation import person_room

# The connection's signed-in person ({"id", "name"}) or None; in the connection's own
# copy of the session only (Flask-SocketIO never writes it back to the cookie).
PERSON_KEY = "lessonstudy_socket_person"


def register(socketio: SocketIO) -> None:
    @socketio.on("connect")
    def connect(_auth: Any = None) -> None:
        if not current_user.is_authenticated and not has_guest_session():
            # The client sees this message in its connect_error event.
            raise ConnectionRefusedError("sign in, or join with the lesson's code")
        person = signed_in_actor()
        session[PERSON_KEY] = None if person is None else {"id": person.id, "name": person.name}
        if person is not None:
            # Their own room: how a removal from a team finds their sockets (revocation.py).
            join_room(person_room(person.id))


def connection_actor(teaching_id: str) -> Actor:
    """Who asks on this connection about this teaching (guests.current_actor's answer
    and refusals, without loading the account again)."""
    found: Any = session.get(PERSON_KEY)
    person = Actor(found["id"], found["name"], guest=False) if found else None
    return actor_in(teaching_id, person)

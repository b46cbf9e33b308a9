"""Who may open a Socket.IO connection: a signed-in person, or a guest of a teaching.

Both are read from the signed session cookie when the connection opens (Flask-SocketIO
keeps that copy of the session for the connection's life), so a guest joins with the
code over REST first and connects after. What a connection may then do is checked
event by event: a guest's session opens only the teaching they joined.
"""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from flask_socketio import ConnectionRefusedError, SocketIO

from lessonstudy.server.guests import has_guest_session


def register(socketio: SocketIO) -> None:
    @socketio.on("connect")
    def connect(_auth: Any = None) -> None:
        if not current_user.is_authenticated and not has_guest_session():
            # The client sees this message in its connect_error event.
            raise ConnectionRefusedError("sign in, or join with the lesson's code")

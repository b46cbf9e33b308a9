"""Who may open a Socket.IO connection: signed-in people only (the session cookie)."""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from flask_socketio import ConnectionRefusedError, SocketIO


def register(socketio: SocketIO) -> None:
    @socketio.on("connect")
    def connect(_auth: Any = None) -> None:
        if not current_user.is_authenticated:
            # The client sees this message in its connect_error event.
            raise ConnectionRefusedError("sign in first")

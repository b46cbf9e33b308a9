"""The discussion room, and what is announced in it (see docs/realtime.md).

Emitted through the app's SocketIO object, so with a Redis message queue every server
process delivers it to its own clients in the room.
"""

from __future__ import annotations

from typing import Any

from flask_socketio import SocketIO


def discussion_room(discussion_id: str) -> str:
    return f"discussion:{discussion_id}"


def announce_discussion_change(
    socketio: SocketIO, state: dict[str, Any], change: str, by: str
) -> None:
    """The whole discussion after a change, with its version: applied once, in any order."""
    payload = {
        "discussion_id": state["id"],
        "change": change,
        "by": by,
        "version": state["version"],
        "discussion": state,
    }
    socketio.emit("discussion:changed", payload, to=discussion_room(state["id"]))

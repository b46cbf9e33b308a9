"""The teaching room, and what is announced in it.

Everything is emitted through the app's SocketIO object, so with a Redis message
queue configured every server process delivers it to its own clients in the room.
"""

from __future__ import annotations

import logging

from flask_socketio import SocketIO

from lessonstudy.application.note_feed import NoteChange
from lessonstudy.server.context import services
from lessonstudy.server.presenters import change_json, jsonable, teaching_json

log = logging.getLogger(__name__)

# The events a note change is announced as, by its type.
NOTE_EVENTS = {
    "recorded": "note:recorded",
    "amended": "note:amended",
    "retracted": "note:retracted",
}


def teaching_room(teaching_id: str) -> str:
    return f"teaching:{teaching_id}"


def announce_note_change(socketio: SocketIO, teaching_id: str, change: NoteChange) -> None:
    socketio.emit(
        NOTE_EVENTS[change.type], change_json(teaching_id, change), to=teaching_room(teaching_id)
    )


def announce_teaching_change(socketio: SocketIO, teaching_id: str, change: str) -> None:
    """Tell the room the lesson started, changed mode or step, ended, or who is in it."""
    view = services().service.get_teaching(teaching_id)
    payload = {
        "teaching_id": teaching_id,
        "change": change,
        # The join code is for those who run the lesson; the room includes guests.
        "teaching": teaching_json(view, may_run=False),
    }
    socketio.emit("teaching:changed", jsonable(payload), to=teaching_room(teaching_id))

"""Who has a teaching's room open, so the instructor's page can say how many observe.

A page that has joined a teaching's room says it is there with `teaching:presence`
(after every join: a reconnect is a new connection); it counts until its connection
drops. The room hears `teaching:presence` with the people's ids (a person with two
tabs is one person). Announcements are gathered for a moment: thirty observers
arriving together cause one message to the room, not thirty. Its own event, beside
the room's others, so that counting never stands in the way of a note.

The count lives in this process's memory: with several server processes behind
Redis, each announces the connections it holds (docs/realtime.md says so).
"""

from __future__ import annotations

import threading
from typing import Any

from flask import request
from flask_socketio import SocketIO

from lessonstudy.server.realtime.observation import access, acked
from lessonstudy.server.realtime.rooms import teaching_room

# Long enough to gather a burst of joins, short enough for "within a second".
ANNOUNCE_AFTER_SECONDS = 0.25


class Presence:
    def __init__(self, socketio: SocketIO) -> None:
        self._socketio = socketio
        self._lock = threading.Lock()
        self._rooms: dict[str, dict[str, str]] = {}  # teaching id -> sid -> person id
        self._pending: set[str] = set()

    def entered(self, teaching_id: str, sid: str, person_id: str) -> None:
        with self._lock:
            self._rooms.setdefault(teaching_id, {})[sid] = person_id
        self._changed(teaching_id)

    def dropped(self, sid: str) -> None:
        with self._lock:
            rooms = [tid for tid, sids in self._rooms.items() if sids.pop(sid, None) is not None]
        for teaching_id in rooms:
            self._changed(teaching_id)

    def people(self, teaching_id: str) -> list[str]:
        with self._lock:
            return sorted(set(self._rooms.get(teaching_id, {}).values()))

    def _changed(self, teaching_id: str) -> None:
        with self._lock:
            if teaching_id in self._pending:
                return  # an announcement is on its way and will carry this change
            self._pending.add(teaching_id)
        self._socketio.start_background_task(self._announce_soon, teaching_id)

    def _announce_soon(self, teaching_id: str) -> None:
        self._socketio.sleep(ANNOUNCE_AFTER_SECONDS)
        with self._lock:
            self._pending.discard(teaching_id)
            sids = self._rooms.get(teaching_id)
            if sids == {}:
                del self._rooms[teaching_id]
        payload = {"teaching_id": teaching_id, "people": self.people(teaching_id)}
        self._socketio.emit("teaching:presence", payload, to=teaching_room(teaching_id))


def register(socketio: SocketIO) -> Presence:
    presence = Presence(socketio)

    @socketio.on("teaching:presence")
    @acked
    def here(payload: dict[str, Any]) -> dict[str, Any]:
        actor, _, teaching_id = access(payload)  # 422, 401, 404, 403 as for every event
        presence.entered(teaching_id, request.sid, actor.id)  # type: ignore[attr-defined]
        return {"people": presence.people(teaching_id)}

    @socketio.on("disconnect")
    def disconnect(*_reason: object) -> None:
        presence.dropped(request.sid)  # type: ignore[attr-defined]

    return presence

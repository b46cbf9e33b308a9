"""Who has a teaching's room open, so the instructor's page can say how many observe.

A page that has joined a teaching's room says it is there with `teaching:presence`
(after every join: a reconnect is a new connection); it counts until its connection
drops. The room hears `teaching:presence` with the people's ids (a person with two
tabs is one person). Announcements are gathered for a moment: thirty observers
arriving together cause one message to the room, not thirty. Its own event, beside
the room's others, so that counting never stands in the way of a note.

With one server process the count lives in its memory; with several behind Redis it
lives in Redis (presence_store), so every process counts the connections all of them
hold, and the announcement, emitted through Redis too, reaches the whole room.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import redis
from flask import request
from flask_socketio import SocketIO

from lessonstudy.server.realtime.acks import acked
from lessonstudy.server.realtime.observation import access
from lessonstudy.server.realtime.presence_store import (
    LocalPresence,
    PresenceStore,
    RedisPresence,
)
from lessonstudy.server.realtime.rooms import teaching_room

log = logging.getLogger(__name__)

# Long enough to gather a burst of joins, short enough for "within a second".
ANNOUNCE_AFTER_SECONDS = 0.25


class Presence:
    def __init__(self, socketio: SocketIO, store: PresenceStore) -> None:
        self._socketio = socketio
        self._store = store
        self._lock = threading.Lock()
        self._pending: set[str] = set()

    def entered(self, teaching_id: str, sid: str, person_id: str) -> None:
        self._store.add(teaching_id, sid, person_id)
        self._changed(teaching_id)

    def dropped(self, sid: str) -> None:
        for teaching_id in self._store.remove(sid):
            self._changed(teaching_id)

    def people(self, teaching_id: str) -> list[str]:
        return self._store.people(teaching_id)

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
        try:
            people = self.people(teaching_id)
        except redis.RedisError:
            log.warning("presence: could not count %s", teaching_id, exc_info=True)
            return
        payload = {"teaching_id": teaching_id, "people": people}
        self._socketio.emit("teaching:presence", payload, to=teaching_room(teaching_id))


def register(socketio: SocketIO, redis_url: str | None = None) -> Presence:
    store: PresenceStore
    if redis_url:
        shared = RedisPresence(redis.Redis.from_url(redis_url), socketio.sleep)
        socketio.start_background_task(shared.keep_alive)
        store = shared
    else:
        store = LocalPresence()
    presence = Presence(socketio, store)

    @socketio.on("teaching:presence")
    @acked
    def here(payload: dict[str, Any]) -> dict[str, Any]:
        actor, _, teaching_id = access(payload)  # 422, 401, 404, 403 as for every event
        presence.entered(teaching_id, request.sid, actor.id)  # type: ignore[attr-defined]
        return {"people": presence.people(teaching_id)}

    @socketio.on("disconnect")
    def disconnect(*_reason: object) -> None:
        try:
            presence.dropped(request.sid)  # type: ignore[attr-defined]
        except redis.RedisError:
            log.warning("presence: could not forget a connection", exc_info=True)

    return presence

"""A member removed from a team stops hearing that team's live rooms at once.

Every event in a teaching, plan or discussion room checks who sends it, so a removed
member is refused; but a socket that joined a room keeps *receiving* what is emitted
there. So when a person's place in a team changes (the service's membership
listener), each of their sockets leaves that team's rooms if they may no longer
observe there, and is told first with `access:revoked` (the REST error body).

Finding the sockets: every signed-in connection joins its person's own room
(`person:<id>`) when it opens, so Socket.IO's own room bookkeeping - which forgets a
socket when it drops - answers "this person's sockets in this process" and "the rooms
each is in"; no second registry to keep in step.

Several server processes: each holds its own sockets. python-socketio's Redis manager
(socketio/pubsub_manager.py) carries only emit, disconnect, enter/leave room of a
*known* sid and close_room between processes, and ignores any other message; the
process that saves the removal does not know the sids held elsewhere, and closing a
whole room would drop everyone. So the removal is published on a Redis pub/sub channel
of our own that every process listens to (a daemon thread, only with a Redis URL),
and each process drops its own sockets of that person.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from typing import Any

import redis
from flask import Flask, current_app
from flask_socketio import SocketIO

from lessonstudy.application import LessonStudy
from lessonstudy.domain.errors import DomainError
from lessonstudy.domain.permissions import Action
from lessonstudy.server.errors import domain_error_body

log = logging.getLogger(__name__)

CHANNEL = "lessonstudy:membership-changed"
NAMESPACE = "/"
EXTENSION = "lessonstudy.revocations"
# How long the listener waits for a message before looking whether it should stop.
POLL_SECONDS = 0.5


def person_room(person_id: str) -> str:
    return f"person:{person_id}"


class Revocations:
    """Drops a person's sockets from a team's rooms here, and tells the other processes."""

    def __init__(self, socketio: SocketIO, service: LessonStudy, redis_url: str | None) -> None:
        self._socketio = socketio
        self._service = service
        self._origin = uuid.uuid4().hex  # this process: it need not hear its own messages
        self._redis = redis.Redis.from_url(redis_url) if redis_url else None
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    # --- the service's membership listener ------------------------------------------

    def membership_changed(self, team_id: str, person_id: str) -> None:
        self.drop_here(team_id, person_id)
        if self._redis is not None:
            message = {"origin": self._origin, "team_id": team_id, "person_id": person_id}
            self._redis.publish(CHANNEL, json.dumps(message))

    def drop_here(self, team_id: str, person_id: str) -> list[str]:
        """This process's sockets of the person leave the team's rooms, unless they may
        still observe there (a role change that keeps them on the team); the rooms left."""
        try:
            self._service.authorize(person_id, team_id, Action.OBSERVE)
            return []
        except DomainError as error:
            body = domain_error_body(error)[0]
        server = self._socketio.server
        left: list[str] = []
        for sid in list(server.manager.get_participants(NAMESPACE, person_room(person_id))):
            sid = sid[0] if isinstance(sid, tuple) else sid  # (sid, eio_sid) in python-socketio 5
            rooms = [r for r in server.rooms(sid, NAMESPACE) if self._team_of(r) == team_id]
            if not rooms:
                continue
            # Told first, on its own sid (not through a room it is about to leave).
            server.emit("access:revoked", {**body, "team_id": team_id, "rooms": rooms}, to=sid)
            for room in rooms:
                server.leave_room(sid, room, namespace=NAMESPACE)
            left.extend(rooms)
        return left

    def _team_of(self, room: str) -> str | None:
        """The team whose lesson a live room is about, or None for other rooms."""
        kind, _, key = room.partition(":")
        try:
            if kind == "teaching":
                return self._service.get_teaching(key).team_id
            if kind == "plan":
                return self._service.get_plan(key).team_id
            if kind == "discussion":
                return self._service.get_discussion(key).team_id
        except DomainError:  # gone or never there: not a room of this team
            return None
        return None

    # --- hearing the other processes ------------------------------------------------

    def start(self) -> None:
        """Listen to the channel in a daemon thread (only with Redis) until stop()."""
        if self._redis is None or self._thread is not None:
            return
        pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        pubsub.subscribe(CHANNEL)  # before start() returns: no removal after it is missed
        self._thread = threading.Thread(
            target=self._listen, args=(pubsub,), name="membership-listener", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def _listen(self, pubsub: Any) -> None:
        try:
            while not self._stopping.is_set():
                try:
                    message = pubsub.get_message(timeout=POLL_SECONDS)
                    if message is not None:
                        self._heard(message["data"])
                except redis.RedisError:  # Redis restarting: keep listening
                    log.warning("membership channel: Redis unavailable; retrying")
                    self._stopping.wait(POLL_SECONDS)
                except Exception:  # one bad message must not end the listener
                    log.exception("membership channel: message failed")
        finally:
            pubsub.close()

    def _heard(self, data: bytes | str) -> None:
        message = json.loads(data)
        if message.get("origin") != self._origin:
            self.drop_here(str(message["team_id"]), str(message["person_id"]))


def setup(app: Flask, socketio: SocketIO, service: LessonStudy, redis_url: str | None) -> None:
    revocations = Revocations(socketio, service, redis_url)
    service.add_membership_listener(revocations.membership_changed)
    app.extensions[EXTENSION] = revocations
    revocations.start()


def revocations() -> Revocations:
    found: Revocations = current_app.extensions[EXTENSION]
    return found

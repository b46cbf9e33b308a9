"""The Redis message queue between server processes, and what a process does when its
subscription comes back after Redis went away (docs/realtime.md section 10).

python-socketio's RedisManager relays every broadcast through one Redis pub/sub
channel, and pub/sub keeps nothing: what is published while a process is not
subscribed (Redis restarting, a network blip) never reaches that process's clients,
and a broadcast its own publish failed to send reaches no one. The manager's listener
subscribes again by itself (redis-py re-subscribes a pub/sub connection it reconnects;
failing that, the manager's loop makes a new subscription, pausing 1, 2, 4 s...), but
nobody in the rooms learns that something went past them.

So each time this process's subscription is confirmed, the first time and after every
reconnection by either path, it tells every teaching and discussion room it holds to
catch up: `teaching:catch_up` / `discussion:catch_up`, which a client answers by
joining again with `since` (the teaching's changes since its last join; the whole
board). Told once the subscription is live, a client misses nothing: what was
committed before is in its catch-up, what comes after arrives live. The first
confirmation counts too: the listener starts with the first connection, and a client
that joined before it was subscribed could otherwise miss a broadcast.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import socketio
from redis.backoff import NoBackoff
from redis.retry import Retry

from lessonstudy.server.realtime.discussion_room import discussion_room
from lessonstudy.server.realtime.rooms import teaching_room

log = logging.getLogger(__name__)

# Flask-SocketIO's channel when it makes the manager itself: processes of the previous
# release, which did, share rooms with this one during a rolling restart.
CHANNEL = "flask-socketio"
NAMESPACE = "/"

# room prefix -> (the event that tells the room to catch up, the payload's id field)
CATCH_UP_EVENTS = {
    teaching_room(""): ("teaching:catch_up", "teaching_id"),
    discussion_room(""): ("discussion:catch_up", "discussion_id"),
}


def redis_options() -> dict[str, Any]:
    """redis-py's settings for the manager's connections. A broadcast is published in the
    handler that then acks the note: with redis-py's default retries (pauses of up to 2,
    4 and 8 s, and the manager tries twice) each ack would wait seconds while Redis is
    away. One immediate retry replaces a connection Redis closed when it restarted; a
    broadcast that still cannot be published is made good by the catch-up. Connecting
    is bounded too (an unreachable host, not only a refused connection); reading is
    not: the listener waits on its subscription for as long as nothing is published."""
    return {"retry": Retry(NoBackoff(), 1), "socket_connect_timeout": 2}


def redis_manager(redis_url: str | None) -> CatchUpRedisManager | None:
    """The Socket.IO client manager for a Redis URL; None (one process) without one."""
    return CatchUpRedisManager(redis_url) if redis_url else None


class CatchUpRedisManager(socketio.RedisManager):
    """python-socketio's Redis manager, telling this process's rooms to catch up each
    time its subscription is confirmed."""

    def __init__(self, url: str) -> None:
        super().__init__(url, channel=CHANNEL, redis_options=redis_options())

    def _redis_connect(self) -> None:
        super()._redis_connect()
        # The manager makes its pub/sub ignoring subscription confirmations; let them
        # through to the listen loop below (the manager's own filter passes only the
        # channel's messages on), since each is a (re)subscription by either path.
        self.pubsub.ignore_subscribe_messages = False

    def _redis_listen_with_retries(self) -> Iterator[dict[str, Any]]:
        channel = self.channel.encode()
        for message in super()._redis_listen_with_retries():
            if message.get("type") == "subscribe" and message.get("channel") == channel:
                self._tell_rooms_to_catch_up()
            yield message

    def _tell_rooms_to_catch_up(self) -> None:
        try:
            told = tell_rooms_to_catch_up(self.server, list(self.rooms.get(NAMESPACE, {})))
        except Exception:  # the listener must go on relaying whatever happens here
            log.exception("telling rooms to catch up failed")
            return
        if told:
            log.info("subscribed to Redis: told %d rooms to catch up", told)


def tell_rooms_to_catch_up(server: Any, rooms: list[Any]) -> int:
    """Send each teaching and discussion room among rooms (this process's) its catch-up
    event, to this process's clients only; the number of rooms told."""
    told = 0
    for room in rooms:
        for prefix, (event, id_field) in CATCH_UP_EVENTS.items():
            if isinstance(room, str) and room.startswith(prefix):
                payload = {id_field: room.removeprefix(prefix)}
                # ignore_queue: every process tells its own rooms; through Redis each
                # room would hear it once per process.
                server.emit(event, payload, to=room, namespace=NAMESPACE, ignore_queue=True)
                told += 1
    return told

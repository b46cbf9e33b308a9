"""Where the presence count is kept: this process's memory, or Redis shared by all.

With one server process, a dict. With several behind Redis (LESSONSTUDY_REDIS_URL),
each teaching's connections are a Redis hash every process writes its own into, so
any process can count them all. A process that dies (a crash, SIGKILL) cannot remove
its entries, so each process keeps a key of its own alive with a short expiry and
refreshes it; entries of a process whose key has expired are ignored and cleared when
next counted.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from typing import Protocol

import redis

log = logging.getLogger(__name__)

PREFIX = "lessonstudy:presence"
# A live process refreshes its key every REFRESH_SECONDS; a dead one's entries stop
# counting at most ALIVE_SECONDS after its last refresh.
ALIVE_SECONDS = 15
REFRESH_SECONDS = 5.0


class PresenceStore(Protocol):
    def add(self, teaching_id: str, sid: str, person_id: str) -> None: ...

    def remove(self, sid: str) -> list[str]:
        """Forget a connection; returns the teachings it was counted in."""
        ...

    def people(self, teaching_id: str) -> list[str]: ...


class LocalPresence:
    """One process's connections: the whole count when there is one process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rooms: dict[str, dict[str, str]] = {}  # teaching id -> sid -> person id

    def add(self, teaching_id: str, sid: str, person_id: str) -> None:
        with self._lock:
            self._rooms.setdefault(teaching_id, {})[sid] = person_id

    def remove(self, sid: str) -> list[str]:
        with self._lock:
            rooms = [tid for tid, sids in self._rooms.items() if sids.pop(sid, None) is not None]
            for teaching_id in rooms:
                if not self._rooms[teaching_id]:
                    del self._rooms[teaching_id]
        return rooms

    def people(self, teaching_id: str) -> list[str]:
        with self._lock:
            return sorted(set(self._rooms.get(teaching_id, {}).values()))


class RedisPresence:
    """Every process's connections, in Redis; this process's also in memory, so a
    dropped connection is removed from the teachings it was in without a scan."""

    def __init__(self, client: redis.Redis, sleep: Callable[[float], None]) -> None:
        self._redis = client
        self._sleep = sleep
        self._process = uuid.uuid4().hex
        self._mine = LocalPresence()
        self._stopping = threading.Event()

    # --- this process is alive ----------------------------------------------------------

    def keep_alive(self) -> None:
        """Refresh this process's key until stop() (run as a background task)."""
        while not self._stopping.is_set():
            try:
                self._redis.set(self._alive_key(self._process), "1", ex=ALIVE_SECONDS)
            except redis.RedisError:
                log.warning("presence: could not refresh this process's key", exc_info=True)
            self._sleep(REFRESH_SECONDS)

    def stop(self) -> None:
        self._stopping.set()

    # --- the store ----------------------------------------------------------------------

    def add(self, teaching_id: str, sid: str, person_id: str) -> None:
        self._mine.add(teaching_id, sid, person_id)
        pipe = self._redis.pipeline()
        pipe.set(self._alive_key(self._process), "1", ex=ALIVE_SECONDS)
        pipe.hset(self._room_key(teaching_id), f"{self._process}:{sid}", person_id)
        pipe.execute()

    def remove(self, sid: str) -> list[str]:
        rooms = self._mine.remove(sid)
        if rooms:
            pipe = self._redis.pipeline()
            for teaching_id in rooms:
                pipe.hdel(self._room_key(teaching_id), f"{self._process}:{sid}")
            pipe.execute()
        return rooms

    def people(self, teaching_id: str) -> list[str]:
        key = self._room_key(teaching_id)
        stored: dict[bytes, bytes] = self._redis.hgetall(key)  # type: ignore[assignment]
        entries = {field.decode(): person.decode() for field, person in stored.items()}
        processes = sorted({field.partition(":")[0] for field in entries})
        pipe = self._redis.pipeline()
        for process in processes:
            pipe.exists(self._alive_key(process))
        alive = {p for p, found in zip(processes, pipe.execute(), strict=True) if found}
        gone = [field for field in entries if field.partition(":")[0] not in alive]
        if gone:
            self._redis.hdel(key, *gone)
        return sorted({entries[f] for f in entries if f.partition(":")[0] in alive})

    @staticmethod
    def _room_key(teaching_id: str) -> str:
        return f"{PREFIX}:teaching:{teaching_id}"

    @staticmethod
    def _alive_key(process: str) -> str:
        return f"{PREFIX}:process:{process}"

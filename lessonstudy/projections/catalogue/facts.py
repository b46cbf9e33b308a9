"""Facts that never change once logged, cached so a rebuild does not re-read them.

Which teaching an observation log belongs to, which lesson and task a teaching taught
and what its anticipated responses linked to, which task a lesson is for: each is
fixed by one event. Caching them is therefore safe across batches (even a batch that
is rolled back and applied again states the same facts), and the caches are bounded
so a log of any length is projected in bounded memory.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from typing import Generic, TypeVar
from uuid import UUID

K = TypeVar("K")
V = TypeVar("V")


class Bounded(Generic[K, V]):
    """A cache of at most maxsize entries that forgets its older half when full.

    Cheaper than least-recently-used bookkeeping on every read, which matters at a
    million reads per rebuild; an entry forgotten too early costs one query.
    """

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._items: dict[K, V] = {}
        self.get = self._items.get

    def put(self, key: K, value: V) -> None:
        self._items[key] = value
        if len(self._items) > self.maxsize:
            for old in list(self._items)[: self.maxsize // 2]:
                del self._items[old]

    def clear(self) -> None:
        self._items.clear()


@dataclass(frozen=True)
class TaughtLesson:
    """A teaching: its lesson and task, and each anticipated response's link as taught."""

    teaching_id: str
    lesson_id: str
    task_id: str
    responses: dict[str, str | None] = field(default_factory=dict)


@dataclass(frozen=True)
class DiscussedTeaching:
    teaching_id: str
    lesson_id: str
    task_id: str


@dataclass
class Facts:
    """The caches, sized so a batch's new facts never push out each other."""

    # A log's id (the event's UUID, whose str() costs more than the lookup) -> its id as
    # text, its teaching's id, and the high half of its notes' keys (see note_key).
    logs: Bounded[UUID, tuple[str, str, int]] = field(default_factory=lambda: Bounded(50_000))
    teachings: Bounded[str, TaughtLesson] = field(default_factory=lambda: Bounded(20_000))
    lessons: Bounded[str, str] = field(default_factory=lambda: Bounded(50_000))
    discussions: Bounded[str, DiscussedTeaching] = field(default_factory=lambda: Bounded(20_000))

    def clear(self) -> None:
        for cache in (self.logs, self.teachings, self.lessons, self.discussions):
            cache.clear()


def note_key(log_id: str, note_id: str) -> int:
    """A stable 63-bit key for (log, note): the log's CRC above the note's.

    The log's bits come first so one lesson's notes land in a few places of the index
    rather than anywhere (twice as fast to fill in a rebuild); a collision costs only a
    second row to compare, since lookups also match log_id and note_id.
    """
    return log_key(log_id) | zlib.crc32(note_id.encode())


def log_key(log_id: str) -> int:
    return (zlib.crc32(log_id.encode()) & 0x7FFFFFFF) << 32

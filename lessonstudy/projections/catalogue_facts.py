"""Facts that never change once logged, cached so a rebuild does not re-read them.

Which teaching an observation log belongs to, which lesson and task a teaching taught
and what its anticipated responses linked to, which task a lesson is for: each is
fixed by one event. Caching them is therefore safe across batches (even a batch that
is rolled back and applied again states the same facts), and the caches are bounded
so a log of any length is projected in bounded memory.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Bounded(Generic[K, V]):
    """A least-recently-used cache of at most maxsize entries."""

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._items: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        value = self._items.get(key)
        if value is not None:
            self._items.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        if len(self._items) > self.maxsize:
            self._items.popitem(last=False)

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

    logs: Bounded[str, str] = field(default_factory=lambda: Bounded(50_000))
    teachings: Bounded[str, TaughtLesson] = field(default_factory=lambda: Bounded(20_000))
    lessons: Bounded[str, str] = field(default_factory=lambda: Bounded(50_000))
    discussions: Bounded[str, DiscussedTeaching] = field(default_factory=lambda: Bounded(20_000))

    def clear(self) -> None:
        for cache in (self.logs, self.teachings, self.lessons, self.discussions):
            cache.clear()


def note_key(log_id: str, note_id: str) -> int:
    """A stable 63-bit key for (log, note) (Python's hash() differs between runs)."""
    digest = hashlib.blake2b(f"{log_id}/{note_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1

"""What a projection is: tables, and handlers for the events it reads.

A projection turns events into rows. Its handlers are registered by event name
(``"StudyLesson.StepAdded"``), receive the connection of the batch's transaction and
the event, and must be deterministic: a rebuild from zero gives the same tables.
Table names take a prefix so a rebuild can fill a second set beside the live one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, ClassVar, TypeVar
from uuid import UUID

from sqlalchemy import Connection, MetaData, Table

Handler = Callable[[Any, Connection, "LoggedEvent"], None]
H = TypeVar("H", bound=Handler)


@dataclass(frozen=True)
class LoggedEvent:
    """A domain event with its place in the log."""

    position: int
    event_name: str  # the qualified class name, e.g. "ObservationLog.NoteRecorded"
    originator_id: UUID
    version: int
    timestamp: dt.datetime | None
    event: Any

    def __getattr__(self, attribute: str) -> Any:
        # The event's own attributes, so handlers read e.g. logged.note_id.
        return getattr(self.event, attribute)


@dataclass(frozen=True)
class Packing:
    """How a rebuild hands one kind of event to the views it applies in its second
    process (rebuild.apart) as a plain tuple of what they read of it, instead of the
    whole event: far cheaper to carry, and to make again on the other side."""

    # The main process's end: the tuple, of plain values (str, int, float, bool, None,
    # bytes, lists and dicts of them); anything else sends the event as stored.
    pack: Callable[[LoggedEvent], tuple[Any, ...]]
    # The view's end: what its apply takes in the event's place. It must have the
    # event's position, event_name, originator_id and version (a failure names them).
    unpack: Callable[[tuple[Any, ...]], Any]


@lru_cache(maxsize=4096)  # the events of one aggregate (a log's notes) share its id
def uuid_from_bytes(raw: bytes) -> UUID:
    """A UUID that crossed between processes as its bytes (marshal carries no UUID)."""
    return UUID(bytes=raw)


def stamp(at: dt.datetime | None) -> str | None:
    """A time as fixed-width UTC text, as views store times (MIN and MAX order it the
    same way on SQLite and PostgreSQL); naive times are taken to be UTC already."""
    if at is None:
        return None
    if at.tzinfo is not dt.UTC:  # the log's times are UTC: this is the rare path
        at = at.replace(tzinfo=dt.UTC) if at.tzinfo is None else at.astimezone(dt.UTC)
    return at.isoformat(timespec="microseconds")


def handles(*event_names: str) -> Callable[[H], H]:
    """Register the decorated method as the handler of these events."""

    def register(method: H) -> H:
        method.__dict__.setdefault("_handles", set()).update(event_names)
        return method

    return register


class Projection:
    name: ClassVar[str]
    # Raise it in a release that changes what the views hold (a table, a column, a
    # handler): views built by an earlier version are then reported as needing
    # `lessonstudy rebuild` (tracking.projection_versions).
    version: ClassVar[int] = 1
    # Whether a rebuild on more than one core applies it in its second process
    # (rebuild.apart), beside the first's reading and decoding of the log.
    rebuilt_apart: ClassVar[bool] = False
    # Events it then takes packed (Packing), by event name: those that make most of a log.
    packings: ClassVar[Mapping[str, Packing]] = {}
    _handlers: ClassVar[dict[str, Handler]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._handlers = {}
        for klass in reversed(cls.__mro__):
            for attribute in vars(klass).values():
                for event_name in getattr(attribute, "_handles", ()):
                    cls._handlers[event_name] = attribute

    def __init__(self, prefix: str = "") -> None:
        self.prefix = prefix
        # A rebuild's set of tables tracks its own position beside the live one's.
        self.tracking_name = f"{prefix}{self.name}"
        self.metadata = MetaData()
        self.define_tables(self.metadata, prefix)

    def define_tables(self, metadata: MetaData, prefix: str) -> None:
        """Create this projection's Table objects on metadata (names start with prefix)."""
        raise NotImplementedError

    @property
    def tables(self) -> Iterable[Table]:
        return self.metadata.sorted_tables

    @classmethod
    def event_names(cls) -> frozenset[str]:
        return frozenset(cls._handlers)

    def apply(self, connection: Connection, events: Iterable[LoggedEvent]) -> None:
        handlers = self._handlers
        for logged in events:
            handler = handlers.get(logged.event_name)
            if handler is not None:
                handler(self, connection, logged)

    # --- what a rebuild needs of it (rebuild.build); the defaults need nothing ---------

    # Indexes a rebuild creates with the tables, because applying events reads them;
    # the others it adds once the tables are full, which is far cheaper.
    build_indexes: ClassVar[frozenset[str]] = frozenset()

    def defer_until_finished(self, deferred: bool) -> None:
        """A rebuild filling this view aside calls it with True: what the view can
        compute once at the end (finalize) instead of after every batch may wait; and
        with False before its switch applies what was logged meanwhile."""

    def create_extras(self, connection: Connection) -> None:
        """Create what the metadata cannot declare (beside the tables, when a rebuild
        creates them)."""

    def extra_tables(self, connection: Connection) -> list[str]:
        """Tables beyond the metadata's (create_extras), which a rebuild's switch
        renames and drops with the view's own."""
        return []

    def finalize(self, connection: Connection) -> None:
        """Compute what was deferred (defer_until_finished), at the end of a rebuild."""

    def reset(self, connection: Connection) -> None:
        """Empty every table (used by tests and by a rebuild in place)."""
        for table in reversed(self.metadata.sorted_tables):
            connection.execute(table.delete())

"""`lessonstudy rebuild`: every view rebuilt from the log beside the live one, then switched.

1. **Build aside.** Each view gets a second set of tables named ``rebuild_<table>``
   (the Projection prefix; its position is tracked as ``rebuild_<name>``). The log is
   streamed in batches, each event decoded once, and each view applies a whole batch
   in one transaction with its position (exactly once, as the follower does), so a
   rebuild that stops resumes where it stopped. Secondary indexes wait until the end:
   building them once from sorted data is far cheaper than keeping them up to date.
2. **Finish.** Add the indexes, then let each view compute what it deferred (the
   catalogue's numbers, in one pass).
3. **Switch** (rebuild_switch): in one transaction, apply what was logged meanwhile,
   drop the live tables, rename the rebuilt ones in, carry the position over.

A view that fails on an event stops with a message naming the event, the others go
on, and nothing is switched; run the rebuild again once fixed and it resumes at each
view's position. ``fresh=True`` throws away what an earlier rebuild left aside.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from uuid import UUID

from eventsourcing.application import Application
from sqlalchemy import Connection, Engine, inspect
from sqlalchemy.schema import CreateIndex, CreateTable, Index

from lessonstudy.projections.base import LoggedEvent, Projection
from lessonstudy.projections.bulk_gc import bulk_collection
from lessonstudy.projections.catalogue import Catalogue
from lessonstudy.projections.dashboard import Dashboard
from lessonstudy.projections.events import topic_of
from lessonstudy.projections.follower import Follower, ProjectionFailedError
from lessonstudy.projections.misconception_index import MisconceptionIndex
from lessonstudy.projections.rebuild_reader import LogReader
from lessonstudy.projections.rebuild_switch import aside_index_name, drop_aside, switch
from lessonstudy.projections.tracking import (
    read_error,
    read_position,
    tracking_metadata,
    write_position,
)

PREFIX = "rebuild_"
# Every view the server keeps; the rebuild rebuilds them all.
VIEWS: tuple[Callable[[str], Projection], ...] = (Dashboard, MisconceptionIndex, Catalogue)

CACHE_KIB = 65536
CHECKPOINT_PAGES = 8192
Progress = Callable[[int, int], None]  # (events read so far, events in the log)


class RebuildFailedError(RuntimeError):
    """Raised when a view stopped on an event; the message names view and event."""


@dataclass
class RebuildReport:
    events: int = 0
    views: list[str] = field(default_factory=list)
    build_seconds: float = 0.0
    finish_seconds: float = 0.0
    switch_seconds: float = 0.0
    switched_events: int = 0


class Rebuild:
    def __init__(
        self,
        app: Application[UUID],
        engine: Engine,
        views: Sequence[Callable[[str], Projection]] = VIEWS,
        *,
        batch_size: int = 10000,
        progress: Progress | None = None,
    ) -> None:
        self.app = app
        self.engine = engine
        self.live = [make("") for make in views]
        self.aside = [make(PREFIX) for make in views]
        for view in self.aside:
            if isinstance(view, Catalogue):
                view.deferred_stats = True  # one pass at the end (finish)
        self.batch_size = batch_size
        self.progress = progress
        self.topics = sorted({topic_of(n) for v in self.aside for n in v.event_names()})
        self.token = f"{int(time.time() * 1000):x}"  # makes SQLite index names unique
        self.errors: dict[str, str] = {}

    def run(self, *, fresh: bool = False) -> RebuildReport:
        with bulk_collection():  # with the defaults, collecting took 17-30% of a rebuild
            return self._run(fresh=fresh)

    def _run(self, *, fresh: bool) -> RebuildReport:
        report = RebuildReport(views=[v.name for v in self.live])
        started = time.perf_counter()
        self.prepare(fresh=fresh)
        report.events = self.build()
        report.build_seconds = time.perf_counter() - started
        if self.errors:
            raise RebuildFailedError("; ".join(self.errors.values()))
        started = time.perf_counter()
        self.finish()
        report.finish_seconds = time.perf_counter() - started
        started = time.perf_counter()
        report.switched_events = switch(self)
        report.switch_seconds = time.perf_counter() - started
        return report

    # --- 1. build aside ------------------------------------------------------------

    def prepare(self, *, fresh: bool) -> None:
        tracking_metadata.create_all(self.engine)
        with self.engine.begin() as db:
            for view in self.aside:
                if fresh:
                    drop_aside(db, view)
                self._create_tables(db, view)
                # Whatever stopped it last time is taken to be fixed: try again.
                if read_error(db, view.tracking_name):
                    position = read_position(db, view.tracking_name)
                    write_position(db, view.tracking_name, position, error=None)

    def _create_tables(self, db: Connection, view: Projection) -> None:
        existing = set(inspect(db).get_table_names())
        for table in view.tables:
            if table.name in existing:
                continue
            db.execute(CreateTable(table))
            needed: frozenset[str] = getattr(view, "build_indexes", frozenset())
            for index in table.indexes:
                if index.name and index.name.replace(PREFIX, "", 1) in needed:
                    self._create_index(db, index)
        create_extras = getattr(view, "create_extras", None)
        if create_extras is not None:
            create_extras(db)

    def build(self, connection: Connection | None = None) -> int:
        """Apply everything logged so far to the aside views; returns events read."""
        reading = nullcontext(connection) if connection is not None else self.engine.connect()
        with reading as db:
            positions = {v.tracking_name: read_position(db, v.tracking_name) for v in self.aside}
            self.errors = {
                name: error
                for v in self.aside
                if (error := read_error(db, name := v.tracking_name))
            }
        head = self.app.recorder.max_notification_id() or 0
        total = 0
        after = min(positions.values(), default=0)
        reader = LogReader(self.app, self.topics, self.batch_size)
        for events in reader.batches(after):
            healthy = [v for v in self.aside if v.tracking_name not in self.errors]
            if not healthy or not events:
                break
            through = events[-1].position
            for view in healthy:
                seen = positions[view.tracking_name]
                if through <= seen:
                    continue
                # Only the events the view handles: the picker's index handles a few
                # thousand of a million, and calling it for every note cost 3% of a rebuild.
                names = view.event_names()
                if seen < events[0].position:  # the usual case: the view saw none of them
                    fresh = [e for e in events if e.event_name in names]
                else:
                    fresh = [e for e in events if e.position > seen and e.event_name in names]
                positions[view.tracking_name] = self._commit(view, fresh, through, connection)
            total += len(events)
            if self.progress is not None and events:
                self.progress(events[-1].position, max(head, events[-1].position))
        return total

    def _commit(
        self,
        view: Projection,
        events: list[LoggedEvent],
        through: int,
        connection: Connection | None,
    ) -> int:
        """Apply events (those of the batch the view handles) and record that the view
        has seen the log through position `through`; returns its new position."""
        if connection is not None:  # inside the switch: a failure undoes the whole switch
            return _apply(view, connection, events, through, bulk=False)
        try:
            with self.engine.begin() as db:
                _tune(db)
                return _apply(view, db, events, through, bulk=True)
        except Exception:
            pass  # find the event that fails, one at a time, and keep those before it
        try:
            with self.engine.begin() as db:
                return _apply(view, db, events, through, bulk=False)
        except ProjectionFailedError as failure:
            before = [e for e in events if e.position < failure.position]
            with self.engine.begin() as db:
                position = _apply(view, db, before, failure.position - 1, bulk=False)
                position = max(position, read_position(db, view.tracking_name))
                write_position(db, view.tracking_name, position, error=str(failure))
            self.errors[view.tracking_name] = str(failure)
            return position

    # --- 2. finish -----------------------------------------------------------------

    def finish(self) -> None:
        with self.engine.begin() as db:
            for view in self.aside:
                existing = {
                    tuple(i["column_names"])
                    for table in view.tables
                    for i in inspect(db).get_indexes(table.name)
                }
                for table in view.tables:
                    for index in table.indexes:
                        if tuple(c.name for c in index.columns) not in existing:
                            self._create_index(db, index)
        for view in self.aside:
            finalize = getattr(view, "finalize", None)
            if finalize is not None:
                with self.engine.begin() as db:
                    finalize(db)

    def _create_index(self, db: Connection, index: Index) -> None:
        index.name = aside_index_name(db, index, PREFIX, self.token)  # type: ignore[assignment]
        db.execute(CreateIndex(index))


def _tune(db: Connection) -> None:
    """SQLite settings for bulk writing, on this connection only (readers are unaffected)."""
    if db.dialect.name == "sqlite":
        # A 64 MB page cache keeps the indexes being filled in memory, and checkpointing
        # every 32 MB of log instead of every 4 MB saves most of the rebuild's fsyncs.
        db.exec_driver_sql(f"PRAGMA cache_size = -{CACHE_KIB}")
        db.exec_driver_sql(f"PRAGMA wal_autocheckpoint = {CHECKPOINT_PAGES}")


def _apply(
    view: Projection, db: Connection, events: list[LoggedEvent], through: int, *, bulk: bool
) -> int:
    """Apply events after the stored position, and store `through` as the new position
    (the log was read up to there); returns the position."""
    position = read_position(db, view.tracking_name)
    if through <= position:
        return position
    fresh = events
    if events and events[0].position <= position:
        fresh = [e for e in events if e.position > position]
    if bulk:
        view.apply(db, fresh)
    else:
        for logged in fresh:
            Follower._apply_one(view, db, logged)
    write_position(db, view.tracking_name, through)
    return through

"""`lessonstudy rebuild`: every view rebuilt from the log beside the live one, then switched.

1. **Build aside** (aside). Each view gets a second set of tables named
   ``rebuild_<table>`` (the Projection prefix; its position is tracked as
   ``rebuild_<name>``). The log is
   streamed in batches, each event decoded once, and each view applies a whole batch
   in one transaction with its position (exactly once, as the follower does), so a
   rebuild that stops resumes where it stopped. Secondary indexes wait until the end:
   building them once from sorted data is far cheaper than keeping them up to date.
2. **Finish.** Add the indexes, then let each view compute what it deferred (the
   catalogue's numbers, in one pass).
3. **Switch** (switch): in one transaction, apply what was logged meanwhile,
   drop the live tables, rename the rebuilt ones in, carry the position over.

With a large log on more than one core, the views are applied in a second process
while this one reads (apart), with the same guarantees. That process is
spawned: a script that runs a Rebuild must guard its entry point (``if __name__ ==
"__main__":``), or the child runs the script's rebuild again.

A view that fails on an event stops with a message naming the event, the others go
on, and nothing is switched; run the rebuild again once fixed and it resumes at each
view's position. ``fresh=True`` throws away what an earlier rebuild left aside.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from functools import partial
from uuid import UUID

from eventsourcing.application import Application
from sqlalchemy import Connection, Engine, inspect
from sqlalchemy.schema import CreateIndex, CreateTable, Index

from lessonstudy.projections.base import LoggedEvent, Projection
from lessonstudy.projections.bulk_gc import bulk_collection
from lessonstudy.projections.database import read_model_url
from lessonstudy.projections.rebuild.apart import ApartViews
from lessonstudy.projections.rebuild.aside import (
    PREFIX,
    aside_index_name,
    aside_view,
    bulk_settings,
    drop_aside,
)
from lessonstudy.projections.rebuild.reader import LogReader
from lessonstudy.projections.rebuild.switch import switch
from lessonstudy.projections.registry import READ_MODELS
from lessonstudy.projections.runtime import apply_through, commit_batch
from lessonstudy.projections.topics import topic_of
from lessonstudy.projections.tracking import (
    read_error,
    read_position,
    tracking_metadata,
    write_position,
)

# Below this many events to read, starting a second process (about a second) costs
# more than it saves.
APART_FROM = 50_000
Progress = Callable[[int, int], None]  # (events read so far, events in the log)


class RebuildFailedError(RuntimeError):
    """Raised when a view stopped on an event; the message names view and event."""


class ApartUnavailableError(ValueError):
    """Raised by Rebuild(apart=True) when no second process can do the work; says why."""


@dataclass
class RebuildReport:
    events: int = 0
    views: list[str] = field(default_factory=list)
    build_seconds: float = 0.0
    finish_seconds: float = 0.0
    switch_seconds: float = 0.0
    switched_events: int = 0
    apart: list[str] = field(default_factory=list)  # views applied in processes of their own


class Rebuild:
    def __init__(
        self,
        app: Application[UUID],
        engine: Engine,
        views: Sequence[Callable[[str], Projection]] = READ_MODELS,
        *,
        batch_size: int = 10000,
        progress: Progress | None = None,
        apart: bool | None = None,
    ) -> None:
        """`apart`: apply the views that are worth it in processes of their own (True),
        all in this one (False), or decide by the machine and the log's size (None)."""
        self.app = app
        self.engine = engine
        self.makers = list(views)
        self.live = [make("") for make in views]
        self.aside = [aside_view(make) for make in views]
        self.apart = apart
        self.applied_apart: list[str] = []  # the views the last build applied apart
        if apart is True and (why_not := self._why_not_apart()):
            raise ApartUnavailableError(why_not)  # before any work, not part-way
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
        report.apart = self.applied_apart
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
            for index in table.indexes:
                if index.name and index.name.replace(PREFIX, "", 1) in view.build_indexes:
                    self._create_index(db, index)
        view.create_extras(db)

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
        after = min(positions.values(), default=0)
        apart = self._start_apart(positions, head - after) if connection is None else None
        names = apart.names if apart is not None else []
        self.applied_apart = [view.name for view in self.aside if view.tracking_name in names]
        try:
            total = self._read(after, head, positions, apart, connection)
            if apart is not None:
                apart.settle()
                self.errors.update(apart.errors)
        except BaseException:
            if apart is not None:
                apart.abandon()
            raise
        if apart is not None:
            apart.close()
        return total

    def _read(
        self,
        after: int,
        head: int,
        positions: dict[str, int],
        apart: ApartViews | None,
        connection: Connection | None,
    ) -> int:
        total = 0
        reader = LogReader(self.app, self.topics, self.batch_size)
        away = set(apart.names) if apart is not None else set()
        for events in reader.batches(after):
            healthy = [v for v in self.aside if v.tracking_name not in self.errors]
            if not healthy or not events:
                break
            through = events[-1].position
            # The views applied apart first, if some are applied here too: handing a
            # batch over may wait for the child's answer, and just after answering the
            # child decodes rather than writes, so the commits here do not queue behind
            # its write lock (SQLite). Measured with the dashboard here and the catalogue
            # apart, on 1,000,000 notes: the dashboard's commits 8.7 -> 5.9 s.
            if apart is not None and not apart.stopped and through > apart.seen:
                apart.submit(
                    reader.notifications, _share(events, apart.event_names, apart.seen), through
                )
                self.errors.update(apart.errors)
            for view in healthy:
                name = view.tracking_name
                seen = positions[name]
                if name in away or through <= seen:
                    continue
                fresh = _share(events, view.event_names(), seen)
                positions[name] = self._commit(view, fresh, through, connection)
            total += len(events)
            if self.progress is not None and events:
                self.progress(events[-1].position, max(head, events[-1].position))
        return total

    def _start_apart(self, positions: dict[str, int], to_read: int) -> ApartViews | None:
        """A second process for the views worth one, if this rebuild runs apart (see
        __init__)."""
        wanted = [
            (make, view)
            for make, view in zip(self.makers, self.aside, strict=True)
            if view.rebuilt_apart and view.tracking_name not in self.errors
        ]
        if self.apart is False or not wanted:
            return None
        if self.apart is None and (
            to_read < APART_FROM or (os.cpu_count() or 1) < 2 or self._why_not_apart()
        ):
            return None
        makers = [partial(aside_view, make) for make, _ in wanted]
        return ApartViews(self.app, makers, [view for _, view in wanted], positions)

    def _why_not_apart(self) -> str | None:
        """Why the views worth a process of their own cannot have one, or None."""
        makers = [make for make, v in zip(self.makers, self.aside, strict=True) if v.rebuilt_apart]
        if not makers:
            return "no view here is applied apart (the server's views are)"
        store = getattr(self.app, "store", None)
        url = read_model_url(store) if store is not None else None
        if url is None:
            return "a second process cannot open an in-memory store"
        if self.engine.url.render_as_string(hide_password=False) != url:
            return "the views are not in the store's own views database"
        if not all(ApartViews.possible(make) for make in makers):
            return "a view a second process cannot import by name"
        return None

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
            return apply_through(view, connection, events, through, bulk=False)
        position, error = commit_batch(self.engine, view, events, through, tune=bulk_settings)
        if error is not None:
            self.errors[view.tracking_name] = error
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
            with self.engine.begin() as db:
                view.finalize(db)

    def _create_index(self, db: Connection, index: Index) -> None:
        index.name = aside_index_name(db, index, PREFIX, self.token)  # type: ignore[assignment]
        db.execute(CreateIndex(index))


def _share(events: list[LoggedEvent], names: frozenset[str], seen: int) -> list[LoggedEvent]:
    """The events of a batch after position `seen` with one of these names. Only the
    events a view handles: the picker's index handles a few thousand of a million, and
    calling it for every note cost 3% of a rebuild."""
    if seen < events[0].position:  # the usual case: the view saw none of them
        return [e for e in events if e.event_name in names]
    return [e for e in events if e.position > seen and e.event_name in names]


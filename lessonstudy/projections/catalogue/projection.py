"""The misconception catalogue: per task, what students misunderstood, from the log.

For each task and entry: its statement, how often it was anticipated in plans,
observed in teachings and in how many students, confirmed in discussions, quotes,
the teacher responses that helped, its sources, and when it was first and last seen
(see stats for the exact definitions and queries for reading).
The catalogue is a projection, never a second source of truth: everything here is
rebuilt from the events by ``lessonstudy rebuild``.

Handlers (plans, notes, revisions) only record changes
in a Batch; the batch is written with one executemany per table when ``apply`` ends.
The follower calls ``apply`` once per event, a rebuild once per batch of thousands: the
same code, and the rebuild's statements are bulk ones. Numbers (``cat_stats``) are
recomputed for the entries a batch touched; a rebuild defers them to one pass at the end
(``deferred_stats`` and ``finalize``).
"""

from __future__ import annotations

from collections.abc import Iterable
from types import MappingProxyType

from sqlalchemy import Connection, MetaData

import lessonstudy.projections.catalogue.search as search
from lessonstudy.projections.base import LoggedEvent, Projection
from lessonstudy.projections.catalogue.batch import Batch
from lessonstudy.projections.catalogue.facts import Facts
from lessonstudy.projections.catalogue.plans import PlanHandlers, document
from lessonstudy.projections.catalogue.revisions import RevisionHandlers
from lessonstudy.projections.catalogue.stats import recompute
from lessonstudy.projections.catalogue.tables import define
from lessonstudy.projections.recorded_note import NOTE_PACKING
from lessonstudy.projections.tracking import unseen


class Catalogue(PlanHandlers, RevisionHandlers, Projection):
    name = "catalogue"
    # Indexes a rebuild needs while it fills the tables; it adds the others at the end.
    build_indexes = frozenset({"ix_cat_entries_root", "ix_cat_notes_key"})
    # Applied in a rebuild's second process, with the other views (rebuild.apart);
    # its notes cross to it as the flat tuple it reads of them.
    rebuilt_apart = True
    packings = MappingProxyType({"ObservationLog.NoteRecorded": NOTE_PACKING})

    def __init__(self, prefix: str = "", *, deferred_stats: bool = False) -> None:
        super().__init__(prefix)
        self.facts = Facts()
        self.batch = Batch(self.t)
        self.deferred_stats = deferred_stats

    @property
    def deferred_stats(self) -> bool:
        return not self.batch.track_touched

    @deferred_stats.setter
    def deferred_stats(self, deferred: bool) -> None:
        self.batch.track_touched = not deferred

    def define_tables(self, metadata: MetaData, prefix: str) -> None:
        self.t = define(metadata, prefix)
        search.attach(self.t.docs)

    def apply(self, connection: Connection, events: Iterable[LoggedEvent]) -> None:
        pending = list(events)
        if not self.deferred_stats:
            pending = unseen(connection, self.tracking_name, pending)
        if not pending:
            return
        handlers = self._handlers
        try:
            for logged in pending:
                handler = handlers.get(logged.event_name)
                if handler is not None:
                    handler(self, connection, logged)
            touched = set(self.batch.touched)
            self.batch.write(connection, document)
            if not self.deferred_stats:
                recompute(connection, self.t, touched)
        finally:
            self.batch.clear()

    def defer_until_finished(self, deferred: bool) -> None:
        self.deferred_stats = deferred  # one pass over the numbers at the end (finalize)

    def finalize(self, connection: Connection) -> None:
        """Compute every entry's numbers from the facts (the end of a rebuild)."""
        recompute(connection, self.t, None)

    def create_extras(self, connection: Connection) -> None:
        """What the metadata cannot declare: the engine's full-text search structure."""
        search.create_extras(connection, self.t.docs)

    def extra_tables(self, connection: Connection) -> list[str]:
        return search.extra_tables(connection, self.t.docs)

"""Reading the log for a rebuild: batches of decoded events, one batch at a time.

At most one batch is in memory, so the log is streamed, never loaded whole. The
batches are read in the rebuilding thread itself: a reader thread decoding ahead
made rebuilds slower, not faster (bench.catalogue on 200,000 notes: 5,000-10,800
events/s with the thread against 7,200-13,000 without, run for run), because both
threads need the GIL for nearly all their work and the views' writer, which gives up
the GIL on every SQLite call, then waits for it behind the decoder.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import Notification

from lessonstudy.projections.base import LoggedEvent
from lessonstudy.projections.runtime import decode


class LogReader:
    def __init__(self, app: Application[UUID], topics: Sequence[str], batch_size: int) -> None:
        self.app = app
        self.topics = list(topics)
        self.batch_size = batch_size
        # The stored notifications of the batch read last (apart hands some on).
        self.notifications: Sequence[Notification] = []

    def read(self, after: int) -> list[LoggedEvent]:
        """One batch of the events after position `after` (short at the end of the log)."""
        notifications = self.app.recorder.select_notifications(
            start=after + 1, limit=self.batch_size, topics=self.topics
        )
        self.notifications = notifications
        return [decode(self.app, n) for n in notifications]

    def batches(self, after: int) -> Iterator[list[LoggedEvent]]:
        """Every batch after `after` up to the end of the log; the last one is short."""
        while True:
            batch = self.read(after)
            yield batch
            if len(batch) < self.batch_size:
                return
            after = batch[-1].position

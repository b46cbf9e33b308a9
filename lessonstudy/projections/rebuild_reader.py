"""Reading the log for a rebuild: batches of decoded events, read ahead in a thread.

While the views write a batch (and wait on SQLite or PostgreSQL, which releases the
GIL), the next batch is read and decoded. At most ``ahead`` batches wait in memory,
so the log is streamed, never loaded whole.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Iterator, Sequence
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import Notification

from lessonstudy.projections.base import LoggedEvent

_DONE = object()


def decode(app: Application[UUID], notification: Notification) -> LoggedEvent:
    event = app.mapper.to_domain_event(notification)
    return LoggedEvent(
        position=notification.id,
        event_name=notification.topic.rpartition(":")[2],
        originator_id=event.originator_id,
        version=event.originator_version,
        timestamp=getattr(event, "timestamp", None),
        event=event,
    )


class LogReader:
    def __init__(
        self, app: Application[UUID], topics: Sequence[str], batch_size: int, ahead: int = 2
    ) -> None:
        self.app = app
        self.topics = list(topics)
        self.batch_size = batch_size
        self.ahead = ahead

    def read(self, after: int) -> list[LoggedEvent]:
        """One batch of the events after position `after` (short at the end of the log)."""
        notifications = self.app.recorder.select_notifications(
            start=after + 1, limit=self.batch_size, topics=self.topics
        )
        return [decode(self.app, n) for n in notifications]

    def batches(self, after: int, *, threaded: bool = True) -> Iterator[list[LoggedEvent]]:
        """Every batch after `after` up to the end of the log; the last one is short."""
        if not threaded:
            yield from self._batches(after, threading.Event())
            return
        waiting: queue.Queue[object] = queue.Queue(maxsize=self.ahead)
        stop = threading.Event()

        def run() -> None:
            try:
                for batch in self._batches(after, stop):
                    waiting.put(batch)
            except BaseException as error:  # handed to the consumer, raised there
                waiting.put(error)
            finally:
                waiting.put(_DONE)

        worker = threading.Thread(target=run, name="rebuild-reader", daemon=True)
        worker.start()
        try:
            while (item := waiting.get()) is not _DONE:
                if isinstance(item, BaseException):
                    raise item
                yield item  # type: ignore[misc]
        finally:
            stop.set()
            while worker.is_alive():  # unblock a reader waiting for room in the queue
                with contextlib.suppress(queue.Empty):
                    waiting.get(timeout=0.05)
            worker.join()

    def _batches(self, after: int, stop: threading.Event) -> Iterator[list[LoggedEvent]]:
        while not stop.is_set():
            batch = self.read(after)
            yield batch
            if len(batch) < self.batch_size:
                return
            after = batch[-1].position

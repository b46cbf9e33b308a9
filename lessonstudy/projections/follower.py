"""Keeping the read models up to date with the event log, exactly once.

The follower reads the log in batches after the lowest position any projection has
reached, decodes each event once, and gives every projection the events it has not
seen in ONE transaction per projection per batch, with its new position written in
that same transaction (one transaction per batch is ~20x faster than one per event).

A projection that fails on an event is stopped with a message naming the event; the
others go on (runtime.commit_batch, as in a rebuild). Once fixed (a new release, a
curated event), ``resume`` clears the error and it carries on from its last position.

In the embedded default the service wakes the follower after each save; a short
poll also picks up events written by other processes. Under a stream of events it
gathers what arrives for a moment (``batch_window``) into one batch, since each batch
costs a few transactions per projection whatever its size; a reader waiting for the
views (``wait_for``: a page, an API reading its own write) ends that moment at once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import Notification
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from lessonstudy.projections.base import LoggedEvent, Projection
from lessonstudy.projections.runtime import commit_batch, decode
from lessonstudy.projections.topics import topic_of
from lessonstudy.projections.tracking import (
    ensure_position,
    read_error,
    read_position,
    read_positions,
    read_version,
    read_versions,
    tracking_metadata,
    write_position,
    write_version,
)

log = logging.getLogger(__name__)


@dataclass
class ProjectionStatus:
    name: str
    position: int
    error: str | None
    # The views were built by another version of the projection's code (or one from
    # before versions were recorded): they are followed still, but may lack what this
    # release adds until `lessonstudy rebuild`.
    rebuild_needed: bool = False


@dataclass
class StoredProgress:
    """How far the views are, as the database has it, and the log's head."""

    # The last event in the log. A view's position is the last event it reads, so a
    # view that is current may stand below the head when the newest events are of
    # kinds it does not read.
    log_head: int
    projections: list[ProjectionStatus]


class Follower:
    def __init__(
        self,
        app: Application[UUID],
        engine: Engine,
        projections: Sequence[Projection],
        *,
        batch_size: int = 1000,
        poll_seconds: float = 0.25,
        batch_window: float = 0.5,
        window_per_event: float = 0.02,
    ) -> None:
        self.app = app
        self.engine = engine
        self.projections = list(projections)
        self.batch_size = batch_size
        self.poll_seconds = poll_seconds
        self.batch_window = batch_window
        self.window_per_event = window_per_event
        self._wake = threading.Event()
        self._hurry = threading.Event()  # a reader waits: end the batch window now
        self._stopping = threading.Event()
        self._lock = threading.Lock()  # one catch-up at a time in this process
        self._thread: threading.Thread | None = None
        self._positions: dict[str, int] = {}
        self._loaded = False
        self.seen = 0  # every event up to here has been given to the projections
        self._errors: dict[str, str | None] = {}
        self.topics = sorted(_topics(self.projections))

    # --- set-up --------------------------------------------------------------------

    def create_tables(self) -> None:
        tracking_metadata.create_all(self.engine)
        for projection in self.projections:
            projection.metadata.create_all(self.engine)
            ensure_position(self.engine, projection.tracking_name)  # lockable from now on
        self._load_positions()
        self._record_new_versions()
        for status in self.status():
            if status.rebuild_needed:
                log.warning(
                    "the %s views were built by an earlier version of lessonstudy; they are"
                    " kept up to date, but run `lessonstudy rebuild` to rebuild them with"
                    " this one",
                    status.name,
                )

    def _record_new_versions(self) -> None:
        """Views with nothing applied yet are built by this code from the start."""
        try:
            with self.engine.begin() as connection:
                for projection in self.projections:
                    name = projection.tracking_name
                    # Positions were just loaded (_load_positions): 0 is nothing applied.
                    if not self._positions[name] and read_version(connection, name) is None:
                        write_version(connection, name, projection.version)
        except IntegrityError:
            pass  # another process recorded them first

    def _load_positions(self) -> None:
        with self.engine.connect() as connection:
            for projection in self.projections:
                name = projection.tracking_name
                self._positions[name] = read_position(connection, name)
                self._errors[name] = read_error(connection, name)
        self._loaded = True

    # --- following -----------------------------------------------------------------

    def catch_up(self) -> int:
        """Apply everything in the log so far; returns how many events were read."""
        with self._lock:
            if not self._loaded:
                self._load_positions()
            total = 0
            while not self._stopping.is_set():
                healthy = [p for p in self.projections if not self._errors.get(p.tracking_name)]
                # Read the head first: every event up to it is committed, so once the
                # reads come back short, the views account for all of it.
                head = self.app.recorder.max_notification_id() or 0
                start = min(
                    (self._positions.get(p.tracking_name, 0) for p in healthy), default=head
                )
                notifications = self._read(start + 1) if healthy else []
                events = [decode(self.app, n) for n in notifications]
                for projection in healthy:
                    self._apply(projection, events)
                total += len(events)
                if len(notifications) < self.batch_size:
                    self.seen = max(self.seen, head)
                    return total
            return total

    def _read(self, start: int) -> Sequence[Notification]:
        return self.app.recorder.select_notifications(
            start=start, limit=self.batch_size, topics=self.topics
        )

    def _apply(self, projection: Projection, events: list[LoggedEvent]) -> None:
        """Give the projection the batch's events it has not seen, in one transaction
        with its position (the whole batch in one call, as a rebuild gives it, so it
        writes each changed row once per batch: one call per event cost the in-process
        follower about as much CPU per note as the note itself, bench/live). A failing
        event stops the projection, named, with everything before it kept."""
        name = projection.tracking_name
        fresh = [e for e in events if e.position > self._positions.get(name, 0)]
        if not fresh:
            return
        self._positions[name], error = commit_batch(
            self.engine, projection, fresh, fresh[-1].position, lock=True
        )
        if error is not None:
            log.error(error)
            self._errors[name] = error

    # --- state and control ----------------------------------------------------------

    def status(self) -> list[ProjectionStatus]:
        with self.engine.connect() as connection:  # a rebuild elsewhere may have switched
            built = {p.tracking_name: read_version(connection, p.tracking_name)
                     for p in self.projections}  # fmt: skip
        return [
            ProjectionStatus(
                p.tracking_name,
                self._positions.get(p.tracking_name, 0),
                self._errors.get(p.tracking_name),
                rebuild_needed=built[p.tracking_name] != p.version,
            )
            for p in self.projections
        ]

    def stored_progress(self) -> StoredProgress:
        """Each view's position, error and version as stored, and the log's head: two
        small queries on the views' database and one on the log. Unlike status(), it
        does not depend on this process following the log: with LESSONSTUDY_FOLLOW=none
        a worker moves the views on, and this process's own positions are of its start."""
        # Positions first, then the head: whatever the views have reached is in the log
        # by then, so the head reported is never below a position.
        with self.engine.connect() as connection:
            stored = read_positions(connection)
            built = read_versions(connection)
        head = self.app.recorder.max_notification_id() or 0
        statuses = []
        for projection in self.projections:
            name = projection.tracking_name
            position, error = stored.get(name, (0, None))
            rebuild_needed = built.get(name) != projection.version
            statuses.append(ProjectionStatus(name, position, error, rebuild_needed))
        return StoredProgress(log_head=head, projections=statuses)

    def resume(self) -> None:
        """Clear stopped projections' errors so the next catch-up retries them."""
        with self.engine.begin() as connection:
            for projection in self.projections:
                if self._errors.get(projection.tracking_name):
                    position = read_position(connection, projection.tracking_name)
                    write_position(connection, projection.tracking_name, position, error=None)
                    self._errors[projection.tracking_name] = None
        self.wake()

    def wait_for(self, position: int, timeout: float = 5.0) -> bool:
        """Block until every healthy projection has reached position (tests, CLI)."""
        deadline = time.monotonic() + timeout
        while True:
            if self._thread is None:
                self.catch_up()
            if self.seen >= position:
                return True
            if time.monotonic() >= deadline:
                return False
            self._hurry.set()
            time.sleep(0.01)

    def wake(self, _position: int | None = None) -> None:
        self._wake.set()

    def start(self) -> None:
        """Follow the log in a background thread until stop()."""
        if self._thread is not None:
            return
        self.create_tables()
        self.app.add_save_listener(self.wake)  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._run, name="projection-follower", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()
        self._hurry.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def gathering_window(self, read: int) -> float:
        """How long to gather events after a batch of ``read`` before the next.

        Under a stream of notes, gathering what arrives into one batch saves CPU: at
        100 notes/s, batches of 10 cost the server 0.9 ms a note, of 50 0.35 ms
        (bench/live). But a fixed window is a fixed lag for a quiet lesson's single
        note (bench/catalogue's lag p99 target is 250 ms). So the window grows with
        the batch just read: a lone event waits 20 ms. A stream faster than
        1 / window_per_event (50 events/s) brings more than it read into each window,
        so its batches grow to the cap, ``batch_window``; a slower one's shrink back.
        A reader waiting for the views (wait_for) ends the window at once.
        """
        return min(self.batch_window, read * self.window_per_event)

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wake.clear()
            self._hurry.clear()  # set from here on, it ends the coming window
            try:
                read = self.catch_up()
            except Exception:  # a database hiccup must not end the follower
                log.exception("projection follower: catch-up failed; retrying")
                read = 0
            if read:
                self._hurry.wait(self.gathering_window(read))
            else:
                self._wake.wait(self.poll_seconds)


def _topics(projections: Iterable[Projection]) -> set[str]:
    """The stored topics of the events any projection handles (to skip the rest)."""
    return {topic_of(name) for p in projections for name in p.event_names()}

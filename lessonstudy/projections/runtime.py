"""What the follower and the rebuild both do with the log: decode a stored event once,
apply a batch to a view in one transaction with its position, and name the event a
view fails on while keeping everything before it.

Exactly once rests on the second: a view's rows and its position (tracking) commit
together, so a crash leaves neither ahead of the other, and a batch read again is
applied only after the stored position.
"""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import Notification
from sqlalchemy import Connection, Engine

from lessonstudy.projections.base import LoggedEvent, Projection
from lessonstudy.projections.tracking import read_position, write_position


class ProjectionFailedError(RuntimeError):
    """Raised when a projection stopped on an event it could not apply."""

    def __init__(self, message: str, *, position: int) -> None:
        super().__init__(message)
        self.position = position


def decode(app: Application[UUID], notification: Notification) -> LoggedEvent:
    """A stored event as the views take it: the domain event with its place in the log."""
    event = app.mapper.to_domain_event(notification)
    return LoggedEvent(
        position=notification.id,
        event_name=notification.topic.rpartition(":")[2],
        originator_id=event.originator_id,
        version=event.originator_version,
        timestamp=getattr(event, "timestamp", None),
        event=event,
    )


def commit_batch(
    engine: Engine,
    view: Projection,
    events: list[LoggedEvent],
    through: int,
    *,
    lock: bool = False,
    tune: Callable[[Connection], None] | None = None,
) -> tuple[int, str | None]:
    """Apply a batch's events for `view` and record that it has seen the log through
    `through`, in one transaction. If that fails, apply them one at a time to find the
    event that fails, keep those before it and record the error at its position.
    Returns the view's position and the error, if any.

    `lock` keeps the view's position row locked for the transaction (PostgreSQL), for
    processes that may follow the log at the same time; `tune` sets up the batch's
    connection (a rebuild's bulk settings)."""
    try:
        with engine.begin() as db:
            if tune is not None:
                tune(db)
            return apply_through(view, db, events, through, bulk=True, lock=lock), None
    except Exception:
        pass  # find the event that fails, one at a time, and keep those before it
    try:
        with engine.begin() as db:
            return apply_through(view, db, events, through, bulk=False, lock=lock), None
    except ProjectionFailedError as failure:
        before = [e for e in events if e.position < failure.position]
        with engine.begin() as db:
            position = apply_through(
                view, db, before, failure.position - 1, bulk=False, lock=lock
            )
            position = max(position, read_position(db, view.tracking_name))
            write_position(db, view.tracking_name, position, error=str(failure))
        return position, str(failure)


def apply_through(
    view: Projection,
    db: Connection,
    events: list[LoggedEvent],
    through: int,
    *,
    bulk: bool,
    lock: bool = False,
) -> int:
    """Apply events after the stored position, and store `through` as the new position
    (the log was read up to there); returns the position. `bulk` gives the view the
    events in one call, so it writes each changed row once; otherwise one at a time,
    naming the one that fails."""
    # Another process may have moved on: trust the stored position.
    position = read_position(db, view.tracking_name, lock=lock)
    if through <= position:
        return position
    fresh = events
    if events and events[0].position <= position:
        fresh = [e for e in events if e.position > position]
    if bulk:
        view.apply(db, fresh)
    else:
        for logged in fresh:
            apply_one(view, db, logged)
    write_position(db, view.tracking_name, through)
    return through


def apply_one(view: Projection, db: Connection, logged: LoggedEvent) -> None:
    """Apply one event; a failure becomes a ProjectionFailedError naming the event."""
    try:
        view.apply(db, [logged])
    except Exception as error:
        raise ProjectionFailedError(
            f"projection {view.tracking_name} stopped at event #{logged.position}"
            f" ({logged.event_name} of {logged.originator_id} v{logged.version}):"
            f" {type(error).__name__}: {error}",
            position=logged.position,
        ) from error

"""A projection's own check that it applies an event once, even across a rebuild's switch.

The follower reads a projection's position before its transaction writes anything
(pysqlite starts SQLite transactions only at the first write). If ``lessonstudy
rebuild`` switches in rebuilt tables between that read and the follower's first
write, the follower would apply events the rebuilt tables already contain. So a
projection that must not count twice reads its position again *inside* its write
transaction, after taking the write lock, and drops the events at or below it.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, select

from lessonstudy.projections.base import LoggedEvent
from lessonstudy.projections.tracking import projection_positions as positions


def unseen(
    connection: Connection, tracking_name: str, events: Sequence[LoggedEvent]
) -> list[LoggedEvent]:
    """The events after the position stored for tracking_name, read under the write lock."""
    if not events:
        return []
    row = positions.c.projection == tracking_name
    query = select(positions.c.position).where(row)
    if connection.dialect.name == "sqlite":
        # A write that changes nothing starts the transaction and takes SQLite's write
        # lock, so the read below sees whatever a switch committed before it.
        connection.execute(positions.update().where(row).values(position=positions.c.position))
    else:
        query = query.with_for_update()
    stored = connection.execute(query).scalar()
    if stored is None:
        return list(events)
    return [e for e in events if e.position > stored]

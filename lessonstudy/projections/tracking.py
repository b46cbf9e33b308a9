"""How far each projection has read the log, stored beside its views, and which
version of the projection's code built them.

The position is updated in the same transaction as the view rows it accounts for,
so a crash can never leave a view ahead of or behind its position. The version is
the projection class's ``version``, written when its tables are first made and by a
rebuild's switch: a release that changes what a view holds raises it, and views built
by an earlier one are then known to need ``lessonstudy rebuild``.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Column, Connection, Engine, Integer, MetaData, String, Table, Text, select
from sqlalchemy.exc import IntegrityError

from lessonstudy.projections.base import LoggedEvent

tracking_metadata = MetaData()

projection_positions = Table(
    "projection_positions",
    tracking_metadata,
    Column("projection", String(100), primary_key=True),
    Column("position", Integer, nullable=False),
    # The last failure, naming the event, until the projection gets past it.
    Column("error", Text, nullable=True),
)


projection_versions = Table(
    "projection_versions",
    tracking_metadata,
    Column("projection", String(100), primary_key=True),
    Column("version", Integer, nullable=False),
)


def read_version(connection: Connection, projection: str) -> int | None:
    """The version of the code that built the views; None if never recorded (views
    from before versions were kept, or none built yet)."""
    row = connection.execute(
        select(projection_versions.c.version).where(projection_versions.c.projection == projection)
    ).first()
    return int(row[0]) if row else None


def read_versions(connection: Connection) -> dict[str, int]:
    """Every recorded version by projection name, in one query."""
    c = projection_versions.c
    rows = connection.execute(select(c.projection, c.version))
    return {name: int(version) for name, version in rows}


def write_version(connection: Connection, projection: str, version: int) -> None:
    updated = connection.execute(
        projection_versions.update()
        .where(projection_versions.c.projection == projection)
        .values(version=version)
    )
    if updated.rowcount == 0:
        connection.execute(
            projection_versions.insert().values(projection=projection, version=version)
        )


def read_position(connection: Connection, projection: str, *, lock: bool = False) -> int:
    """The stored position; with lock=True (PostgreSQL) the row stays locked until the
    transaction ends, so a second process catching up at the same moment waits, then
    starts after this one's batch instead of applying it again and writing back an
    older position (see ensure_position)."""
    query = select(projection_positions.c.position).where(
        projection_positions.c.projection == projection
    )
    row = connection.execute(query.with_for_update() if lock else query).first()
    return int(row[0]) if row else 0


def read_positions(connection: Connection) -> dict[str, tuple[int, str | None]]:
    """Every stored (position, error) by projection name, in one query: what any
    process, a worker or another web process, has committed."""
    c = projection_positions.c
    rows = connection.execute(select(c.projection, c.position, c.error))
    return {name: (int(position), error) for name, position, error in rows}


def read_error(connection: Connection, projection: str) -> str | None:
    row = connection.execute(
        select(projection_positions.c.error).where(projection_positions.c.projection == projection)
    ).first()
    return row[0] if row else None


def write_position(
    connection: Connection, projection: str, position: int, error: str | None = None
) -> None:
    updated = connection.execute(
        projection_positions.update()
        .where(projection_positions.c.projection == projection)
        .values(position=position, error=error)
    )
    if updated.rowcount == 0:
        connection.execute(
            projection_positions.insert().values(
                projection=projection, position=position, error=error
            )
        )


def ensure_position(engine: Engine, projection: str) -> None:
    """Store position 0 for a projection that has no row yet.

    A follower locks its projection's row for each batch (read_position(lock=True)),
    and so does unseen; a row that does not exist cannot be locked, so two
    processes making their first catch-up together (a worker, and a web process
    reading its own write) would both apply the first batch. Two processes inserting
    at once is fine: the loser finds the winner's row.
    """
    try:
        with engine.begin() as connection:
            found = connection.execute(
                select(projection_positions.c.position).where(
                    projection_positions.c.projection == projection
                )
            ).first()
            if found is None:
                connection.execute(
                    projection_positions.insert().values(projection=projection, position=0)
                )
    except IntegrityError:
        pass  # another process stored it first


def unseen(
    connection: Connection, tracking_name: str, events: Sequence[LoggedEvent]
) -> list[LoggedEvent]:
    """The events after the position stored for tracking_name, read under the write lock:
    a projection's own check that it applies an event once, even across a rebuild's switch.

    The follower reads a projection's position before its transaction writes anything
    (pysqlite starts SQLite transactions only at the first write). If ``lessonstudy
    rebuild`` switches in rebuilt tables between that read and the follower's first
    write, the follower would apply events the rebuilt tables already contain. So a
    projection that must not count twice calls this inside its write transaction: it
    takes the write lock, reads the position again and drops the events at or below it.
    """
    if not events:
        return []
    row = projection_positions.c.projection == tracking_name
    query = select(projection_positions.c.position).where(row)
    if connection.dialect.name == "sqlite":
        # A write that changes nothing starts the transaction and takes SQLite's write
        # lock, so the read below sees whatever a switch committed before it.
        same = projection_positions.c.position
        connection.execute(projection_positions.update().where(row).values(position=same))
    else:
        query = query.with_for_update()
    stored = connection.execute(query).scalar()
    if stored is None:
        return list(events)
    return [e for e in events if e.position > stored]

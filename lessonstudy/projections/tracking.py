"""How far each projection has read the log, stored beside its views.

The position is updated in the same transaction as the view rows it accounts for,
so a crash can never leave a view ahead of or behind its position.
"""

from __future__ import annotations

from sqlalchemy import Column, Connection, Integer, MetaData, String, Table, Text, select

tracking_metadata = MetaData()

projection_positions = Table(
    "projection_positions",
    tracking_metadata,
    Column("projection", String(100), primary_key=True),
    Column("position", Integer, nullable=False),
    # The last failure, naming the event, until the projection gets past it.
    Column("error", Text, nullable=True),
)


def read_position(connection: Connection, projection: str) -> int:
    row = connection.execute(
        select(projection_positions.c.position).where(
            projection_positions.c.projection == projection
        )
    ).first()
    return int(row[0]) if row else 0


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

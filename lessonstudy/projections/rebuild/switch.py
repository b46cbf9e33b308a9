"""The rebuild's switch: rebuilt tables take the live ones' place in one transaction.

While it runs, readers keep reading: SQLite in WAL mode serves them the old tables
until the commit, PostgreSQL queues them for the moment the switch holds its locks.
Writers of events wait for it, so it does as little as it can:

- it first applies what was logged since the build (with the same lock held, so
  nothing is logged in between on SQLite; on PostgreSQL the tracking table is locked,
  so no follower moves a live position on while the switch reads it);
- SQLite cannot rename an index, so the rebuilt tables' indexes were given names of
  their own when built (``<live name>_<token>``) and need nothing here; PostgreSQL
  renames them to the live names;
- on SQLite the live tables are renamed out of the way and dropped afterwards, one
  transaction each, because dropping a large table frees every page it used.
"""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy import Connection, Engine, inspect, text

from lessonstudy.projections.base import Projection
from lessonstudy.projections.tracking import projection_positions, write_version

RETIRED = "retired_"


class Switching(Protocol):
    """What the switch needs of the rebuild (build.Rebuild)."""

    engine: Engine
    live: list[Projection]
    aside: list[Projection]
    token: str  # makes the retired tables' names unique

    def build(self, connection: Connection | None = None) -> int: ...


def switch(rebuild: Switching) -> int:
    """Catch up and swap every view in one transaction; returns the events applied in it."""
    with rebuild.engine.connect() as db:
        sqlite = db.dialect.name == "sqlite"
        raw: Any = db.connection.dbapi_connection
        saved = raw.isolation_level if sqlite else None
        try:
            if sqlite:
                # pysqlite would commit DDL on its own; with autocommit off at the driver
                # and an explicit BEGIN IMMEDIATE, the whole switch is one transaction.
                raw.isolation_level = None
                db.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                _lock(db, rebuild.live)
            for view in rebuild.aside:
                view.defer_until_finished(False)  # finished: keep it complete from here on
            applied = rebuild.build(connection=db)
            retired = [name for live, aside in zip(rebuild.live, rebuild.aside, strict=True)
                       for name in _swap(db, live, aside, rebuild.token)]  # fmt: skip
            db.commit()
        except BaseException:
            db.rollback()
            raise
        finally:
            if sqlite:
                raw.isolation_level = saved
    _drop_retired(rebuild, retired)
    return applied


def _lock(db: Connection, live: list[Projection]) -> None:
    db.exec_driver_sql("SET LOCAL lock_timeout = '30s'")
    # The tracking table first: a follower's transaction that already read a position
    # finishes before the switch reads them, and none starts until it commits.
    db.exec_driver_sql(f'LOCK TABLE "{projection_positions.name}" IN ACCESS EXCLUSIVE MODE')
    existing = set(inspect(db).get_table_names())
    for view in live:
        for table in view.tables:
            if table.name in existing:
                db.exec_driver_sql(f'LOCK TABLE "{table.name}" IN ACCESS EXCLUSIVE MODE')


def _swap(db: Connection, live: Projection, aside: Projection, token: str) -> list[str]:
    """Put aside's tables in live's place; returns tables to drop after the commit."""
    pairs = [(t.name, t.name.replace(aside.prefix, "", 1)) for t in aside.tables]
    pairs += [(n, n.replace(aside.prefix, "", 1)) for n in aside.extra_tables(db)]
    existing = set(inspect(db).get_table_names())
    retired = []
    for _, live_name in pairs:
        if live_name not in existing:
            continue
        if db.dialect.name == "sqlite":
            retired.append(f"{RETIRED}{token}_{live_name}")
            db.exec_driver_sql(f'ALTER TABLE "{live_name}" RENAME TO "{retired[-1]}"')
        else:
            db.exec_driver_sql(f'DROP TABLE "{live_name}" CASCADE')
    for aside_name, live_name in pairs:
        db.exec_driver_sql(f'ALTER TABLE "{aside_name}" RENAME TO "{live_name}"')
        if db.dialect.name == "postgresql":
            _rename_indexes(db, live_name, aside.prefix)
    p = projection_positions
    db.execute(p.delete().where(p.c.projection == live.tracking_name))
    db.execute(
        p.update()
        .where(p.c.projection == aside.tracking_name)
        .values(projection=live.tracking_name)
    )
    write_version(db, live.tracking_name, live.version)  # built by this code, from zero
    return retired


def _rename_indexes(db: Connection, table: str, prefix: str) -> None:
    rows = db.execute(
        text(
            "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
            " AND tablename = :table"
        ),
        {"table": table},
    )
    for (name,) in rows.all():
        if prefix in name:
            db.exec_driver_sql(f'ALTER INDEX "{name}" RENAME TO "{name.replace(prefix, "", 1)}"')


def _drop_retired(rebuild: Switching, names: list[str]) -> None:
    for name in names:
        with rebuild.engine.begin() as db:
            db.exec_driver_sql(f'DROP TABLE IF EXISTS "{name}"')

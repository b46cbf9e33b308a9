"""The tables a rebuild fills beside the live ones: their prefix, the view made to fill
them, the names of their indexes, and throwing them away.

Each view gets a second set of tables named ``rebuild_<table>``, its position tracked
as ``rebuild_<name>``, until the switch renames them into the live ones' place.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, Index, inspect

from lessonstudy.projections.base import Projection
from lessonstudy.projections.tracking import projection_positions

PREFIX = "rebuild_"
CACHE_KIB = 65536
CHECKPOINT_PAGES = 8192


def aside_view(make: Callable[[str], Projection]) -> Projection:
    """The view whose tables a rebuild fills beside the live ones (the second process
    makes its views with it too, so it stays importable by name)."""
    view = make(PREFIX)
    view.defer_until_finished(True)  # what it can do once, it does at the end (finish)
    return view


def aside_index_name(db: Connection, index: Index, prefix: str, token: str) -> str:
    """The name a rebuilt table's index is created with (SQLite cannot rename an
    index, so it gets a name of its own, ``<live name>_<token>``; PostgreSQL's are
    renamed to the live names by the switch)."""
    assert index.table is not None
    name = index.name or f"ix_{index.table.name}_{'_'.join(c.name for c in index.columns)}"
    if db.dialect.name == "postgresql":
        return str(name)  # renamed to the live name by the switch
    return f"{str(name).replace(prefix, '', 1)}_{token}"


def drop_aside(db: Connection, view: Projection) -> None:
    """Forget what an earlier rebuild left aside (``lessonstudy rebuild --fresh``)."""
    existing = set(inspect(db).get_table_names())
    for name in [t.name for t in reversed(list(view.tables))] + view.extra_tables(db):
        if name in existing:
            db.exec_driver_sql(f'DROP TABLE "{name}"')
    p = projection_positions
    db.execute(p.delete().where(p.c.projection == view.tracking_name))


def bulk_settings(db: Connection) -> None:
    """SQLite settings for filling the aside tables in bulk, on this connection only
    (readers are unaffected)."""
    if db.dialect.name == "sqlite":
        # A 64 MB page cache keeps the indexes being filled in memory, and checkpointing
        # every 32 MB of log instead of every 4 MB saves most of the rebuild's fsyncs.
        db.exec_driver_sql(f"PRAGMA cache_size = -{CACHE_KIB}")
        db.exec_driver_sql(f"PRAGMA wal_autocheckpoint = {CHECKPOINT_PAGES}")

"""The read models' database, through SQLAlchemy: PostgreSQL's own database, or for
SQLite a file of their own next to the events (``Store.views_sqlite_path``), so view
commits never wait for the event store's write lock nor it for theirs.

Views and their tracking positions are written in one SQLAlchemy transaction, which
is what makes the projections exactly-once. For ``memory://`` (tests) the views go to
an SQLite file in a temporary folder, removed with the engine: an in-memory database
shared by every thread is one connection, where a reader closing its session rolls
back the follower's transaction half-way (and its position is then written anyway).
"""

from __future__ import annotations

import shutil
import tempfile
import weakref
from typing import Any

from sqlalchemy import Engine, create_engine, event

from lessonstudy.storage import Store


def read_model_engine(store: Store) -> Engine:
    if store.kind == "postgres":
        env = store.environment
        url = (
            f"postgresql+psycopg://{env['POSTGRES_USER']}:{env['POSTGRES_PASSWORD']}"
            f"@{env['POSTGRES_HOST']}:{env['POSTGRES_PORT']}/{env['POSTGRES_DBNAME']}"
        )
        return create_engine(url, pool_size=5, max_overflow=10, pool_pre_ping=True)
    if store.kind == "sqlite":
        engine = create_engine(
            f"sqlite:///{store.views_sqlite_path}",
            # Readers (pages) and the follower share this file: wait, don't fail.
            connect_args={"timeout": 30, "check_same_thread": False},
        )
    else:
        folder = tempfile.mkdtemp(prefix="lessonstudy-views-")
        engine = create_engine(
            f"sqlite:///{folder}/views.db", connect_args={"timeout": 30, "check_same_thread": False}
        )
        weakref.finalize(engine, shutil.rmtree, folder, ignore_errors=True)
    _sqlite_pragmas(engine)
    return engine


def _sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # WAL with synchronous=NORMAL is durable across application crashes; a view
        # lost in a power cut is rebuilt from the log, which keeps full durability.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

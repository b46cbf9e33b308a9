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

from lessonstudy.storage import CONNECT_TIMEOUT, Store, postgres_connect_args


def read_model_url(store: Store) -> str | None:
    """Where a store's views are kept; None for ``memory://`` (a folder made per engine)."""
    if store.kind == "postgres":
        env = store.environment
        return (
            f"postgresql+psycopg://{env['POSTGRES_USER']}:{env['POSTGRES_PASSWORD']}"
            f"@{env['POSTGRES_HOST']}:{env['POSTGRES_PORT']}/{env['POSTGRES_DBNAME']}"
        )
    if store.kind == "sqlite":
        return f"sqlite:///{store.views_sqlite_path}"
    return None


def read_model_engine(store: Store, *, statement_timeout: float | None = None) -> Engine:
    """The views' engine. On PostgreSQL, opening a connection and waiting for a pooled
    one are bounded (a page during an outage gets 503 in seconds, not a hang), and so is
    each statement when statement_timeout (seconds) is given: the web server's reads
    are small; a rebuild's index over a million rows is not, so it gives none."""
    url = read_model_url(store)
    if store.kind == "postgres" and url is not None:
        return create_engine(
            url,
            pool_size=5,
            max_overflow=10,
            pool_pre_ping=True,
            pool_timeout=CONNECT_TIMEOUT,
            connect_args=postgres_connect_args(int((statement_timeout or 0) * 1000)),
        )
    folder = None
    if url is None:
        folder = tempfile.mkdtemp(prefix="lessonstudy-views-")
        url = f"sqlite:///{folder}/views.db"
    engine = create_engine(
        url,
        # Readers (pages) and the follower share this file: wait, don't fail.
        connect_args={"timeout": 30, "check_same_thread": False},
    )
    if folder is not None:
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
        # Debian's SQLite zeroes every page it frees (compiled with SECURE_DELETE), so
        # dropping a rebuild's retired 1,000,000-note tables wrote their whole size to
        # the WAL and again to the file. The views hold nothing the log does not keep
        # for ever; FAST still clears deleted rows inside the pages it writes anyway.
        cursor.execute("PRAGMA secure_delete=FAST")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

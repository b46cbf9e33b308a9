"""One database URL names where everything lives.

The URL is translated here into the settings the eventsourcing library reads, so the
rest of the code never branches on the kind of store:

- ``sqlite:///path/to/file.db`` (the embedded default; the folder is created),
- ``postgresql://user:password@host:port/dbname`` (real deployments, several processes),
- ``memory://`` (the library's in-memory store; tests and benchmarks only).

On PostgreSQL every wait is bounded, so that a request during an outage is answered
503 (docs/realtime.md section 2) within seconds instead of hanging until the database
returns: waiting for a pooled connection, opening one, and each statement.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from eventsourcing.persistence import ApplicationRecorder
from eventsourcing.postgres import PostgresFactory

DEFAULT_DATA_DIR = Path("data")
DEFAULT_DATABASE_URL = f"sqlite:///{DEFAULT_DATA_DIR / 'lessonstudy.db'}"
DATABASE_URL_SETTING = "LESSONSTUDY_DATABASE_URL"

# PostgreSQL's bounds, in seconds. The library tries each read and write of the event
# store up to 10 times, 0.2 s apart, on a connection error, so a bound is met 10 times
# before a request is answered 503; each is therefore short. One attempt waits at most
# POOL_WAIT for a pooled connection: in an outage the pool is empty, and a note is
# answered 503 after about 3 s (10 x 0.3 s; before, 10 x a 10 s wait, so PostgreSQL's
# return came first). A busy pool costs a retried query a retry, not a
# 503. Opening a connection takes at most CONNECT_TIMEOUT (the pool's own attempts, in
# the background), and a statement runs at most STATEMENT_TIMEOUT: every statement a
# request makes is small (an aggregate's events since its cached version, one note's
# insert), so reaching it means the database is stuck, not busy; stuck, a request
# is answered after at most 10 x 5 s.
POOL_WAIT = 0.1
CONNECT_TIMEOUT = 3
STATEMENT_TIMEOUT = 5
# How long the pool retries opening a connection, pausing 1, 2, 4 s..., before it gives
# that attempt up and starts a new one (from a 1 s pause) when a request next waits.
# Within psycopg_pool's default of five minutes the pauses keep doubling, so the longer
# the outage, the later the pool noticed the database was back (after a 20 s outage,
# attempts at 1, 3, 7, 15 and 31 s: 11 s late); with 8 s, at most about 4 s late.
RECONNECT_TIMEOUT = 8.0
STATEMENT_TIMEOUT_SETTING = "POSTGRES_STATEMENT_TIMEOUT"


class StorageConfigError(ValueError):
    """Raised when the database URL cannot be understood."""


@dataclass(frozen=True)
class Store:
    """A parsed database URL: its kind and the library settings that select it."""

    url: str
    kind: str  # "memory", "sqlite" or "postgres"
    environment: dict[str, str]

    @property
    def sqlite_path(self) -> Path | None:
        if self.kind != "sqlite":
            return None
        return Path(self.environment["SQLITE_DBNAME"])

    @property
    def views_sqlite_path(self) -> Path | None:
        """Where an SQLite store keeps its read models: a file of their own next to the
        events (``lessonstudy.db`` -> ``lessonstudy-views.db``). SQLite has one write
        lock per file; sharing it, every view commit held up the next note's commit
        (bench/live). Views are rebuilt from the log, so a new file fills itself."""
        path = self.sqlite_path
        return None if path is None else path.with_name(f"{path.stem}-views{path.suffix}")


class BoundedPostgresFactory(PostgresFactory):
    """The library's PostgreSQL store, with the bounds the library has no setting for:
    libpq's connect timeout and a statement timeout on each of its pool's connections,
    a wait for a pooled connection shorter than a second, and the pool's reconnection
    window. Selected by PERSISTENCE_MODULE (a factory
    class's topic is one of the forms the library resolves)."""

    def __init__(self, env: Any) -> None:
        super().__init__(env)
        pool = self.datastore.pool  # made closed: nothing is connected before this
        statement_ms = int(float(self.env.get(STATEMENT_TIMEOUT_SETTING) or 0) * 1000)
        assert isinstance(pool.kwargs, dict)  # the library passes its connect arguments
        pool.kwargs.update(postgres_connect_args(statement_ms))
        # The library's POSTGRES_CONNECT_TIMEOUT sets this wait, in whole seconds only.
        pool.timeout = POOL_WAIT
        pool.reconnect_timeout = RECONNECT_TIMEOUT

    def application_recorder(self) -> ApplicationRecorder:
        """The recorder, its tables created on the pool's first connection: a wait the
        library does not retry, and the pool opening under load (a busy machine, a
        remote database) takes longer than POOL_WAIT. Started with the wait for a new
        connection; requests after it wait POOL_WAIT per attempt."""
        pool = self.datastore.pool
        pool.timeout = CONNECT_TIMEOUT
        try:
            return super().application_recorder()
        finally:
            pool.timeout = POOL_WAIT


def postgres_connect_args(statement_timeout_ms: int) -> dict[str, Any]:
    """psycopg's connect arguments for bounded waits: open a connection within
    CONNECT_TIMEOUT, and let the server cancel a statement after statement_timeout_ms
    (0: no limit)."""
    args: dict[str, Any] = {"connect_timeout": CONNECT_TIMEOUT}
    if statement_timeout_ms:
        args["options"] = f"-c statement_timeout={statement_timeout_ms}"
    return args


def configured_database_url() -> str:
    """The URL from the environment, or the embedded default."""
    return os.environ.get(DATABASE_URL_SETTING) or DEFAULT_DATABASE_URL


def parse_database_url(url: str) -> Store:
    """Translate a database URL into eventsourcing settings, creating SQLite's folder."""
    scheme = urlsplit(url).scheme.split("+", 1)[0]
    if scheme == "memory":
        return Store(url, "memory", {"PERSISTENCE_MODULE": "eventsourcing.popo"})
    if scheme == "sqlite":
        return Store(url, "sqlite", _sqlite_environment(url))
    if scheme in ("postgres", "postgresql"):
        return Store(url, "postgres", _postgres_environment(url))
    raise StorageConfigError(f"database URL {url!r}: scheme must be sqlite, postgresql or memory")


def _sqlite_environment(url: str) -> dict[str, str]:
    path_text = url.split(":///", 1)[1] if ":///" in url else ""
    if not path_text:
        raise StorageConfigError(f"database URL {url!r}: give a file, sqlite:///data/x.db")
    path = Path(unquote(path_text))
    path.parent.mkdir(parents=True, exist_ok=True)
    return {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": str(path),
        # Writers from several threads queue on SQLite's single write lock.
        "SQLITE_LOCK_TIMEOUT": "10",
    }


def _postgres_environment(url: str) -> dict[str, str]:
    parts = urlsplit(url)
    dbname = parts.path.lstrip("/")
    if not (parts.hostname and dbname and parts.username):
        raise StorageConfigError(
            f"database URL {url!r}: give postgresql://user:password@host:port/dbname"
        )
    return {
        "PERSISTENCE_MODULE": f"{__name__}:{BoundedPostgresFactory.__qualname__}",
        "POSTGRES_DBNAME": dbname,
        "POSTGRES_HOST": parts.hostname,
        "POSTGRES_PORT": str(parts.port or 5432),
        "POSTGRES_USER": unquote(parts.username),
        "POSTGRES_PASSWORD": unquote(parts.password or ""),
        "POSTGRES_POOL_SIZE": "10",
        "POSTGRES_MAX_OVERFLOW": "20",
        "POSTGRES_LOCK_TIMEOUT": "5",
        STATEMENT_TIMEOUT_SETTING: str(STATEMENT_TIMEOUT),
    }

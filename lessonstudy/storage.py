"""One database URL names where everything lives.

The URL is translated here into the settings the eventsourcing library reads, so the
rest of the code never branches on the kind of store:

- ``sqlite:///path/to/file.db`` (the embedded default; the folder is created),
- ``postgresql://user:password@host:port/dbname`` (real deployments, several processes),
- ``memory://`` (the library's in-memory store; tests and benchmarks only).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

DEFAULT_DATA_DIR = Path("data")
DEFAULT_DATABASE_URL = f"sqlite:///{DEFAULT_DATA_DIR / 'lessonstudy.db'}"
DATABASE_URL_SETTING = "LESSONSTUDY_DATABASE_URL"


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
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": dbname,
        "POSTGRES_HOST": parts.hostname,
        "POSTGRES_PORT": str(parts.port or 5432),
        "POSTGRES_USER": unquote(parts.username),
        "POSTGRES_PASSWORD": unquote(parts.password or ""),
        "POSTGRES_POOL_SIZE": "10",
        "POSTGRES_MAX_OVERFLOW": "20",
        "POSTGRES_CONNECT_TIMEOUT": "10",
        "POSTGRES_LOCK_TIMEOUT": "5",
    }

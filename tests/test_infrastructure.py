"""The test infrastructure itself: throwaway servers, store URLs, and their translation.

If these fail, every test built on the fixtures is suspect, so they check real behaviour
(rows written and read back, isolation between databases, passwords enforced).
"""

from __future__ import annotations

from pathlib import Path
from uuid import UUID, uuid4

import psycopg
import pytest
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event
from support.postgres import PostgresServer, fresh_database
from support.redis import ping, redis_command

from lessonstudy.storage import StorageConfigError, parse_database_url


def _table_names(url: str) -> set[str]:
    with psycopg.connect(url, connect_timeout=10) as conn:
        rows = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        ).fetchall()
    return {row[0] for row in rows}


@pytest.mark.postgres
def test_postgres_url_is_a_working_database(postgres_url: str) -> None:
    with psycopg.connect(postgres_url, connect_timeout=10) as conn:
        conn.execute("CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL)")
        conn.execute("INSERT INTO notes (body) VALUES (%s), (%s)", ("first", "second"))
        conn.commit()
        rows = conn.execute("SELECT body FROM notes ORDER BY id").fetchall()
        version = conn.execute("SHOW server_version_num").fetchone()
        fsync = conn.execute("SHOW fsync").fetchone()
    assert rows == [("first",), ("second",)]
    assert version is not None and str(version[0]).startswith("15")
    # Benchmarks share this server: commits must be durable, as in a deployment.
    assert fsync == ("on",)


@pytest.mark.postgres
def test_two_postgres_urls_are_separate_databases(
    postgres_url: str, postgres_server: PostgresServer
) -> None:
    with psycopg.connect(postgres_url, connect_timeout=10) as conn:
        conn.execute("CREATE TABLE only_here (id int)")
        conn.commit()
    with fresh_database(postgres_server) as other_url:
        assert other_url != postgres_url
        assert _table_names(postgres_url) == {"only_here"}
        assert _table_names(other_url) == set()
    other_name = other_url.rsplit("/", 1)[1]
    with postgres_server.connect() as conn:
        left = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (other_name,))
        assert left.fetchall() == [], "the database should be dropped after use"


@pytest.mark.postgres
def test_postgres_server_requires_the_password(postgres_url: str) -> None:
    wrong = postgres_url.replace("lessonstudy:lessonstudy@", "lessonstudy:wrong@")
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(wrong, connect_timeout=10).close()


def test_database_url_names_each_store(database_url: str, request: pytest.FixtureRequest) -> None:
    kind = request.node.callspec.id
    assert parse_database_url(database_url).kind == kind
    # Only the PostgreSQL run carries the marker, so `-m "not postgres"` skips just that.
    assert (request.node.get_closest_marker("postgres") is not None) == (kind == "postgres")


class Note(Aggregate):
    @event("Written")
    def __init__(self, body: str) -> None:
        self.body = body


def _save_note(url: str, body: str) -> UUID:
    app: Application[UUID] = Application(env=parse_database_url(url).environment)
    try:
        note = Note(body)
        app.save(note)
        return note.id
    finally:
        app.close()


def _read_note(url: str, note_id: UUID) -> str:
    app: Application[UUID] = Application(env=parse_database_url(url).environment)
    try:
        note: Note = app.repository.get(note_id)
        return note.body
    finally:
        app.close()


def test_database_url_keeps_events_for_the_library(database_url: str) -> None:
    note_id = _save_note(database_url, "misconception: bigger denominator, bigger fraction")
    if parse_database_url(database_url).kind == "memory":
        # The in-memory store lives and dies with its application object.
        return
    # A second application on the same URL sees the events: they reached the store.
    assert _read_note(database_url, note_id) == "misconception: bigger denominator, bigger fraction"


def test_sqlite_url_is_a_fresh_file_in_the_test_folder(sqlite_url: str, tmp_path: Path) -> None:
    store = parse_database_url(sqlite_url)
    assert store.sqlite_path == tmp_path / "lessonstudy.db"
    assert not tmp_path.joinpath("lessonstudy.db").exists()


def test_memory_url_selects_the_in_memory_store() -> None:
    store = parse_database_url("memory://")
    assert store.kind == "memory"
    assert store.environment == {"PERSISTENCE_MODULE": "eventsourcing.popo"}
    assert store.sqlite_path is None


def test_sqlite_url_selects_sqlite_and_creates_its_folder(tmp_path: Path) -> None:
    path = tmp_path / "not" / "yet" / "there.db"
    store = parse_database_url(f"sqlite:///{path}")
    assert store.kind == "sqlite"
    assert store.environment["PERSISTENCE_MODULE"] == "eventsourcing.sqlite"
    assert store.environment["SQLITE_DBNAME"] == str(path)
    assert store.sqlite_path == path
    assert path.parent.is_dir()


@pytest.mark.parametrize("scheme", ["postgresql", "postgres", "postgresql+psycopg"])
def test_postgres_url_selects_postgres(scheme: str) -> None:
    store = parse_database_url(f"{scheme}://alice:s%40cret@db.example:6543/lessons")
    assert store.kind == "postgres"
    env = store.environment
    # The library's PostgreSQL store, with every wait bounded (storage.BoundedPostgresFactory).
    assert env["PERSISTENCE_MODULE"] == "lessonstudy.storage:BoundedPostgresFactory"
    assert (env["POSTGRES_HOST"], env["POSTGRES_PORT"]) == ("db.example", "6543")
    assert (env["POSTGRES_DBNAME"], env["POSTGRES_USER"]) == ("lessons", "alice")
    assert env["POSTGRES_PASSWORD"] == "s@cret"
    assert store.sqlite_path is None


def test_postgres_url_without_port_uses_the_default_port() -> None:
    store = parse_database_url("postgresql://alice:pw@localhost/lessons")
    assert store.environment["POSTGRES_PORT"] == "5432"


def test_unknown_scheme_is_rejected() -> None:
    with pytest.raises(StorageConfigError, match="scheme must be sqlite, postgresql or memory"):
        parse_database_url("mysql://alice:pw@localhost/lessons")


def test_postgres_url_without_database_name_is_rejected() -> None:
    with pytest.raises(StorageConfigError, match="dbname"):
        parse_database_url("postgresql://alice:pw@localhost:5432/")


def test_sqlite_url_without_file_is_rejected() -> None:
    with pytest.raises(StorageConfigError, match="give a file"):
        parse_database_url("sqlite://")


def test_redis_server_answers_ping_and_keeps_values(redis_server: str) -> None:
    assert redis_server.startswith("redis://127.0.0.1:") and redis_server.endswith("/0")
    assert ping(redis_server)
    assert redis_command(redis_server, "PING") == "PONG"
    key = f"lessonstudy-test-{uuid4()}"
    assert redis_command(redis_server, "GET", key) is None
    assert redis_command(redis_server, "SET", key, "observed: 3 of 24 students") == "OK"
    assert redis_command(redis_server, "GET", key) == "observed: 3 of 24 students"

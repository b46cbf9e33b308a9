"""A throwaway PostgreSQL 15 server for the test session, and a fresh database per test.

The suite starts its own server instead of expecting one to be configured, so a new
machine (and CI) needs only Debian's binaries. It listens on 127.0.0.1 and a free port,
so it never meets a system cluster or another test run, and it uses password
authentication, so the URLs the tests hand out are the shape real deployments use.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from support.ports import LOOPBACK, free_port

PG_BIN = Path(os.environ.get("LESSONSTUDY_PG_BIN", "/usr/lib/postgresql/15/bin"))
ROLE = "lessonstudy"
PASSWORD = "lessonstudy"
READY_DEADLINE_SECONDS = 30.0
START_ATTEMPTS = 3  # a free port can be taken between our probe and the server's bind

# Per-process counter: each pytest process starts its own server, so names never clash.
_database_numbers = itertools.count(1)


@dataclass(frozen=True)
class PostgresServer:
    """A running server: where it listens and who may log in."""

    port: int
    base_dir: Path
    host: str = LOOPBACK
    user: str = ROLE
    password: str = PASSWORD

    @property
    def data_dir(self) -> Path:
        return self.base_dir / "data"

    @property
    def log_file(self) -> Path:
        return self.base_dir / "server.log"

    def url(self, dbname: str) -> str:
        return f"postgresql://{self.user}:{self.password}@{self.host}:{self.port}/{dbname}"

    def connect(self, dbname: str = "postgres") -> psycopg.Connection[tuple[object, ...]]:
        """An autocommit connection; CREATE/DROP DATABASE refuse to run in a transaction."""
        return psycopg.connect(self.url(dbname), autocommit=True, connect_timeout=10)


def _as_server_owner(args: list[str]) -> list[str]:
    # initdb refuses to run as root, so root hands the whole cluster to `postgres`.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


def _run(args: list[str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        _as_server_owner(args),
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def _require_binaries() -> None:
    missing = [name for name in ("initdb", "pg_ctl") if not (PG_BIN / name).exists()]
    if missing:
        # Failing, not skipping: a suite that quietly drops its PostgreSQL half would
        # pass on a machine where the deployment store is never exercised.
        pytest.fail(
            f"PostgreSQL 15 binaries {missing} not found in {PG_BIN}: "
            "install them with `apt-get install -y postgresql-15` (scripts/test does this)",
            pytrace=False,
        )


def _make_base_dir() -> Path:
    # As root, the postgres user must reach the folder: /tmp is world-traversable,
    # whereas TMPDIR or pytest's own tmp folders may sit under a 0700 directory.
    parent = "/tmp" if os.geteuid() == 0 else None
    base = Path(tempfile.mkdtemp(prefix="lessonstudy-pg-", dir=parent))
    (base / "socket").mkdir()
    (base / "pwfile").write_text(PASSWORD + "\n")
    if os.geteuid() == 0:
        for path in (base, base / "socket", base / "pwfile"):
            shutil.chown(path, "postgres", "postgres")
    return base


def _init_cluster(base: Path) -> None:
    result = _run(
        [
            str(PG_BIN / "initdb"),
            f"--pgdata={base / 'data'}",
            f"--username={ROLE}",
            f"--pwfile={base / 'pwfile'}",
            "--auth=scram-sha-256",
            "--encoding=UTF8",
            "--locale=C",
            # Only skips flushing initdb's own files; the running server keeps fsync on.
            "--no-sync",
        ]
    )
    if result.returncode != 0:
        pytest.fail(f"initdb failed:\n{result.stdout}\n{result.stderr}", pytrace=False)
    settings = [
        f"listen_addresses = '{LOOPBACK}'",
        f"unix_socket_directories = '{base / 'socket'}'",
        # fsync stays on: benchmarks run against this server and must measure real commits.
        "fsync = on",
        # Each eventsourcing application keeps a pool (10 + 20 overflow); tests open several.
        "max_connections = 200",
    ]
    with (base / "data" / "postgresql.conf").open("a") as conf:
        conf.write("\n# lessonstudy test server\n" + "\n".join(settings) + "\n")


def _log_tail(server: PostgresServer, lines: int = 30) -> str:
    try:
        return "\n".join(server.log_file.read_text().splitlines()[-lines:])
    except OSError:
        return "(no server log)"


def _start_on(base: Path, port: int) -> PostgresServer | None:
    server = PostgresServer(port=port, base_dir=base)
    # -w makes pg_ctl wait for startup itself; -t bounds that wait.
    result = _run(
        [
            str(PG_BIN / "pg_ctl"),
            "start",
            f"--pgdata={server.data_dir}",
            f"--log={server.log_file}",
            f"--options=-p {port}",
            "--wait",
            f"--timeout={int(READY_DEADLINE_SECONDS)}",
        ],
        timeout=READY_DEADLINE_SECONDS + 15,
    )
    return server if result.returncode == 0 else None


def _wait_until_ready(server: PostgresServer) -> None:
    deadline = time.monotonic() + READY_DEADLINE_SECONDS
    last_error = "never tried"
    while time.monotonic() < deadline:
        try:
            with server.connect() as conn:
                conn.execute("SELECT 1")
            return
        except psycopg.OperationalError as error:
            last_error = str(error)
            time.sleep(0.2)
    pytest.fail(
        f"PostgreSQL on port {server.port} not ready after {READY_DEADLINE_SECONDS:.0f}s: "
        f"{last_error}\n{_log_tail(server)}",
        pytrace=False,
    )


def start_server(base: Path) -> PostgresServer:
    """Initialise a cluster in `base` and start it on a free loopback port."""
    _init_cluster(base)
    for _ in range(START_ATTEMPTS):
        server = _start_on(base, free_port())
        if server is not None:
            _wait_until_ready(server)
            return server
    failed = PostgresServer(port=0, base_dir=base)
    pytest.fail(f"pg_ctl start failed {START_ATTEMPTS} times:\n{_log_tail(failed)}", pytrace=False)


def start_again(server: PostgresServer) -> None:
    """Start a stopped server again on its own port and data (the end of an outage)."""
    if _start_on(server.base_dir, server.port) is None:
        pytest.fail(f"pg_ctl start failed again:\n{_log_tail(server)}", pytrace=False)
    _wait_until_ready(server)


def stop_server(server: PostgresServer) -> None:
    """Fast shutdown (rolls back open transactions); immediate if that hangs."""
    for mode in ("fast", "immediate"):
        result = _run(
            [str(PG_BIN / "pg_ctl"), "stop", f"--pgdata={server.data_dir}", "--mode", mode],
            timeout=READY_DEADLINE_SECONDS + 15,
        )
        if result.returncode == 0:
            return


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One PostgreSQL 15 server for the whole session, started on first use."""
    _require_binaries()
    base = _make_base_dir()
    try:
        server = start_server(base)
        try:
            yield server
        finally:
            stop_server(server)
    finally:
        shutil.rmtree(base, ignore_errors=True)


@contextmanager
def server_of_its_own() -> Iterator[PostgresServer]:
    """A server for one test that stops and starts it (an outage): the session's is
    shared by the tests that run after it."""
    _require_binaries()
    base = _make_base_dir()
    try:
        server = start_server(base)
        try:
            yield server
        finally:
            stop_server(server)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def drop_database(server: PostgresServer, dbname: str) -> None:
    """Drop a test database, first ending sessions a test left open (pools, listeners)."""
    # The server is thrown away at session end anyway: a leftover database is harmless
    # and must not turn a passing test into an error.
    with suppress(psycopg.Error), server.connect() as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            (dbname,),
        )
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(dbname))
        )


@contextmanager
def fresh_database(server: PostgresServer) -> Iterator[str]:
    """A new empty database `test_<n>`; yields its URL and drops it afterwards."""
    dbname = f"test_{next(_database_numbers)}"
    with server.connect() as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))
    try:
        yield server.url(dbname)
    finally:
        drop_database(server, dbname)


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """`postgresql://lessonstudy:lessonstudy@127.0.0.1:PORT/test_<n>`, empty, per test."""
    with fresh_database(postgres_server) as url:
        yield url

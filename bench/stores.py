"""Fresh, empty databases on demand: SQLite files and a throwaway PostgreSQL 15; and a
throwaway Redis.

PostgreSQL is the tests' own throwaway server (tests/support/postgres.py: a new
cluster on 127.0.0.1 and a free port, fsync on), and Redis the tests' too
(tests/support/redis.py: 127.0.0.1, a free port, nothing on disk), imported rather
than copied so the benchmark measures the same servers the tests use.
"""

from __future__ import annotations

import importlib
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from typing import Any

TESTS_DIR = Path(__file__).resolve().parent.parent / "tests"
KINDS = ("sqlite", "postgres")


class Stores:
    """Hands out a new empty database of a kind, as a URL, for each side of each round."""

    def __init__(self, stack: ExitStack, kinds: list[str]) -> None:
        self._stack = stack
        self._numbers = count(1)
        self._tmp = Path(tempfile.mkdtemp(prefix="lessonstudy-bench-"))
        stack.callback(shutil.rmtree, self._tmp, ignore_errors=True)
        self._pg: Any = None
        self._server: Any = None
        if "postgres" in kinds:
            self._start_postgres()

    @contextmanager
    def fresh(self, kind: str) -> Iterator[str]:
        if kind == "sqlite":
            path = self._tmp / f"bench-{next(self._numbers)}.db"
            try:
                yield f"sqlite:///{path}"
            finally:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)
        elif kind == "postgres":
            with self._pg.fresh_database(self._server) as url:
                yield url
        else:
            raise ValueError(f"unknown store {kind!r}: choose from {', '.join(KINDS)}")

    @property
    def postgres_pid(self) -> int:
        """The postmaster's pid (its backends are its children)."""
        pid_file = self._server.data_dir / "postmaster.pid"
        return int(pid_file.read_text().splitlines()[0])

    def _start_postgres(self) -> None:
        self._pg = support("postgres")
        self._pg._require_binaries()
        base = self._pg._make_base_dir()
        self._stack.callback(shutil.rmtree, base, ignore_errors=True)
        self._server = self._pg.start_server(base)
        self._stack.callback(self._pg.stop_server, self._server)


def support(name: str) -> Any:
    """A module of the tests' support package (tests/support/<name>.py)."""
    if str(TESTS_DIR) not in sys.path:
        sys.path.insert(0, str(TESTS_DIR))
    return importlib.import_module(f"support.{name}")


@dataclass(frozen=True)
class RedisServer:
    url: str
    pid: int


def redis_server(stack: ExitStack) -> RedisServer:
    """A throwaway Redis, stopped (and its folder removed) when `stack` closes."""
    redis, ports = support("redis"), support("ports")
    binary = redis._redis_server_binary()
    base = Path(tempfile.mkdtemp(prefix="lessonstudy-bench-redis-"))
    stack.callback(shutil.rmtree, base, ignore_errors=True)
    for _ in range(redis.START_ATTEMPTS):  # a free port can be taken before Redis binds it
        port = ports.free_port()
        if redis._start(binary, base, port):
            stack.callback(redis._stop, base)
            pid = int((base / "redis.pid").read_text().strip())
            return RedisServer(f"redis://{ports.LOOPBACK}:{port}/0", pid)
    raise RuntimeError(f"redis-server did not start; see {base / 'redis.log'}")


@contextmanager
def stores(kinds: list[str]) -> Iterator[Stores]:
    with ExitStack() as stack:
        yield Stores(stack, kinds)

"""Fresh, empty databases on demand: SQLite files and a throwaway PostgreSQL 15.

PostgreSQL is the tests' own throwaway server (tests/support/postgres.py: a new
cluster on 127.0.0.1 and a free port, fsync on), imported rather than copied so the
benchmark measures the same server the tests use.
"""

from __future__ import annotations

import importlib
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
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

    def _start_postgres(self) -> None:
        if str(TESTS_DIR) not in sys.path:
            sys.path.insert(0, str(TESTS_DIR))
        self._pg = importlib.import_module("support.postgres")
        self._pg._require_binaries()
        base = self._pg._make_base_dir()
        self._stack.callback(shutil.rmtree, base, ignore_errors=True)
        self._server = self._pg.start_server(base)
        self._stack.callback(self._pg.stop_server, self._server)


@contextmanager
def stores(kinds: list[str]) -> Iterator[Stores]:
    with ExitStack() as stack:
        yield Stores(stack, kinds)

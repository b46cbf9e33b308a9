"""Fixtures every test can ask for: the stores, and the servers behind them.

`database_url` runs a test once per store the product supports; the PostgreSQL and
Redis servers start only when a test first needs them, once per session.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support.postgres import postgres_server, postgres_url
from support.redis import redis_server

# Importing the fixtures here is what registers them with pytest for every test module.
__all__ = ["database_url", "postgres_server", "postgres_url", "redis_server", "sqlite_url"]

STORES = [
    pytest.param("memory", id="memory"),
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """`sqlite:///<tmp>/lessonstudy.db`: a file of this test's own, not yet created."""
    return f"sqlite:///{tmp_path}/lessonstudy.db"


@pytest.fixture(params=STORES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty store, once for each kind: memory, sqlite, postgres."""
    kind: str = request.param
    if kind == "memory":
        return "memory://"
    if kind == "sqlite":
        return f"sqlite:///{tmp_path}/lessonstudy.db"
    # Looked up lazily so memory and SQLite runs never start PostgreSQL.
    url: str = request.getfixturevalue("postgres_url")
    return url

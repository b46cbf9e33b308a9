"""Fixtures for the live tests: a real server on an SQLite file of the test's own."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from live.processes import ServerProcess


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    process = ServerProcess(
        folder=tmp_path / "server",
        database_url=f"sqlite:///{tmp_path / 'server' / 'lessonstudy.db'}",
        secret_key=secrets.token_hex(32),
    )
    process.start()
    try:
        yield process
    finally:
        process.stop()

"""Fixtures for the Socket.IO tests: the server tests' app and team, plus a lesson being taught."""

from __future__ import annotations

import pytest
from realtime.room import Lesson, teach_lesson
from server.conftest import make_site, memory_site, memory_world, site, world
from server.world import World

# Re-exported so pytest registers the server tests' fixtures here too.
__all__ = ["make_site", "memory_site", "memory_world", "site", "world"]


@pytest.fixture
def lesson(world: World) -> Lesson:
    """The world's lesson, scheduled with a class layout and started (memory and SQLite)."""
    return teach_lesson(world)


@pytest.fixture
def memory_lesson(memory_world: World) -> Lesson:
    return teach_lesson(memory_world)

"""Fixtures for the server tests: an app per test on a store, and a team planning a lesson.

Most tests run on the in-memory store and SQLite (``site``); the main flow also runs on
PostgreSQL through ``database_url``. Passwords are hashed with cheap settings here:
the tests sign many people up, and argon2's real cost is the point only in production.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from server.site import Site, SiteFactory, sites
from server.world import World, build_world


@pytest.fixture
def make_site() -> Iterator[SiteFactory]:
    with sites() as make:
        yield make


@pytest.fixture(params=["memory", "sqlite"])
def site(request: pytest.FixtureRequest, make_site: SiteFactory, tmp_path: Path) -> Site:
    """An app on an empty store: in memory, and on an SQLite file."""
    if request.param == "memory":
        return make_site("memory://")
    return make_site(f"sqlite:///{tmp_path}/lessonstudy.db")


@pytest.fixture
def memory_site(make_site: SiteFactory) -> Site:
    """An app on the in-memory store, for tests whose subject is not the store."""
    return make_site("memory://")


@pytest.fixture
def world(site: Site) -> World:
    return build_world(site)


@pytest.fixture
def memory_world(memory_site: Site) -> World:
    return build_world(memory_site)


@pytest.fixture(scope="module")
def shared_world() -> Iterator[World]:
    """One world for a module's refusal tests: a refused request writes nothing, so
    they cannot disturb each other (and each checks that it wrote nothing)."""
    with sites() as make:
        yield build_world(make("memory://"))

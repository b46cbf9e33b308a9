"""Fixtures for the application tests: services on a store, closed after each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from application.scenario import FakeClock, ServiceFactory
from application.world import World, build_world

from lessonstudy.application import LessonStudy


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make_service(clock: FakeClock) -> Iterator[ServiceFactory]:
    """Builds LessonStudy instances on a URL (all sharing one clock) and closes them."""
    services: list[LessonStudy] = []

    def make(url: str) -> LessonStudy:
        service = LessonStudy(url, clock=clock)
        services.append(service)
        return service

    yield make
    for service in services:
        service.close()


@pytest.fixture
def app(make_service: ServiceFactory, database_url: str) -> LessonStudy:
    """A service on an empty store of each kind (memory, SQLite, PostgreSQL)."""
    return make_service(database_url)


@pytest.fixture
def peer(app: LessonStudy, make_service: ServiceFactory, database_url: str) -> LessonStudy:
    """Another service on app's store with its own cache; app itself for the memory store.

    Two services on one database are two processes' worth of state: each learns of
    the other's writes only through the store, as in a scaled-out deployment.
    """
    if database_url.startswith("memory"):
        return app
    return make_service(database_url)


@pytest.fixture
def world(app: LessonStudy) -> World:
    return build_world(app)

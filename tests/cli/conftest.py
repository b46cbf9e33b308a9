"""A database with the demo loaded once, for the tests that only read it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from lessonstudy.application import LessonStudy
from lessonstudy.demo import DemoSummary, demo_clock, load_demo


@pytest.fixture(scope="session")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """An SQLite file holding the demo (tests must not write to it)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'lessonstudy.db'}"
    app = LessonStudy(url, clock=demo_clock)
    try:
        load_demo(app)
    finally:
        app.close()
    return url


@pytest.fixture(scope="session")
def demo(demo_url: str) -> DemoSummary:
    """What the demo database holds: its ids and counts."""
    app = LessonStudy(demo_url)
    try:
        return load_demo(app)  # already loaded: changes nothing, reports what is there
    finally:
        app.close()


@pytest.fixture
def demo_app(demo_url: str) -> Iterator[LessonStudy]:
    app = LessonStudy(demo_url)
    yield app
    app.close()

"""Rebuild tests' helpers: the live views, their tables as rows, the stored positions,
and a history whose live views the follower has caught up (the `followed` fixture,
registered in conftest.py). Imported as ``catalogue.rebuilding``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from application.scenario import START, FakeClock
from catalogue.history import build, dump, follow
from sqlalchemy import Engine, select

from lessonstudy.application import LessonStudy
from lessonstudy.projections import tracking
from lessonstudy.projections.base import Projection
from lessonstudy.projections.database import read_model_engine
from lessonstudy.projections.registry import read_models


def live_views() -> list[Projection]:
    return list(read_models())


def dumps(engine: Engine, views: list[Projection]) -> dict[str, Any]:
    return {view.name: dump(engine, view) for view in views}


def positions(engine: Engine) -> dict[str, tuple[int, str | None]]:
    p = tracking.projection_positions.c
    with engine.connect() as db:
        rows = db.execute(select(p.projection, p.position, p.error))
        return {row.projection: (row.position, row.error) for row in rows}


@dataclass
class Followed:
    """A history on SQLite whose live views the follower has caught up, as they were."""

    app: LessonStudy
    engine: Engine
    views: list[Projection]
    before: dict[str, Any]


@pytest.fixture
def followed(sqlite_url: str) -> Followed:
    app = LessonStudy(sqlite_url, clock=FakeClock(START))
    build(app)
    engine = read_model_engine(app.store)
    views = live_views()
    follow(app, engine, *views).catch_up()
    return Followed(app, engine, views, dumps(engine, views))

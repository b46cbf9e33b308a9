"""Which version of a projection's code built its views: an upgrade that changes a view
says the views need `lessonstudy rebuild`, and a rebuild settles it."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import Engine, delete

from lessonstudy.application import LessonStudy
from lessonstudy.demo import demo_clock, load_demo
from lessonstudy.projections import tracking
from lessonstudy.projections.catalogue import Catalogue
from lessonstudy.projections.dashboard import Dashboard
from lessonstudy.projections.database import read_model_engine
from lessonstudy.projections.follower import Follower
from lessonstudy.projections.rebuild import Rebuild
from lessonstudy.projections.registry import read_models


class DashboardWithMore(Dashboard):
    """The dashboard as a later release would ship it, with a view that changed."""

    version = Dashboard.version + 1


@pytest.fixture
def demo(database_url: str) -> tuple[LessonStudy, Engine]:
    app = LessonStudy(database_url, clock=demo_clock)
    load_demo(app)
    return app, read_model_engine(app.store)


def needing_rebuild(follower: Follower) -> dict[str, bool]:
    return {s.name: s.rebuild_needed for s in follower.status()}


def started(app: LessonStudy, engine: Engine, *views: object) -> Follower:
    follower = Follower(app, engine, list(views))  # type: ignore[arg-type]
    follower.create_tables()
    return follower


def test_new_views_are_recorded_as_built_by_this_version(
    demo: tuple[LessonStudy, Engine],
) -> None:
    app, engine = demo
    follower = started(app, engine, *read_models())
    follower.catch_up()
    assert needing_rebuild(follower) == {
        "dashboard": False,
        "misconception_index": False,
        "catalogue": False,
    }
    with engine.connect() as db:
        assert tracking.read_version(db, "dashboard") == Dashboard.version


def test_a_changed_view_needs_a_rebuild_and_the_rebuild_settles_it(
    demo: tuple[LessonStudy, Engine], caplog: pytest.LogCaptureFixture
) -> None:
    app, engine = demo
    started(app, engine, Dashboard(), Catalogue()).catch_up()  # built by this release
    with caplog.at_level(logging.WARNING, logger="lessonstudy.projections.follower"):
        upgraded = started(app, engine, DashboardWithMore(), Catalogue())
    assert needing_rebuild(upgraded) == {"dashboard": True, "catalogue": False}
    assert "run `lessonstudy rebuild`" in caplog.text and "dashboard" in caplog.text
    upgraded.catch_up()  # followed still, meanwhile
    assert upgraded.status()[0].error is None
    Rebuild(app, engine, [DashboardWithMore, Catalogue]).run()
    assert needing_rebuild(upgraded) == {"dashboard": False, "catalogue": False}


def test_views_from_before_versions_were_kept_need_a_rebuild(
    demo: tuple[LessonStudy, Engine],
) -> None:
    app, engine = demo
    started(app, engine, Dashboard()).catch_up()
    with engine.begin() as db:  # an install from before versions were recorded
        db.execute(delete(tracking.projection_versions))
    again = started(app, engine, Dashboard())
    assert needing_rebuild(again) == {"dashboard": True}
    Rebuild(app, engine, [Dashboard]).run()
    assert needing_rebuild(again) == {"dashboard": False}

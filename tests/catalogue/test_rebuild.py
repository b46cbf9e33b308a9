"""`lessonstudy rebuild`: identical views, events logged meanwhile, failures, live reads."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from application.scenario import START, FakeClock, note
from catalogue.apart_views import BrittleCatalogue
from catalogue.history import History, build, dump, follow, record
from catalogue.rebuilding import Followed, dumps, live_views, positions
from click.testing import CliRunner
from sqlalchemy import Engine, select, text

from lessonstudy.application import LessonStudy
from lessonstudy.cli import main
from lessonstudy.projections.dashboard import Dashboard
from lessonstudy.projections.database import read_model_engine
from lessonstudy.projections.misconception_index import MisconceptionIndex
from lessonstudy.projections.rebuild import Rebuild, RebuildFailedError
from lessonstudy.projections.registry import read_models


@pytest.fixture
def history(database_url: str) -> tuple[History, Engine]:
    app = LessonStudy(database_url, clock=FakeClock(START))
    return build(app), read_model_engine(app.store)


def test_a_rebuild_gives_the_tables_the_follower_keeps(history: tuple[History, Engine]) -> None:
    h, engine = history
    views = live_views()
    follow(h.app, engine, *views).catch_up()
    before = dumps(engine, views)
    head = h.app.recorder.max_notification_id()
    for _ in range(2):  # twice: the second must find no names taken by the first
        report = Rebuild(h.app, engine, batch_size=5).run()
        assert report.events > 0
        assert dumps(engine, views) == before
        assert positions(engine) == {v.name: (head, None) for v in views}
    follow(h.app, engine, *live_views()).catch_up()  # the live follower carries on
    record(h, "after", note("After the rebuild: 50-50", "s2", "G2-S2", response_ids=["r2"]))
    follow(h.app, engine, *live_views()).catch_up()
    page = dump(engine, views[2])["cat_notes"]
    assert any(row[3] == "note-after" for row in page)


class LoggingDuringTheBuild(Rebuild):
    """Someone records a note after the build and before the switch."""

    def __init__(self, h: History, *args: Any, **kwargs: Any) -> None:
        super().__init__(h.app, *args, **kwargs)
        self.h = h

    def finish(self) -> None:
        record(self.h, "meanwhile", note("Meanwhile: 50-50", "s2", "G1-S1", response_ids=["r2"]))
        super().finish()


def test_what_is_logged_during_the_rebuild_is_applied_in_the_switch(
    history: tuple[History, Engine],
) -> None:
    h, engine = history
    report = LoggingDuringTheBuild(h, engine).run()
    assert report.switched_events >= 1
    rebuilt = dumps(engine, live_views())
    fresh = list(read_models("f_"))
    follow(h.app, engine, *fresh).catch_up()
    assert dumps(engine, fresh) == rebuilt


def test_a_failing_view_stops_naming_the_event_and_the_rebuild_resumes_once_fixed(
    followed: Followed,
) -> None:
    app, engine, views, before = followed.app, followed.engine, followed.views, followed.before
    failing = (Dashboard, MisconceptionIndex, BrittleCatalogue)
    with pytest.raises(RebuildFailedError) as stopped:
        Rebuild(app, engine, failing, batch_size=4).run()
    message = str(stopped.value)
    assert "rebuild_catalogue stopped at event #" in message
    assert "(ObservationLog.NoteRecorded of" in message and "cannot read this note" in message
    failed_at = int(message.split("#")[1].split(" ")[0])
    stored = positions(engine)
    assert stored["rebuild_catalogue"][0] == failed_at - 1  # everything before it is kept
    assert stored["rebuild_dashboard"] == (app.recorder.max_notification_id(), None)
    assert dumps(engine, views) == before  # nothing was switched

    report = Rebuild(app, engine, batch_size=4).run()  # the fix ships: Catalogue itself
    assert report.events <= app.recorder.max_notification_id() - failed_at + 1
    assert dumps(engine, views) == before
    assert all(not name.startswith("rebuild_") for name in positions(engine))


def test_the_site_keeps_reading_while_the_views_are_switched(sqlite_url: str) -> None:
    """Readers never fail, and see the old views until the switch commits."""
    app = LessonStudy(sqlite_url, clock=FakeClock(START))
    h, engine = build(app), read_model_engine(app.store)
    views = read_models()
    catalogue = views.catalogue
    follow(app, engine, *views).catch_up()
    with engine.begin() as db:  # make the old view tell-tale
        db.execute(text("UPDATE cat_stats SET observed = 999"))
    observed = select(catalogue.t.stats.c.observed).where(
        catalogue.t.stats.c.misconception_id == h.entry_id, catalogue.t.stats.c.task_id == ""
    )
    seen: list[int] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            try:
                with engine.connect() as db:
                    seen.append(db.execute(observed).scalar_one())
            except BaseException as error:  # any failure is the finding
                errors.append(error)

    with engine.connect() as held:  # a read transaction open across the switch
        held.execute(text("BEGIN"))
        assert held.execute(observed).scalar_one() == 999
        reader = threading.Thread(target=read)
        reader.start()
        try:
            Rebuild(app, engine, batch_size=3).run()
        finally:
            done.set()
            reader.join()
        assert held.execute(observed).scalar_one() == 999  # its snapshot: the old view
        held.rollback()
    assert errors == []
    assert seen and seen[0] == 999 and seen[-1] == 5
    assert seen == sorted(seen, reverse=True)  # old, then new: never back


def test_lessonstudy_rebuild_prints_its_count(sqlite_url: str) -> None:
    app = LessonStudy(sqlite_url, clock=FakeClock(START))
    build(app)
    topics = Rebuild(app, read_model_engine(app.store)).topics
    read = len(app.recorder.select_notifications(start=1, limit=10_000, topics=topics))
    app.close()
    result = CliRunner().invoke(main, ["rebuild", "--database-url", sqlite_url])
    assert result.exit_code == 0, result.output
    assert f"rebuilt 3 views (dashboard, misconception_index, catalogue) from {read} events in" in (
        result.output
    )
    assert "peak memory" in result.output


def test_lessonstudy_rebuild_refuses_a_database_that_is_not_there(tmp_path: Any) -> None:
    result = CliRunner().invoke(main, ["rebuild", "--database-url", f"sqlite:///{tmp_path}/x.db"])
    assert result.exit_code == 2
    assert "database_url: no database at" in result.output

"""The follower: command, catch up, query; exactly once; rebuild; restart; failure."""

from __future__ import annotations

import time
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, select

from lessonstudy.application import LessonStudy
from lessonstudy.demo import demo_clock, load_demo
from lessonstudy.projections import tracking
from lessonstudy.projections.base import LoggedEvent, handles
from lessonstudy.projections.dashboard import Dashboard
from lessonstudy.projections.dashboard_queries import DashboardQueries
from lessonstudy.projections.database import read_model_engine
from lessonstudy.projections.follower import Follower


def dump(engine: Engine, projection: Dashboard) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sorted, keyed by the table's name without its prefix."""
    with engine.connect() as db:
        return {
            table.name.removeprefix(projection.prefix): sorted(
                tuple(row) for row in db.execute(select(table))
            )
            for table in projection.tables
        }


def follower_for(app: LessonStudy, engine: Engine, *projections: Any) -> Follower:
    follower = Follower(app, engine, list(projections), batch_size=50)
    follower.create_tables()
    return follower


@pytest.fixture
def demo(database_url: str) -> tuple[LessonStudy, Engine]:
    app = LessonStudy(database_url, clock=demo_clock)
    load_demo(app)
    return app, read_model_engine(app.store)


def test_catch_up_then_query(demo: tuple[LessonStudy, Engine]) -> None:
    app, engine = demo
    dashboard = Dashboard()
    follower = follower_for(app, engine, dashboard)
    assert follower.catch_up() > 0
    queries = DashboardQueries(engine, dashboard)
    (team,) = queries.teams_of("sofia")
    assert team["name"] == "Riverside Year 7 Mathematics Lesson Study Team"
    (lesson,) = queries.lessons_of(team["team_id"])
    notes = sum(len(app.get_notes(t)) for t in app.get_plan(lesson["lesson_id"]).teaching_ids)
    assert (lesson["plan_version"], lesson["stage"], lesson["teachings"], lesson["notes"]) == (
        2,
        "planning",
        1,
        notes,
    )
    assert lesson["revision"] == app.get_plan(lesson["lesson_id"]).revision


def test_catching_up_twice_changes_nothing(demo: tuple[LessonStudy, Engine]) -> None:
    app, engine = demo
    dashboard = Dashboard()
    follower = follower_for(app, engine, dashboard)
    follower.catch_up()
    before = dump(engine, dashboard)
    assert follower.catch_up() == 0
    assert Follower(app, engine, [dashboard]).catch_up() == 0  # a second follower, too
    assert dump(engine, dashboard) == before


def test_rebuilding_from_zero_gives_identical_tables(demo: tuple[LessonStudy, Engine]) -> None:
    app, engine = demo
    live, rebuilt = Dashboard(), Dashboard(prefix="rebuild_")
    follower_for(app, engine, live).catch_up()
    follower_for(app, engine, rebuilt).catch_up()
    assert dump(engine, rebuilt) == dump(engine, live)
    assert dump(engine, live)["dash_lessons"]


def test_a_restarted_follower_resumes_at_its_position(database_url: str) -> None:
    app = LessonStudy(database_url, clock=demo_clock)
    engine = read_model_engine(app.store)
    team = app.form_team(actor_id="ann", actor_name="Ann", name="First", school="Oak")
    follower_for(app, engine, Dashboard()).catch_up()
    app.add_member(actor_id="ann", team_id=team, person_id="bob", name="Bob", roles=["observer"])

    restarted = follower_for(
        LessonStudy(database_url) if "memory" not in database_url else app, engine, Dashboard()
    )
    assert restarted.catch_up() == 1  # only the event it had not seen
    with engine.connect() as db:
        position = tracking.read_position(db, "dashboard")
    assert position == app.recorder.max_notification_id()
    assert [t["name"] for t in DashboardQueries(engine, Dashboard()).teams_of("bob")] == ["First"]


class Brittle(Dashboard):
    """The dashboard with a handler that fails on a second team's members."""

    name = "brittle"
    broken = True

    @handles("Team.MemberAdded")
    def _member_added(self, db: Connection, e: LoggedEvent) -> None:
        if self.broken and e.person_id == "bob":
            raise ValueError("cannot handle bob")
        super()._member_added(db, e)


def test_a_failing_projection_stops_naming_the_event_and_resumes_once_fixed(
    sqlite_url: str,
) -> None:
    app = LessonStudy(sqlite_url)
    engine = read_model_engine(app.store)
    team = app.form_team(actor_id="ann", actor_name="Ann", name="First", school="Oak")
    app.add_member(actor_id="ann", team_id=team, person_id="bob", name="Bob", roles=["observer"])
    brittle, healthy = Brittle(prefix="b_"), Dashboard()
    follower = follower_for(app, engine, brittle, healthy)
    follower.catch_up()

    status = {s.name: s for s in follower.status()}
    failed_at = app.recorder.max_notification_id()
    assert status["b_brittle"].error is not None
    assert f"#{failed_at} (Team.MemberAdded" in status["b_brittle"].error
    assert "cannot handle bob" in status["b_brittle"].error
    assert status["b_brittle"].position == failed_at - 1  # the team, not the member
    assert status["dashboard"].error is None and status["dashboard"].position == failed_at

    Brittle.broken = False  # the fix ships
    try:
        follower.resume()
        follower.catch_up()
    finally:
        Brittle.broken = True
    status = {s.name: s for s in follower.status()}
    assert status["b_brittle"].error is None and status["b_brittle"].position == failed_at
    assert dump(engine, brittle) == dump(engine, healthy)


def test_the_view_and_its_position_commit_together(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If writing the position fails, the view rows of that batch are rolled back too."""
    app = LessonStudy(sqlite_url)
    engine = read_model_engine(app.store)
    app.form_team(actor_id="ann", actor_name="Ann", name="First", school="Oak")
    dashboard = Dashboard()
    follower = follower_for(app, engine, dashboard)

    def crash(*_: Any, **__: Any) -> None:
        raise RuntimeError("power cut between the view and the position")

    monkeypatch.setattr("lessonstudy.projections.runtime.write_position", crash)
    with pytest.raises(RuntimeError):
        follower.catch_up()
    assert dump(engine, dashboard)["dash_teams"] == []
    monkeypatch.undo()

    fresh = follower_for(app, engine, Dashboard())
    assert fresh.catch_up() == 1
    assert len(dump(engine, dashboard)["dash_teams"]) == 1


def test_the_background_follower_shows_a_save_within_a_second(sqlite_url: str) -> None:
    app = LessonStudy(sqlite_url)
    engine = read_model_engine(app.store)
    dashboard = Dashboard()
    follower = Follower(app, engine, [dashboard])
    follower.start()
    try:
        app.form_team(actor_id="ann", actor_name="Ann", name="Live", school="Oak")
        assert follower.wait_for(app.recorder.max_notification_id(), timeout=1.0)
        assert [t["name"] for t in DashboardQueries(engine, dashboard).teams_of("ann")] == ["Live"]
    finally:
        follower.stop()


def test_on_sqlite_a_view_commit_never_holds_up_the_event_store(sqlite_url: str) -> None:
    """The read models live in a file of their own: a view transaction holding its
    write lock (a follower's long batch) leaves the events' file free for notes."""
    app = LessonStudy(sqlite_url, clock=demo_clock)
    load_demo(app)
    engine = read_model_engine(app.store)
    follower = follower_for(app, engine, Dashboard())
    follower.catch_up()
    events_file, views_file = app.store.sqlite_path, app.store.views_sqlite_path
    assert events_file is not None and views_file is not None
    assert views_file == events_file.with_name("lessonstudy-views.db") and views_file.exists()
    with engine.connect() as views:
        views.exec_driver_sql("BEGIN IMMEDIATE")  # the views' write lock, held
        views.exec_driver_sql("UPDATE projection_positions SET position = position")
        head = app.recorder.max_notification_id() or 0
        app.register_account(email="kit@school.example", display_name="Kit", password="x" * 12)
        assert (app.recorder.max_notification_id() or 0) == head + 1
        views.exec_driver_sql("ROLLBACK")
    follower.catch_up()  # and the views go on from there
    assert follower.seen == head + 1
    with engine.connect() as views:
        tables = {row[0] for row in views.exec_driver_sql("SELECT name FROM sqlite_master")}
    assert "projection_positions" in tables and "stored_events" not in tables
    engine.dispose()
    app.close()


class Counting(Dashboard):
    """The dashboard, noting how many events each call to apply brought."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[int] = []

    def apply(self, connection: Connection, events: Any) -> None:
        events = list(events)
        self.calls.append(len(events))
        super().apply(connection, events)


def test_a_projection_gets_each_batch_in_one_call(demo: tuple[LessonStudy, Engine]) -> None:
    """As a rebuild does, so each changed row is written once per batch, not per event;
    the views come out the same as a projection fed one event at a time."""
    app, engine = demo
    counting = Counting()
    follower = Follower(app, engine, [counting], batch_size=50)
    follower.create_tables()
    read = follower.catch_up()
    assert read > 50 and sum(counting.calls) == read
    assert len(counting.calls) == -(-read // 50)  # one call per batch of 50
    singly = Dashboard(prefix="one_")
    single = Follower(app, engine, [singly], batch_size=1)
    single.create_tables()
    single.catch_up()
    assert dump(engine, singly) == dump(engine, counting)


def test_a_reader_waiting_ends_the_batch_window_at_once(sqlite_url: str) -> None:
    """Under a stream the follower gathers events for a while before the next batch;
    a reader waiting for the views (a page, a read of one's own write) does not wait
    for that window to end."""
    app = LessonStudy(sqlite_url)
    engine = read_model_engine(app.store)
    follower = Follower(app, engine, [Dashboard()], batch_window=30.0, window_per_event=30.0)
    follower.start()
    try:
        app.form_team(actor_id="ann", actor_name="Ann", name="First", school="Oak")
        first = app.recorder.max_notification_id() or 0
        deadline = time.monotonic() + 2.0
        while follower.seen < first:  # watched, not waited for: nobody hurries it
            assert time.monotonic() < deadline
            time.sleep(0.01)
        # The follower has read that team and is now gathering the next batch.
        app.form_team(actor_id="bo", actor_name="Bo", name="Second", school="Elm")
        started = time.monotonic()
        assert follower.wait_for(app.recorder.max_notification_id() or 0, timeout=2.0)
        assert time.monotonic() - started < 1.0
        names = DashboardQueries(engine, Dashboard()).teams_of("bo")
        assert [team["name"] for team in names] == ["Second"]
    finally:
        follower.stop()
        engine.dispose()
        app.close()


def test_the_gathering_window_grows_with_the_batch_just_read(sqlite_url: str) -> None:
    """A lone note is applied almost at once (a quiet lesson's catalogue lags by no
    fixed window); a flood is gathered, up to the window's cap."""
    app = LessonStudy(sqlite_url)
    engine = read_model_engine(app.store)
    follower = Follower(app, engine, [Dashboard()], batch_window=0.5, window_per_event=0.005)
    try:
        windows = [follower.gathering_window(read) for read in (1, 10, 50, 100, 10_000)]
        assert windows == sorted(windows)
        assert windows[0] == 0.005
        assert windows[1] == 0.05
        assert windows[-2] == windows[-1] == 0.5
    finally:
        engine.dispose()
        app.close()

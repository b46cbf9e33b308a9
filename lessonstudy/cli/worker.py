"""`lessonstudy worker`: one process that keeps every read model current.

With PostgreSQL and several web processes, the web processes run with
``LESSONSTUDY_FOLLOW=none`` and this worker follows the log for all of them: it polls
the log's head every ``--poll`` seconds (events written by any process), applies new
events to every view with its position in the same transaction (so a restart resumes
exactly where the last commit left off), and logs its position as it moves.
SIGTERM or SIGINT ends it cleanly: the batch in hand commits or rolls back whole.

It rides out a database outage of any length: a batch cut off rolls back whole, the
worker retries with a growing pause (capped at MAX_BACKOFF_SECONDS, so it resumes
within seconds of the database's return) and logs one line when the database goes
and one when it is back, then catches up. The log is followed in the main thread
(rather than the follower's own thread, whose loop logs every failure with its
traceback); a watch thread notices an outage while the main thread waits on the
store's pool, which the library retries for a while before giving up.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

import click
from eventsourcing.persistence import InterfaceError as StoreInterfaceError
from eventsourcing.persistence import OperationalError as StoreOperationalError
from sqlalchemy import Engine, text
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from lessonstudy.application import LessonStudy
from lessonstudy.cli.common import database_url_option, fail, open_service, without_password
from lessonstudy.projections.database import read_model_engine
from lessonstudy.projections.follower import Follower
from lessonstudy.projections.registry import read_models
from lessonstudy.storage import DATABASE_URL_SETTING, configured_database_url, parse_database_url

log = logging.getLogger("lessonstudy.worker")

# What a database that cannot be reached (or went away mid-batch) raises, from the
# event store (eventsourcing) and from the views' engine (SQLAlchemy). Anything else
# is a fault in the code and ends the worker with its traceback.
DATABASE_DOWN = (
    StoreOperationalError,
    StoreInterfaceError,
    OperationalError,
    InterfaceError,
    PoolTimeoutError,
)
FIRST_BACKOFF_SECONDS = 0.25
MAX_BACKOFF_SECONDS = 5.0
WATCH_SECONDS = 1.0  # how often the watch thread looks at the database


def every_view(app: LessonStudy, engine: Engine, *, poll_seconds: float) -> Follower:
    """A follower of every view the web server reads (projections.registry)."""
    return Follower(app, engine, read_models(), poll_seconds=poll_seconds)


def describe_positions(follower: Follower) -> str:
    parts = []
    for status in follower.status():
        stopped = f" STOPPED: {status.error}" if status.error else ""
        stale = " (built by an earlier version: run lessonstudy rebuild)" * status.rebuild_needed
        parts.append(f"{status.name} {status.position}{stopped}{stale}")
    return ", ".join(parts)


def lowest_position(follower: Follower) -> int:
    return min((s.position for s in follower.status()), default=0)


@contextmanager
def stop_on_signals() -> Iterator[threading.Event]:
    """An event set by SIGTERM or SIGINT; the previous handlers come back afterwards."""
    stopping = threading.Event()

    def handle(signum: int, _frame: FrameType | None) -> None:
        log.info("received %s: stopping", signal.Signals(signum).name)
        stopping.set()

    previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield stopping
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


class DatabaseState:
    """Whether the database is reachable, logged once per change: "unavailable" when
    the main loop or the watch fails to reach it, "back" when the main loop has done
    its work again (not merely when a probe answers: the store's own pool may still be
    reconnecting, and a second "unavailable" line a moment later would mislead)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._down_since: float | None = None

    def unavailable(self, error: BaseException) -> None:
        with self._lock:
            if self._down_since is not None:
                return
            self._down_since = time.monotonic()
        log.warning("database unavailable: %s, retrying", one_line(error))

    def working(self, *, began: float) -> None:
        """Work that began at `began` (time.monotonic) succeeded; work begun before the
        outage was noticed proves nothing about now."""
        with self._lock:
            if self._down_since is None or began < self._down_since:
                return
            seconds, self._down_since = time.monotonic() - self._down_since, None
        log.info("database back after %.0f s", seconds)


def one_line(error: BaseException) -> str:
    """The error's type and first line: SQLAlchemy appends its SQL and a link."""
    first = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {first}" if first else type(error).__name__


def watch_database(
    engine: Engine, state: DatabaseState, stopping: threading.Event
) -> threading.Thread:
    """A thread that asks the database for nothing every WATCH_SECONDS and reports
    when it cannot: the main loop may be waiting on the event store's pool meanwhile."""

    def watch() -> None:
        while not stopping.wait(WATCH_SECONDS):
            try:
                with engine.connect() as connection:
                    connection.execute(text("SELECT 1"))
            except DATABASE_DOWN as error:
                state.unavailable(error)

    thread = threading.Thread(target=watch, name="database-watch", daemon=True)
    thread.start()
    return thread


def follow_until(
    follower: Follower,
    stopping: threading.Event,
    *,
    poll_seconds: float,
    log_seconds: float,
) -> None:
    """Follow the log in this thread, logging the position when it moved, until
    stopping; a database outage is waited out (see the module's docstring)."""
    state = DatabaseState()
    watch = watch_database(follower.engine, state, stopping)
    shown = ""
    next_log = time.monotonic() + log_seconds
    backoff = FIRST_BACKOFF_SECONDS
    try:
        while not stopping.is_set():
            began = time.monotonic()
            try:
                read = follower.catch_up()
                if time.monotonic() >= next_log:
                    next_log = time.monotonic() + log_seconds
                    now = describe_positions(follower)
                    if now != shown:
                        log.info("at position %d (%s)", lowest_position(follower), now)
                        shown = now
            except DATABASE_DOWN as error:
                state.unavailable(error)
                stopping.wait(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
                continue
            state.working(began=began)
            backoff = FIRST_BACKOFF_SECONDS
            # Under a stream, gather what arrives into the next batch (as the follower's
            # own thread does); otherwise look again after the poll.
            stopping.wait(follower.gathering_window(read) if read else poll_seconds)
    finally:
        stopping.set()  # ends the watch too
        watch.join(timeout=WATCH_SECONDS + 5)


@click.command(short_help="Keep every read model current (run beside web processes).")
@database_url_option("postgresql://... or sqlite:///FILE", default=f"${DATABASE_URL_SETTING}")
@click.option(
    "--poll",
    default=0.1,
    show_default=True,
    type=click.FloatRange(0.01, 5.0),
    help="Seconds between looks at the log for events other processes wrote.",
)
@click.option(
    "--log-every",
    default=10.0,
    show_default=True,
    type=click.FloatRange(0.1, 3600.0),
    help="Seconds between position lines in the log (only when it moved).",
)
def worker(database_url: str | None, poll: float, log_every: float) -> None:
    """Follow the event log live and keep every read model (dashboard, misconception
    index, catalogue) current, for web processes started with LESSONSTUDY_FOLLOW=none.
    Stops cleanly on SIGTERM or Ctrl+C; started again, it resumes where it stopped."""
    url = database_url or configured_database_url()
    if parse_database_url(url).kind == "memory":
        fail("database_url", "memory:// lives inside one process; give the server's database")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    shown_url = without_password(url)
    with open_service(url, existing=True) as app:
        engine = read_model_engine(app.store)
        try:
            follower = every_view(app, engine, poll_seconds=poll)
            try:
                follower.create_tables()
            except SQLAlchemyError as error:
                fail("database_url", f"cannot use {shown_url}: {type(error).__name__}: {error}")
            log.info(
                "following %s from position %d (%s)",
                shown_url,
                lowest_position(follower),
                describe_positions(follower),
            )
            with stop_on_signals() as stopping:
                follow_until(follower, stopping, poll_seconds=poll, log_seconds=log_every)
            try:
                where = f"at position {lowest_position(follower)} ({describe_positions(follower)})"
            except DATABASE_DOWN:
                where = "where its last batch committed (the database is unavailable)"
            log.info("stopped %s", where)
        finally:
            engine.dispose()

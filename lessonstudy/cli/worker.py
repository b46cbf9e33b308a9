"""`lessonstudy worker`: one process that keeps every read model current.

With PostgreSQL and several web processes, the web processes run with
``LESSONSTUDY_FOLLOW=none`` and this worker follows the log for all of them: it polls
the log's head every ``--poll`` seconds (events written by any process), applies new
events to every view with its position in the same transaction (so a restart resumes
exactly where the last commit left off), and logs its position as it moves.
SIGTERM or SIGINT ends it cleanly: the batch in hand commits or rolls back whole.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

import click
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from lessonstudy.application import LessonStudy
from lessonstudy.cli.common import database_url_option, fail, open_service, without_password
from lessonstudy.projections.database import read_model_engine
from lessonstudy.projections.follower import Follower
from lessonstudy.projections.registry import read_models
from lessonstudy.storage import DATABASE_URL_SETTING, configured_database_url, parse_database_url

log = logging.getLogger("lessonstudy.worker")


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


def follow_until(follower: Follower, stopping: threading.Event, *, log_seconds: float) -> None:
    """Follow in the follower's thread; log the position when it moved, until stopping."""
    follower.start()
    shown = ""
    try:
        while not stopping.wait(log_seconds):
            now = describe_positions(follower)
            if now != shown:
                log.info("at position %d (%s)", lowest_position(follower), now)
                shown = now
    finally:
        # Joins the thread: a batch being applied commits (or rolls back) whole.
        follower.stop()


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
                follow_until(follower, stopping, log_seconds=log_every)
            log.info(
                "stopped at position %d (%s)",
                lowest_position(follower),
                describe_positions(follower),
            )
        finally:
            engine.dispose()

"""`lessonstudy worker` rides out a PostgreSQL outage: a real server of the test's own,
stopped for 20 s while notes are written before and after it.

Its position line is logged every 0.2 s, so the tick falls inside the outage (before,
the worker then died with a traceback and the views stayed stale until someone
restarted it). It must stay up, log one line when the database goes and one when it is
back, and catch up: every note in the read models, each counted once.
"""

from __future__ import annotations

import contextlib
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from application.scenario import note
from catalogue.history import History, build, record
from eventsourcing.persistence import PersistenceError
from sqlalchemy import Engine
from support.postgres import (
    PostgresServer,
    fresh_database,
    server_of_its_own,
    start_again,
    stop_server,
)
from support.worker import Worker

from lessonstudy.application import LessonStudy
from lessonstudy.projections import tracking
from lessonstudy.projections.catalogue import Catalogue, CatalogueQueries
from lessonstudy.projections.database import read_model_engine

OUTAGE_SECONDS = 20.0
NOTES_EACH_SIDE = 15
FIRST_NOTES = 5  # those catalogue.history's build writes that show the plan's entry


@pytest.fixture
def own_server() -> Iterator[PostgresServer]:
    with server_of_its_own() as server:
        yield server


def observed(engine: Engine, h: History) -> int | None:
    page = CatalogueQueries(engine, Catalogue()).task_page(h.task_id)
    if page is None:
        return None
    entry = next((m for m in page["misconceptions"] if m["id"] == h.entry_id), None)
    return None if entry is None else int(entry["numbers"]["observed"])


def position(engine: Engine) -> int:
    with engine.connect() as db:
        return tracking.read_position(db, "catalogue")


def wait_for(check: Callable[[], bool], timeout: float, what: str, worker: Worker) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):  # tables not there yet, the database waking
            if check():
                return
        time.sleep(0.05)
    raise AssertionError(f"{what} not within {timeout} s; worker log:\n{worker.log()}")


def write_notes(h: History, prefix: str, count: int) -> None:
    """Notes showing the plan's entry (r2), each sent until it is stored, as a device
    resends a note until acknowledged (the same id: stored once)."""
    for n in range(count):
        fields = note(f"Red or white, 50-50 ({prefix} {n})", "s2", f"G1-S{n % 2 + 1}")
        deadline = time.monotonic() + 60
        while True:
            try:
                record(h, f"{prefix}{n}", {**fields, "response_ids": ["r2"]})
                break
            except PersistenceError:
                assert time.monotonic() < deadline, "the service never got the database back"
                time.sleep(0.2)


@pytest.mark.postgres
def test_the_worker_rides_out_a_postgres_outage_and_catches_up(
    own_server: PostgresServer, tmp_path: Path
) -> None:
    with fresh_database(own_server) as url:
        app = LessonStudy(url)
        engine = read_model_engine(app.store)
        worker = Worker(url, tmp_path)
        try:
            h = build(app)
            worker.start()
            wait_for(lambda: observed(engine, h) == FIRST_NOTES, 30, "the first catch-up", worker)
            write_notes(h, "before", NOTES_EACH_SIDE)
            expected = FIRST_NOTES + NOTES_EACH_SIDE
            wait_for(lambda: observed(engine, h) == expected, 10, "the notes before", worker)

            stop_server(own_server)
            time.sleep(OUTAGE_SECONDS)
            assert worker.process is not None
            assert worker.process.poll() is None, f"the worker died:\n{worker.log()}"
            start_again(own_server)

            write_notes(h, "after", NOTES_EACH_SIDE)
            head = app.recorder.max_notification_id() or 0
            expected += NOTES_EACH_SIDE
            wait_for(lambda: position(engine) == head, 30, "the catch-up after", worker)
            assert observed(engine, h) == expected  # every note, each once

            assert worker.process.poll() is None, f"the worker died:\n{worker.log()}"
            assert worker.signal(signal.SIGTERM) == 0
            log = worker.log()
            assert log.count("database unavailable: ") == 1, log
            assert ", retrying" in log
            assert log.count("database back after ") == 1, log
            assert "Traceback" not in log, log
            assert f"stopped at position {head} (" in log
        finally:
            if worker.process is not None and worker.process.poll() is None:
                worker.signal(signal.SIGKILL)
            app.close()
            engine.dispose()

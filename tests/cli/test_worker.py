"""`lessonstudy worker` as a real process on a real PostgreSQL: live, killed, resumed.

The worker follows the log that this test writes through the service (another
process, as a web server would be); the catalogue tables it keeps must be current
within a second of a note's commit, resume at the right position after SIGKILL with
nothing counted twice (equal to the same views built from zero), and stop cleanly on
SIGTERM.
"""

from __future__ import annotations

import contextlib
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from application.scenario import OBSERVER, note
from catalogue.history import History, build, dump, follow, record
from sqlalchemy import Engine
from support.ports import LOOPBACK, free_port
from support.worker import Worker

from lessonstudy.application import LessonStudy
from lessonstudy.projections import tracking
from lessonstudy.projections.catalogue import Catalogue, CatalogueQueries
from lessonstudy.projections.database import read_model_engine

SCRIPT = Path(sys.executable).parent / "lessonstudy"
LIVE_SECONDS = 1.0  # the promise: a view is current within a second


@pytest.fixture
def worker_setup(postgres_url: str, tmp_path: Path) -> Iterator[tuple[History, Engine, Worker]]:
    app = LessonStudy(postgres_url)
    engine = read_model_engine(app.store)
    worker = Worker(postgres_url, tmp_path)
    try:
        yield build(app), engine, worker
    finally:
        if worker.process is not None and worker.process.poll() is None:
            worker.signal(signal.SIGKILL)
        app.close()
        engine.dispose()


def numbers(engine: Engine, h: History) -> dict[str, int] | None:
    page = CatalogueQueries(engine, Catalogue()).task_page(h.task_id)
    if page is None:
        return None
    entry = next((m for m in page["misconceptions"] if m["id"] == h.entry_id), None)
    return None if entry is None else dict(entry["numbers"])


def wait_for(check: Callable[[], bool], timeout: float, what: str, worker: Worker) -> float:
    """Seconds until check() held; fails naming what, with the worker's log."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        with contextlib.suppress(Exception):  # tables not there yet
            if check():
                return time.monotonic() - started
        time.sleep(0.01)
    raise AssertionError(f"{what} not within {timeout} s; worker log:\n{worker.log()}")


def observed(engine: Engine, h: History) -> Any:
    found = numbers(engine, h)
    return None if found is None else found["observed"]


def position(engine: Engine) -> int:
    with engine.connect() as db:
        return tracking.read_position(db, "catalogue")


@pytest.mark.postgres
def test_the_worker_keeps_the_catalogue_live_and_resumes_after_a_kill(
    worker_setup: tuple[History, Engine, Worker],
) -> None:
    h, engine, worker = worker_setup
    worker.start()
    # The history so far: five notes show the plan's misconception (see catalogue.history).
    wait_for(lambda: observed(engine, h) == 5, 30, "the first catch-up", worker)

    for n in range(3):
        record(h, f"live{n}", note(f"Says 50-50 again ({n})", "s2", "G2-S2", response_ids=["r2"]))
        lag = wait_for(lambda n=n: observed(engine, h) == 6 + n, 5, f"live note {n}", worker)
        assert lag < LIVE_SECONDS, f"note {n} became visible after {lag:.3f} s"

    assert worker.signal(signal.SIGKILL) == -signal.SIGKILL
    stopped_at = position(engine)
    for n in range(4):
        record(h, f"after{n}", note(f"Half and half ({n})", "s2", f"G1-S{n % 2 + 1}",
                                    response_ids=["r2"]))  # fmt: skip
    h.app.retract_note(actor_id=OBSERVER, teaching_id=h.teaching_id, note_id=h.notes["live0"])
    head = h.app.recorder.max_notification_id() or 0
    assert observed(engine, h) == 8 and position(engine) == stopped_at < head  # nobody followed

    worker.start()
    wait_for(lambda: position(engine) == head, 30, "the restarted catch-up", worker)
    # 8 before the kill, 4 more, one retracted: each event applied exactly once.
    assert numbers(engine, h) == {
        "anticipated": 1,
        "observed": 11,
        "teachings": 1,
        "students": 4,  # G1-S1, G1-S2, G2-S1, G2-S2
        "confirmed": 1,
    }
    # And every table equals the same view built from zero in this process.
    fresh = Catalogue(prefix="fresh_")
    follow(h.app, engine, fresh, batch=50).catch_up()
    assert dump(engine, Catalogue()) == dump(engine, fresh)

    assert worker.signal(signal.SIGTERM) == 0
    log = worker.log()
    assert f"following postgresql://lessonstudy:***@{LOOPBACK}" in log  # no password
    assert "received SIGTERM: stopping" in log
    assert f"stopped at position {head} (dashboard {head}," in log


def run_worker(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), "worker", *args], capture_output=True, text=True, timeout=60, check=False
    )


def test_an_unreachable_database_is_one_line_naming_the_url() -> None:
    url = f"postgresql://lessonstudy:secret@{LOOPBACK}:{free_port()}/nowhere"
    done = run_worker("--database-url", url)
    assert done.returncode == 2
    assert done.stderr.startswith("lessonstudy: error: database_url: ")
    assert "Traceback" not in done.stderr and "secret" not in done.stderr


def test_a_memory_store_is_refused_it_lives_inside_one_process() -> None:
    done = run_worker("--database-url", "memory://")
    assert done.returncode == 2
    assert "database_url: memory:// lives inside one process" in done.stderr

"""/healthz on a web process that does not follow the log (LESSONSTUDY_FOLLOW=none)
reports what the database holds: the views' positions as the worker moves them, and
the log's head, not the positions this process knew when it started."""

from __future__ import annotations

import secrets
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import pytest
import requests
from live.clients import Browser
from live.processes import ServerProcess
from support.worker import Worker

from lessonstudy.application import LessonStudy

WAIT_SECONDS = 30.0  # bounded waits only; nothing here measures time


def until(found: Callable[[], bool], timeout: float = WAIT_SECONDS) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found():
            return True
        time.sleep(0.05)
    return False


class Database:
    """The oracle: the positions and the log's head, read straight from PostgreSQL."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.log = LessonStudy(url)

    def positions(self) -> dict[str, int]:
        with psycopg.connect(self.url) as connection:
            rows = connection.execute("SELECT projection, position FROM projection_positions")
            return {str(name): int(position) for name, position in rows}

    def head(self) -> int:
        return self.log.recorder.max_notification_id() or 0

    def close(self) -> None:
        self.log.close()


def health(server: ServerProcess) -> dict[str, Any]:
    answer = requests.get(f"{server.url}/healthz", timeout=5)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def positions(body: dict[str, Any]) -> dict[str, int]:
    return {p["name"]: p["position"] for p in body["projections"]}


def agrees(server: ServerProcess, database: Database, *, head: bool = True) -> bool:
    """/healthz says what the database holds (read around it: the worker may move on):
    the views' positions and, if head, the log's head."""
    before = (database.positions(), database.head() if head else None)
    body = health(server)
    after = (database.positions(), database.head() if head else None)
    return before == after == (positions(body), body.get("log_head") if head else None)


@pytest.mark.postgres
def test_healthz_of_a_web_process_without_a_follower_shows_the_workers_progress(
    tmp_path: Path, postgres_url: str
) -> None:
    server = ServerProcess(
        folder=tmp_path / "web", database_url=postgres_url, secret_key=secrets.token_hex(32),
        follow="none",
    )  # fmt: skip
    worker = Worker(postgres_url, tmp_path)
    database = Database(postgres_url)
    try:
        server.start()
        ana = Browser(server.url, "Ana").sign_up()
        team = ana.call("POST", "/api/v1/teams", {"name": "Y6", "school": "Hill"}, 201)["id"]
        # What this process knew when it started, and still knows: nothing follows yet.
        assert until(lambda: agrees(server, database, head=False)), health(server)
        at_first = positions(health(server))

        worker.start()
        entries = []
        for words in ("giraffes", "otters", "lemurs"):
            body = {"statement": f"Thinks {words} are more likely", "topic": "probability"}
            entries.append(ana.call("POST", f"/api/v1/teams/{team}/misconceptions", body, 201))

        def picker_has_them() -> bool:
            found = ana.call("GET", "/api/v1/misconceptions?q=lemurs")
            return [e["id"] for e in found] == [entries[-1]["id"]]

        assert until(picker_has_them), worker.log()  # the worker applied them
        assert until(lambda: agrees(server, database)), (health(server), database.positions())
        now = health(server)
        assert positions(now) != at_first  # moved by the worker, seen by this process
        assert all(now["log_head"] >= p for p in positions(now).values())
        assert worker.signal(signal.SIGTERM) == 0
    finally:
        if worker.process is not None and worker.process.poll() is None:
            worker.signal(signal.SIGKILL)
        server.stop()
        database.close()

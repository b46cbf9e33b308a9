"""Web processes that do not follow the log (LESSONSTUDY_FOLLOW=none) and one
`lessonstudy worker` beside them: the views the pages read are current within a second,
kept by the worker alone."""

from __future__ import annotations

import secrets
import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from live.clients import Browser
from live.processes import ServerProcess
from support.worker import Worker

LIVE_SECONDS = 1.0


def seconds_until(found: Callable[[], bool], timeout: float) -> float | None:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if found():
            return time.monotonic() - started
        time.sleep(0.02)
    return None


@pytest.mark.postgres
def test_a_worker_keeps_the_views_of_a_non_following_server_current(
    tmp_path: Path, postgres_url: str
) -> None:
    server = ServerProcess(
        folder=tmp_path / "web", database_url=postgres_url, secret_key=secrets.token_hex(32),
        follow="none",
    )  # fmt: skip
    worker = Worker(postgres_url, tmp_path)
    try:
        server.start()
        ana = Browser(server.url, "Ana").sign_up()
        team = ana.call("POST", "/api/v1/teams", {"name": "Y6", "school": "Hill"}, 201)["id"]

        def add_and_find(words: str) -> Callable[[], bool]:
            body = {"statement": f"Thinks {words} are more likely", "topic": "probability"}
            entry = ana.call("POST", f"/api/v1/teams/{team}/misconceptions", body, 201)["id"]
            # The planners' picker reads its view as it stands, without catching up.
            return lambda: [e["id"] for e in ana.call("GET", f"/api/v1/misconceptions?q={words}")
                            ] == [entry]  # fmt: skip

        before = add_and_find("zebras")
        assert seconds_until(before, 1.5) is None, "the web process followed the log itself"
        worker.start()
        assert seconds_until(before, 30) is not None, worker.log()
        for words in ("giraffes", "otters", "lemurs"):
            lag = seconds_until(add_and_find(words), 5)
            assert lag is not None and lag < LIVE_SECONDS, (words, lag, worker.log())
        assert worker.signal(signal.SIGTERM) == 0
    finally:
        if worker.process is not None and worker.process.poll() is None:
            worker.signal(signal.SIGKILL)
        server.stop()

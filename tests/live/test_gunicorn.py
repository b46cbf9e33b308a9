"""The README's production command, gunicorn, serves the whole application.

Pages, the REST API and the Socket.IO room over a real WebSocket, on PostgreSQL:
an observer's notes are acknowledged and reach the instructor's device live, and
the log holds each once.
"""

from __future__ import annotations

import secrets
import time
from pathlib import Path

import pytest
from live.clients import Device, new_note, teach
from live.processes import ServerProcess
from live.stream import stored_positions

DEADLINE_SECONDS = 30.0


@pytest.mark.postgres
def test_gunicorn_serves_pages_api_and_the_live_room(tmp_path: Path, postgres_url: str) -> None:
    server = ServerProcess(
        folder=tmp_path / "gunicorn",
        database_url=postgres_url,
        secret_key=secrets.token_hex(32),
        via="gunicorn",
    )
    devices: list[Device] = []
    try:
        server.start()
        ana, (obi,), teaching_id = teach(server.url, ["Obi"])
        page = ana.http.get(f"{server.url}/teachings/{teaching_id}/observe", timeout=10)
        assert page.status_code == 200 and "text/html" in page.headers["Content-Type"]
        watcher = Device(ana, server.url, teaching_id).connect()
        observer = Device(obi, server.url, teaching_id).connect()
        devices = [watcher, observer]
        deadline = time.monotonic() + DEADLINE_SECONDS
        while not all(d.joins for d in devices) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert all(d.joins for d in devices), "a device never joined the room"
        sent = [observer.record(new_note(f"G{n}"), deadline)["note_id"] for n in range(5)]
        assert watcher.wait_for(set(sent), timeout=10), "the instructor's device missed notes"
        stored = stored_positions(postgres_url)
        assert sorted(stored) == sorted(sent)
        assert all(len(positions) == 1 for positions in stored.values())
        assert "gunicorn" in server.log().lower()  # it really was gunicorn answering
    finally:
        for device in devices:
            device.close()
        server.stop()

"""An outside client written from docs/realtime.md alone, against a real server.

`lessonstudy serve` started by the installed console script in a fresh folder with its
default, relative database path; new accounts signed up over the API; a plain
python-socketio client over a real socket, sending what the document allows and what
it refuses: a message over 1 MB (engine.io's default limit, which closed the transport
unanswered), one over the server's own limit, integers that are not integers, fields
that are not amendable, unknown query parameters, and a handshake with another
User-Agent than the sign-in's.
"""

from __future__ import annotations

import secrets
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import socketio
from live.clients import USER_AGENT, Browser, new_note, teach
from live.processes import ServerProcess

from lessonstudy.server.realtime.acks import MAX_MESSAGE_BYTES

CALL_SECONDS = 10.0


@pytest.fixture
def started(tmp_path: Path) -> Iterator[ServerProcess]:
    """`lessonstudy serve` in an empty folder, on its default relative database path."""
    process = ServerProcess(
        folder=tmp_path / "school",
        database_url="sqlite:///data/lessonstudy.db",
        secret_key=secrets.token_hex(32),
    )
    process.start()
    try:
        yield process
    finally:
        process.stop()


class Outsider:
    """A Socket.IO client as someone would write it from the document: the cookie of
    the HTTP sign-in and the same User-Agent on the handshake, reconnecting forever."""

    def __init__(self, browser: Browser, url: str, user_agent: str = USER_AGENT) -> None:
        self.url, self.user_agent = url, user_agent
        self.sio = socketio.Client(
            http_session=browser.http, reconnection=True, reconnection_delay=0.1
        )
        self.connects = 0
        self.dropped = threading.Event()
        self.sio.on("connect", self._connected)
        self.sio.on("disconnect", self._disconnected)

    def _connected(self) -> None:
        self.connects += 1

    def _disconnected(self, *_reason: Any) -> None:
        self.dropped.set()

    def connect(self) -> Outsider:
        self.sio.connect(
            self.url,
            transports=["websocket"],
            headers={"User-Agent": self.user_agent},
            wait_timeout=10,
        )
        return self

    def call(self, event: str, payload: Any) -> dict[str, Any]:
        ack: dict[str, Any] = self.sio.call(event, payload, timeout=CALL_SECONDS)
        return ack

    def wait_connected(self, connects: int, seconds: float = 15.0) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.connects >= connects and self.sio.connected:
                return True
            time.sleep(0.05)
        return False


def refused(ack: dict[str, Any], status: int, field: str) -> None:
    assert set(ack) == {"error"}, ack
    assert ack["error"]["status"] == status, ack
    assert field in ack["error"]["fields"], ack


def test_an_outside_client_is_answered_as_the_document_says(started: ServerProcess) -> None:
    _, (obi,), teaching_id = teach(started.url, ["Obi"])
    assert (started.folder / "data" / "lessonstudy.db").exists()  # the default, relative path
    client = Outsider(obi, started.url).connect()
    try:
        ref = {"teaching_id": teaching_id}
        # Integers are JSON integers; unknown fields are refused by name.
        for since in ("5", 1.5):
            refused(client.call("teaching:join", {**ref, "since": since}), 422, "since")
        refused(client.call("teaching:join", {**ref, "since": 0, "bogus": 1}), 422, "bogus")
        assert client.call("teaching:join", {**ref, "since": 0})["ok"] is True

        first = client.call("note:record", {**ref, **new_note('"Bag B has more red"')})
        assert first["ok"] is True, first
        ids = {**ref, "note_id": first["note_id"]}
        moved = {"recorded_at": "2026-01-01T09:00:00+00:00"}
        refused(client.call("note:amend", {**ids, "changes": moved}), 422, "changes.recorded_at")
        refused(client.call("note:amend", {**ids, "changes": "text"}), 422, "changes")

        # A note of 1.5 MB, over engine.io's default limit: answered, 422 naming text.
        long = {**ref, **new_note("x" * 1_500_000)}
        refused(client.call("note:record", long), 422, "text")
        assert client.sio.connected and client.connects == 1

        # Over the server's own limit the transport closes unanswered; a client that
        # sets that message aside (as the document says) reconnects and goes on.
        client.sio.emit("note:record", {**ref, **new_note("y" * (MAX_MESSAGE_BYTES + 1))})
        assert client.dropped.wait(15), "the transport stayed open"
        assert client.wait_connected(2), "the client did not reconnect"
        after = client.call("note:record", {**ref, **new_note('"Same chance each"')})
        assert after["ok"] is True, after
    finally:
        client.sio.disconnect()

    stored = obi.call("GET", f"/api/v1/teachings/{teaching_id}/notes?since=0")
    notes = f"{started.url}/api/v1/teachings/{teaching_id}/notes"
    assert sorted(c["note"]["text"] for c in stored["notes_since"]) == [
        '"Bag B has more red"',
        '"Same chance each"',
    ]
    answer = obi.http.get(f"{notes}?since=0&bogus=1", timeout=10)
    assert answer.status_code == 422 and "bogus" in answer.json()["error"]["fields"]
    answer = obi.http.get(f"{notes}?since=1.5", timeout=10)
    assert answer.status_code == 422 and "since" in answer.json()["error"]["fields"]


def test_the_handshake_must_carry_the_sign_in_s_user_agent(started: ServerProcess) -> None:
    """A sign-in session is bound to its user agent: another one is a signed-out
    connection, refused, and the same one (as the document asks) is let in."""
    _, (obi,), _ = teach(started.url, ["Obi"])
    other = Outsider(obi, started.url, user_agent=f"another-agent/{uuid.uuid4()}")
    with pytest.raises(socketio.exceptions.ConnectionError):
        other.connect()
    same = Outsider(obi, started.url).connect()
    assert same.sio.connected
    same.sio.disconnect()
    # Over HTTP the same: the session answers only to its own agent.
    answer = requests.get(
        f"{started.url}/api/v1/teams",
        cookies=obi.http.cookies,
        headers={"User-Agent": "another-agent/1"},
        timeout=10,
    )
    assert answer.status_code == 401

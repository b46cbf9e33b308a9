"""People at real browsers: an HTTP session (requests) and a Socket.IO device.

A Device behaves as the observer page must: it generates each note's id, keeps the
note until the server acknowledges it, resends it on failure (same id), re-joins the
teaching room on every (re)connect asking for everything after the last position it
has, and applies live and caught-up changes by note id and position. It is what the
protocol in docs/realtime.md asks of a client, in Python.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import requests
import socketio
from server.site import PASSWORD, TASK

CALL_TIMEOUT = 2.0
USER_AGENT = "lessonstudy-live-test/1"
LAYOUT = {"G1": ["G1-S1", "G1-S2"], "G2": ["G2-S1", "G2-S2"]}


class Browser:
    """One person's cookie jar and CSRF token against one server."""

    def __init__(self, base_url: str, name: str) -> None:
        self.base_url, self.name = base_url, name
        self.http = requests.Session()
        # Sign-in sessions are bound to the browser (Flask-Login's strong protection
        # hashes the user agent), and a browser sends one agent on every request.
        self.http.headers["User-Agent"] = USER_AGENT
        self.csrf = ""
        self.id = ""

    def call(self, method: str, path: str, body: Any = None, status: int = 200) -> Any:
        answer = self.http.request(
            method,
            f"{self.base_url}{path}",
            json=body,
            headers={"X-CSRFToken": self.csrf},
            timeout=10,
        )
        assert answer.status_code == status, (method, path, answer.status_code, answer.text)
        return answer.json() if answer.content else None

    def refresh_token(self) -> None:
        self.csrf = self.call("GET", "/api/v1/session")["csrf_token"]

    def sign_up(self) -> Browser:
        self.refresh_token()
        body = {"email": self.email, "display_name": self.name, "password": PASSWORD}
        self.id = self.call("POST", "/api/v1/accounts", body, 201)["person"]["id"]
        self.refresh_token()
        return self

    def sign_in(self) -> Browser:
        self.refresh_token()
        body = {"email": self.email, "password": PASSWORD}
        self.id = self.call("POST", "/api/v1/session", body)["person"]["id"]
        self.refresh_token()
        return self

    @property
    def email(self) -> str:
        return f"{self.name.lower()}@school.example"


def teach(base_url: str, observers: list[str]) -> tuple[Browser, list[Browser], str]:
    """A team (Ana and the observers), a lesson with two steps, taught and started."""
    ana = Browser(base_url, "Ana").sign_up()
    team = ana.call("POST", "/api/v1/teams", {"name": "Y6", "school": "Hill"}, 201)["id"]
    people = [Browser(base_url, name).sign_up() for name in observers]
    for person in people:
        body = {"email": person.email, "roles": ["observer"]}
        ana.call("POST", f"/api/v1/teams/{team}/members", body, 201)
    task = ana.call("POST", f"/api/v1/teams/{team}/tasks", TASK, 201)["id"]
    lesson = ana.call(
        "POST", f"/api/v1/teams/{team}/lessons", {"task_id": task, "title": "Bags"}, 201
    )["lesson_id"]
    plan = f"/api/v1/lessons/{lesson}/plan"
    for step in ("s1", "s2"):
        ana.call("POST", f"{plan}/steps", {"step_id": step}, 201)
    revision = ana.call("GET", plan)["revision"]
    ana.call("PUT", f"{plan}/fields/class_layout", {"value": LAYOUT, "base_revision": revision})
    body = {"instructor_id": ana.id, "class_label": "6A"}
    teaching = ana.call("POST", f"/api/v1/lessons/{lesson}/teachings", body, 201)["id"]
    ana.call("POST", f"/api/v1/teachings/{teaching}/start", {})
    return ana, people, teaching


def new_note(text: str) -> dict[str, Any]:
    return {
        "note_id": str(uuid.uuid4()),
        "recorded_at": dt.datetime.now(dt.UTC).isoformat(),
        "subject_kind": "seat",
        "subject_code": "G1-S2",
        "kind": "student_talk",
        "text": text,
        "step_id": "s1",
    }


class Device:
    """A tablet running the observer page, connected to url (a server or a proxy)."""

    def __init__(self, browser: Browser, url: str, teaching_id: str) -> None:
        self.browser, self.url, self.teaching_id = browser, url, teaching_id
        self.sio = socketio.Client(
            http_session=browser.http,
            reconnection=True,
            reconnection_attempts=0,  # forever: the page never gives up
            reconnection_delay=0.1,
            reconnection_delay_max=0.5,
            request_timeout=5,
        )
        self.lock = threading.Lock()
        self.notes: dict[str, dict[str, Any]] = {}  # what the page shows, by note id
        self.note_positions: dict[str, int] = {}
        self.head = 0  # the head of the last join: every change up to it is here
        self.acked: dict[str, int] = {}  # note id -> position in the ack
        self.attempts: Counter[str] = Counter()
        self.joins = 0
        self.catch_ups = 0  # times the server said broadcasts may have gone past
        self.teaching_changes: list[dict[str, Any]] = []
        self.sio.on("connect", self._on_connect)
        self.sio.on("teaching:catch_up", self._on_catch_up)
        for event in ("note:recorded", "note:amended", "note:retracted"):
            self.sio.on(event, self._apply)
        self.sio.on("teaching:changed", self.teaching_changes.append)

    def connect(self) -> Device:
        self.sio.connect(
            self.url,
            transports=["websocket"],
            headers={"User-Agent": USER_AGENT},
            wait_timeout=10,
        )
        return self

    def close(self) -> None:
        self.sio.disconnect()

    def record(self, note: dict[str, Any], deadline: float) -> dict[str, Any]:
        """Send until acked (the same note id every time), or fail at the deadline."""
        payload = {"teaching_id": self.teaching_id, **note}
        while time.monotonic() < deadline:
            if not self.sio.connected:
                time.sleep(0.02)
                continue
            self.attempts[note["note_id"]] += 1
            try:
                ack: dict[str, Any] = self.sio.call("note:record", payload, timeout=CALL_TIMEOUT)
            except socketio.exceptions.SocketIOError:
                continue  # lost on the way there or back: the page keeps it and resends
            assert ack.get("ok") is True, ack
            self.acked[note["note_id"]] = ack["position"]
            return ack
        raise AssertionError(f"{self.browser.name}: note {note['note_id']} never acked")

    def wait_for(self, note_ids: set[str], timeout: float = 15.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if note_ids <= set(self.notes):
                    return True
            time.sleep(0.05)
        return False

    # --- what the page does with what it is sent ---------------------------------------

    def _on_connect(self) -> None:
        # Handlers run on the client's reading thread: a blocking call here would wait
        # for its own ack forever, so the join runs beside it.
        self.sio.start_background_task(self._join)

    def _on_catch_up(self, message: dict[str, Any]) -> None:
        # The server's link to the other processes came back (docs/realtime.md section
        # 10): join again from the last head, as on a reconnect.
        if message.get("teaching_id") == self.teaching_id:
            with self.lock:
                self.catch_ups += 1
            self.sio.start_background_task(self._join)

    def _join(self) -> None:
        with self.lock:
            since = self.head
        try:
            ack = self.sio.call(
                "teaching:join",
                {"teaching_id": self.teaching_id, "since": since},
                timeout=CALL_TIMEOUT,
            )
        except socketio.exceptions.SocketIOError:
            return  # the connection went again; the next connect joins
        assert ack.get("ok") is True, ack
        with self.lock:
            self.joins += 1
            head = ack["head"]
            for change in ack["notes_since"]:
                if not ack["snapshot"]:
                    self._apply_locked(change)
                elif self.note_positions.get(change["note_id"], 0) <= head:
                    # A snapshot note is as of head or later, unless a live change
                    # newer than head has reached this note already.
                    self.notes[change["note_id"]] = dict(change["note"])
                    self.note_positions[change["note_id"]] = head
            # Only a join's head is a position with nothing missing before it: live
            # changes from concurrent writers can arrive out of log order.
            self.head = max(self.head, head)

    def _apply(self, change: dict[str, Any]) -> None:
        with self.lock:
            self._apply_locked(change)

    def _apply_locked(self, change: dict[str, Any]) -> None:
        note_id, position = change["note_id"], change["position"]
        if position <= self.note_positions.get(note_id, 0):
            return  # seen already (live and again in catch-up)
        if change["type"] == "recorded":
            self.notes[note_id] = dict(change["note"])
        elif note_id in self.notes:
            changes = change.get("changes") or {"retracted": True}
            self.notes[note_id].update(changes)
        self.note_positions[note_id] = position


@contextmanager
def closing_all(devices: list[Device]) -> Iterator[list[Device]]:
    """Every device put in the list is disconnected on the way out."""
    try:
        yield devices
    finally:
        for device in devices:
            device.close()


def wait(condition: Callable[[], object], deadline: float) -> bool:
    """Whether condition came true before the deadline (time.monotonic())."""
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False

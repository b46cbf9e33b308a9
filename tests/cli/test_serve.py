"""`lessonstudy serve` as a teacher runs it: the installed script in a fresh folder with
its default, relative paths (data/lessonstudy.db), on gunicorn rather than a
development server.

A real process each time: the websocket transport really upgrades from polling under
it (python-socketio, as a browser's client does), notes are acknowledged and reach the
other devices, Ctrl+C (SIGINT to the terminal's process group) stops it cleanly, and a
port that is taken is one line and a non-zero exit. `serve --demo` prints an account
that can try every part of the demo (teach, observe live, discuss) and where to go
for each.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
import socketio
from live.clients import USER_AGENT, Browser, new_note, teach
from support.ports import LOOPBACK, free_port

SCRIPT = Path(sys.executable).parent / "lessonstudy"
READY_SECONDS = 60.0  # --demo loads the demo first
STOP_SECONDS = 15.0


@dataclass
class Served:
    url: str
    process: subprocess.Popen[bytes]
    output: Path

    def text(self) -> str:
        return self.output.read_text(errors="replace")


@contextmanager
def serving(folder: Path, *args: str) -> Iterator[Served]:
    """`lessonstudy serve --port P ARGS` started in folder, as from a terminal; ready once
    /healthz answers. No database URL and no secret are given: the defaults are used."""
    port = free_port()
    output = folder / "serve.out"
    env = {k: v for k, v in os.environ.items() if not k.startswith("LESSONSTUDY_")}
    with output.open("wb") as out:
        process = subprocess.Popen(
            [str(SCRIPT), "serve", "--host", LOOPBACK, "--port", str(port), *args],
            cwd=folder,
            env={**env, "PYTHONUNBUFFERED": "1"},
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a process group of its own, as a terminal's job
        )
    served = Served(f"http://{LOOPBACK}:{port}", process, output)
    try:
        wait_until_ready(served)
        yield served
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=STOP_SECONDS)


def wait_until_ready(served: Served) -> None:
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        assert served.process.poll() is None, f"serve exited:\n{served.text()}"
        try:
            if requests.get(f"{served.url}/healthz", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise AssertionError(f"serve did not answer /healthz in time:\n{served.text()}")


def ctrl_c(served: Served) -> int:
    """What Ctrl+C in a terminal does: SIGINT to the whole foreground process group."""
    os.killpg(served.process.pid, signal.SIGINT)
    return served.process.wait(timeout=STOP_SECONDS)


def socket_client(browser: Browser) -> socketio.Client:
    """A browser's Socket.IO client: it starts on long-polling and upgrades to websocket."""
    return socketio.Client(http_session=browser.http, reconnection=False, request_timeout=10)


def connect(client: socketio.Client, url: str) -> None:
    client.connect(url, headers={"User-Agent": USER_AGENT}, wait_timeout=10)


def test_serve_runs_on_gunicorn_with_the_websocket_transport(tmp_path: Path) -> None:
    with serving(tmp_path) as served:
        health = requests.get(f"{served.url}/healthz", timeout=10)
        assert health.headers["Server"].startswith("gunicorn"), health.headers
        ana, (obi,), teaching_id = teach(served.url, ["Obi"])

        watcher, observer = socket_client(ana), socket_client(obi)
        heard: list[dict[str, Any]] = []
        watcher.on("note:recorded", heard.append)
        try:
            for client in (watcher, observer):
                connect(client, served.url)
                # Upgraded from polling during connect: websocket, not only polling.
                assert client.transport() == "websocket"
                join = {"teaching_id": teaching_id, "since": 0}
                assert client.call("teaching:join", join, timeout=10)["ok"] is True
            note = new_note("Says B has more red")
            ack = observer.call("note:record", {"teaching_id": teaching_id, **note}, timeout=10)
            assert ack["ok"] is True and ack["note_id"] == note["note_id"]
            deadline = time.monotonic() + 10
            while not heard and time.monotonic() < deadline:
                time.sleep(0.05)
            assert [n["note_id"] for n in heard] == [note["note_id"]]
        finally:
            watcher.disconnect()
            observer.disconnect()

        assert ctrl_c(served) == 0
        text = served.text()
    assert f"lessonstudy is running: open http://localhost:{served.url.rsplit(':', 1)[1]}/" in text
    assert "Press Ctrl+C to stop." in text
    assert "development server" not in text and "Werkzeug" not in text
    assert "Traceback" not in text, text
    # The default, relative paths: the store and the secret in ./data of the folder.
    assert (tmp_path / "data" / "lessonstudy.db").exists()
    assert (tmp_path / "data" / "secret_key").exists()


def test_a_port_that_is_taken_is_one_line_and_a_non_zero_exit(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind((LOOPBACK, 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [str(SCRIPT), "serve", "--host", LOOPBACK, "--port", str(port)],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        f"lessonstudy: error: port: {LOOPBACK}:{port} is already in use (another server is"
        " running there?); stop it or choose another with --port"
    ]


def test_dev_runs_the_development_server_only_when_asked(tmp_path: Path) -> None:
    with serving(tmp_path, "--dev") as served:
        health = requests.get(f"{served.url}/healthz", timeout=10)
        assert health.headers["Server"].startswith("Werkzeug"), health.headers
        assert ctrl_c(served) in (0, -signal.SIGINT, 130)


# --- the demo, tried whole ------------------------------------------------------------

PRINTED = {
    "sign-in": re.compile(r"demo sign-in: (\S+) / (\S+)"),
    "teach": re.compile(r"teach: +(\S+/teach)\b"),
    "observe": re.compile(r"observe: +(\S+/observe)\b"),
    "projector": re.compile(r"projector: +(\S+/facilitate)\b"),
    "discuss": re.compile(r"discuss: .*?(http\S+/discussion)\b"),
}


def printed(text: str) -> dict[str, Any]:
    found = {name: pattern.search(text) for name, pattern in PRINTED.items()}
    missing = [name for name, match in found.items() if match is None]
    assert missing == [], f"serve --demo did not print {missing}:\n{text}"
    return {name: match.groups() for name, match in found.items() if match is not None}


def signed_in(url: str, email: str, password: str) -> requests.Session:
    http = requests.Session()
    http.headers["User-Agent"] = USER_AGENT
    csrf = http.get(f"{url}/api/v1/session", timeout=10).json()["csrf_token"]
    body = {"email": email, "password": password}
    answer = http.post(
        f"{url}/api/v1/session", json=body, headers={"X-CSRFToken": csrf}, timeout=10
    )
    assert answer.status_code == 200, answer.text
    http.headers["X-CSRFToken"] = http.get(f"{url}/api/v1/session", timeout=10).json()["csrf_token"]
    return http


def test_the_demo_can_be_tried_whole_from_what_serve_prints(tmp_path: Path) -> None:
    with serving(tmp_path, "--demo") as served:
        where = printed(served.text())
        email, password = where["sign-in"]
        http = signed_in(served.url, email, password)
        (teach_url,), (observe_url,), (projector_url,) = (
            where["teach"], where["observe"], where["projector"]
        )  # fmt: skip
        local = served.url.rsplit(":", 1)[1]
        assert all(f"http://localhost:{local}/" in u for u in (teach_url, observe_url))

        def get(url: str) -> requests.Response:
            return http.get(url.replace("localhost", LOOPBACK), timeout=10)

        # Teach: the run page of a lesson under way, which this account may run.
        run = get(teach_url)
        assert run.status_code == 200, (run.status_code, run.text[:300])
        teaching_id = teach_url.rsplit("/", 2)[1]
        teaching = http.get(f"{served.url}/api/v1/teachings/{teaching_id}", timeout=10).json()
        assert teaching["status"] == "started" and teaching["class_label"].startswith("7D")
        assert get(observe_url).status_code == 200
        assert get(projector_url).status_code == 200

        # Observe live: the notes so far, and a note of this account's acknowledged and
        # heard by another device in the room.
        devices = [socketio.Client(http_session=http, reconnection=False) for _ in range(2)]
        heard: list[dict[str, Any]] = []
        devices[0].on("note:recorded", heard.append)
        try:
            for device in devices:
                connect(device, served.url)
                join = device.call(
                    "teaching:join", {"teaching_id": teaching_id, "since": 0}, timeout=10
                )
                assert join["ok"] is True and len(join["notes_since"]) >= 3
            note = {**new_note("Compares 3 of 4 with 5 of 8"), "step_id": "s4"}
            ack = devices[1].call("note:record", {"teaching_id": teaching_id, **note}, timeout=10)
            assert ack["ok"] is True, ack
            deadline = time.monotonic() + 10
            while not heard and time.monotonic() < deadline:
                time.sleep(0.05)
            assert [n["note_id"] for n in heard] == [note["note_id"]]
        finally:
            for device in devices:
                device.disconnect()

        # Discuss: end the lesson, then open its discussion where serve said.
        (discuss_url,) = where["discuss"]
        assert get(discuss_url).status_code == 200  # the page says to end it first
        ended = http.post(f"{served.url}/api/v1/teachings/{teaching_id}/end", json={}, timeout=10)
        assert ended.status_code == 200, ended.text
        opened = http.post(
            f"{served.url}/api/v1/teachings/{teaching_id}/discussion", json={}, timeout=10
        )
        assert opened.status_code == 201, opened.text
        board = opened.json()
        assert board["discussion"]["phase"] == "instructor_reflection", board["discussion"]
        assert get(discuss_url).url.endswith(f"/discussions/{board['discussion']['id']}")
        assert ctrl_c(served) == 0

    # Served again on the same folder: the same account and lesson, nothing added twice.
    with serving(tmp_path, "--demo") as again:
        (teach_again,) = printed(again.text())["teach"]
        assert teach_again.split("/teachings/")[1] == teach_url.split("/teachings/")[1]
        assert ctrl_c(again) == 0

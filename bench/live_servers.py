"""The two servers bench/live.py measures, each its own process, and their setup.

- ``lessonstudy``: ``lessonstudy serve`` (the console script, so the process measured
  is the server itself) on a fresh SQLite file, the read-model follower in a thread
  as in production. Setup goes through the REST API, untimed, before any client
  connects: per room an instructor signs up, makes a team, adds the room's observers
  (each signed up with their own account), a task, a lesson with steps and a class
  layout, schedules a teaching and starts it. Each observer's session cookie is what
  its Socket.IO client connects with.
- ``bare``: bench/live_bare.py on a fresh SQLite file; rooms are new uuids and the
  observers need no accounts.

The way these are started, waited for and stopped follows tests/live/processes.py.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(sys.executable).parent / "lessonstudy"
LOOPBACK = "127.0.0.1"
READY_SECONDS = 60.0
STOP_SECONDS = 10.0
PASSWORD = "correct horse battery"
USER_AGENT = "lessonstudy-bench-live/1"  # the clients send the same: sessions are bound to it
STEP = "s1"
LAYOUT = {"G1": ["G1-S1", "G1-S2"], "G2": ["G2-S1", "G2-S2"]}
TASK = {
    "statement": "Bag A has 3 red and 1 white ball, bag B 6 red and 2 white. Which bag"
    " gives the better chance of red?",
    "subject": "mathematics",
    "grade": "6",
    "topic": "probability",
    "materials": "two bags, coloured balls",
    "cognitive_demand": "analyse",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        port: int = probe.getsockname()[1]
        return port


def resident_mb(pid: int, key: str = "VmRSS") -> float:
    """VmRSS (now) or VmHWM (the peak) of a process, in MB, from /proc/<pid>/status."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{key}:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {key} for {pid}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far, from /proc/<pid>/stat: on a
    machine shared with other work, a side's CPU per note moves far less than its rate."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    utime, stime = int(fields[11]), int(fields[12])  # fields 14 and 15 of proc(5)
    return (utime + stime) / os.sysconf("SC_CLK_TCK")


@dataclass
class Server:
    side: str  # "lessonstudy" or "bare"
    folder: Path
    follow: str = "thread"  # lessonstudy's LESSONSTUDY_FOLLOW: "thread", or "none"
    port: int = 0
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def database_url(self) -> str:
        return f"sqlite:///{self.folder / f'{self.side}.db'}"

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self) -> Server:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        if self.side == "lessonstudy":
            env.update(
                LESSONSTUDY_DATABASE_URL=self.database_url,
                LESSONSTUDY_SECRET_KEY=secrets.token_hex(16),
                LESSONSTUDY_FOLLOW=self.follow,
                LESSONSTUDY_PHOTOS_DIR=str(self.folder / "photos"),
            )
            env.pop("LESSONSTUDY_REDIS_URL", None)
            command = [str(SCRIPT), "serve", "--host", LOOPBACK, "--port", str(self.port)]
        else:
            command = [
                sys.executable,
                "-m",
                "bench.live_bare",
                "--host",
                LOOPBACK,
                "--port",
                str(self.port),
                "--database-url",
                self.database_url,
            ]
        with (self.folder / f"{self.side}.log").open("ab") as log:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT if self.side == "bare" else self.folder,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._wait_until_ready()
        return self

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=STOP_SECONDS)

    def log(self, last: int = 3000) -> str:
        try:
            return (self.folder / f"{self.side}.log").read_text(errors="replace")[-last:]
        except OSError:
            return "(no log)"

    def _wait_until_ready(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + READY_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"{self.side} exited with {self.process.returncode}:\n{self.log()}"
                )
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"{self.side}: no answer on {self.url}/healthz in time:\n{self.log()}")


class Browser:
    """One person's cookie jar and CSRF token (as tests/live/clients.py's Browser)."""

    def __init__(self, base_url: str, name: str) -> None:
        self.base_url, self.name = base_url, name
        self.http = requests.Session()
        self.http.headers["User-Agent"] = USER_AGENT
        self.csrf = ""
        self.id = ""

    def call(self, method: str, path: str, body: Any = None, status: int = 200) -> Any:
        answer = self.http.request(
            method,
            f"{self.base_url}{path}",
            json=body,
            headers={"X-CSRFToken": self.csrf},
            timeout=60,
        )
        if answer.status_code != status:
            raise RuntimeError(f"{method} {path}: {answer.status_code} {answer.text[:300]}")
        return answer.json() if answer.content else None

    def sign_up(self) -> Browser:
        self.csrf = self.call("GET", "/api/v1/session")["csrf_token"]
        body = {
            "email": f"{self.name}@school.example",
            "display_name": self.name,
            "password": PASSWORD,
        }
        self.id = self.call("POST", "/api/v1/accounts", body, 201)["person"]["id"]
        self.csrf = self.call("GET", "/api/v1/session")["csrf_token"]
        return self

    @property
    def cookie(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.http.cookies)


def _teach(base_url: str, room: int, observers: list[Browser]) -> str:
    """A team (an instructor and the observers), a lesson, a teaching started."""
    ana = Browser(base_url, f"instructor{room}").sign_up()
    team = ana.call("POST", "/api/v1/teams", {"name": f"Y6 {room}", "school": "Hill"}, 201)["id"]
    for person in observers:
        body = {"email": f"{person.name}@school.example", "roles": ["observer"]}
        ana.call("POST", f"/api/v1/teams/{team}/members", body, 201)
    task = ana.call("POST", f"/api/v1/teams/{team}/tasks", TASK, 201)["id"]
    lesson = ana.call(
        "POST", f"/api/v1/teams/{team}/lessons", {"task_id": task, "title": "Bags"}, 201
    )["lesson_id"]
    plan = f"/api/v1/lessons/{lesson}/plan"
    for step in (STEP, "s2"):
        ana.call("POST", f"{plan}/steps", {"step_id": step}, 201)
    revision = ana.call("GET", plan)["revision"]
    ana.call("PUT", f"{plan}/fields/class_layout", {"value": LAYOUT, "base_revision": revision})
    body = {"instructor_id": ana.id, "class_label": "6A"}
    teaching: str = ana.call("POST", f"/api/v1/lessons/{lesson}/teachings", body, 201)["id"]
    ana.call("POST", f"/api/v1/teachings/{teaching}/start", {})
    return teaching


def rooms_for(server: Server, sizes: list[int]) -> list[dict[str, Any]]:
    """Every room's teaching and observers (id and cookie), ready for the clients."""
    if server.side == "bare":
        return [
            {
                "teaching_id": str(uuid.uuid4()),
                "step_id": STEP,
                "observers": [{"id": str(uuid.uuid4()), "cookie": ""} for _ in range(size)],
            }
            for size in sizes
        ]
    names = [[f"observer{r}x{i}" for i in range(size)] for r, size in enumerate(sizes)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        people = [
            list(pool.map(lambda n: Browser(server.url, n).sign_up(), room)) for room in names
        ]
        teachings = list(pool.map(lambda r: _teach(server.url, r, people[r]), range(len(sizes))))
    return [
        {
            "teaching_id": teaching,
            "step_id": STEP,
            "observers": [{"id": p.id, "cookie": p.cookie} for p in room],
        }
        for teaching, room in zip(teachings, people, strict=True)
    ]

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

bench/district.py starts the same ``lessonstudy`` server on PostgreSQL instead, under
gunicorn (the README's production command) with Redis between processes, and a
``lessonstudy worker`` (``Worker``) beside them.

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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(sys.executable).parent / "lessonstudy"
GUNICORN = Path(sys.executable).parent / "gunicorn"
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


def children(pid: int) -> list[int]:
    """A process's children now (gunicorn's worker, PostgreSQL's backends)."""
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


def tree_cpu_seconds(pid: int) -> float:
    """CPU time of a process and its children now (a child that already ended is lost:
    use it for servers whose children live as long as they do, as pooled backends)."""
    total = 0.0
    for member in [pid, *children(pid)]:
        with contextlib.suppress(OSError):
            total += cpu_seconds(member)
    return total


@dataclass
class Server:
    side: str  # "lessonstudy" or "bare"
    folder: Path
    follow: str = "thread"  # lessonstudy's LESSONSTUDY_FOLLOW: "thread", or "none"
    port: int = 0
    process: subprocess.Popen[bytes] | None = None
    database: str = ""  # a database URL; by default a fresh SQLite file in `folder`
    redis_url: str = ""  # LESSONSTUDY_REDIS_URL: Socket.IO rooms shared between processes
    secret_key: str = field(default_factory=lambda: secrets.token_hex(16))
    # > 0: run under `gunicorn -w 1 --threads N` (the README's production command) instead
    # of `lessonstudy serve`; a websocket holds one of its threads while it is open.
    gunicorn_threads: int = 0
    serve_threads: int = 0  # > 0: `lessonstudy serve --threads N`

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def database_url(self) -> str:
        return self.database or f"sqlite:///{self.folder / f'{self.side}.db'}"

    @property
    def pid(self) -> int:
        """The process that serves: gunicorn's worker (`lessonstudy serve` runs gunicorn
        too, one worker), else the server."""
        assert self.process is not None
        if self.side == "lessonstudy":
            workers = children(self.process.pid)
            if len(workers) != 1:
                raise RuntimeError(f"gunicorn {self.process.pid} has workers {workers}")
            return workers[0]
        return self.process.pid

    def start(self) -> Server:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        if self.side == "lessonstudy":
            env.update(
                LESSONSTUDY_DATABASE_URL=self.database_url,
                LESSONSTUDY_SECRET_KEY=self.secret_key,
                LESSONSTUDY_FOLLOW=self.follow,
                LESSONSTUDY_PHOTOS_DIR=str(self.folder / "photos"),
            )
            env.pop("LESSONSTUDY_REDIS_URL", None)
            if self.redis_url:
                env["LESSONSTUDY_REDIS_URL"] = self.redis_url
            command = [str(SCRIPT), "serve", "--host", LOOPBACK, "--port", str(self.port)]
            if self.serve_threads:  # serve runs gunicorn: a websocket holds one thread
                command += ["--threads", str(self.serve_threads)]
            if self.gunicorn_threads:
                command = [
                    str(GUNICORN),
                    *("-w", "1", "--threads", str(self.gunicorn_threads)),
                    # Stopping is not measured: don't wait 30 s for websockets to close.
                    *("--graceful-timeout", "2"),
                    *("-b", f"{LOOPBACK}:{self.port}"),
                    "lessonstudy.server.wsgi:app",
                ]
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
        stop_group(self.process)

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


def stop_group(process: subprocess.Popen[bytes] | None) -> None:
    """SIGTERM to a process's group (started in a session of its own), then SIGKILL."""
    terminate_group(process)
    await_group(process)


def terminate_group(process: subprocess.Popen[bytes] | None) -> None:
    """SIGTERM to a process's group, not waiting: several processes stop at once."""
    if process is not None and process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)


def await_group(process: subprocess.Popen[bytes] | None) -> None:
    """Wait for a process told to stop; SIGKILL its group when it takes too long."""
    if process is None or process.poll() is not None:
        return
    try:
        process.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=STOP_SECONDS)


@dataclass
class Worker:
    """`lessonstudy worker` (the console script, its default --poll and --log-every),
    keeping every read model for web processes started with LESSONSTUDY_FOLLOW=none."""

    folder: Path
    database_url: str
    process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self) -> Worker:
        self.folder.mkdir(parents=True, exist_ok=True)
        with (self.folder / "worker.log").open("ab") as log:
            self.process = subprocess.Popen(
                [str(SCRIPT), "worker", "--database-url", self.database_url],
                cwd=self.folder,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        stop_group(self.process)

    def log(self, last: int = 3000) -> str:
        try:
            return (self.folder / "worker.log").read_text(errors="replace")[-last:]
        except OSError:
            return "(no log)"


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


@dataclass
class Taught:
    teaching_id: str
    misconception_ids: list[str]  # what the room's notes are tagged with (may be none)


def _teach(base_url: str, room: int, observers: list[Browser], misconception: bool) -> Taught:
    """A team (an instructor and the observers), a lesson, a teaching started; with
    `misconception`, an entry in the team's catalogue for the room's notes to cite."""
    ana = Browser(base_url, f"instructor{room}").sign_up()
    team = ana.call("POST", "/api/v1/teams", {"name": f"Y6 {room}", "school": "Hill"}, 201)["id"]
    for person in observers:
        body = {"email": f"{person.name}@school.example", "roles": ["observer"]}
        ana.call("POST", f"/api/v1/teams/{team}/members", body, 201)
    task = ana.call("POST", f"/api/v1/teams/{team}/tasks", TASK, 201)["id"]
    cited = []
    if misconception:
        body = {"statement": "More red balls means a better chance", "topic": "probability"}
        cited.append(ana.call("POST", f"/api/v1/teams/{team}/misconceptions", body, 201)["id"])
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
    return Taught(teaching, cited)


def rooms_for(
    server: Server, sizes: list[int], *, misconceptions: bool = False
) -> list[dict[str, Any]]:
    """Every room's teaching and observers (id and cookie), ready for the clients; with
    `misconceptions`, each room's notes cite an entry of its team's catalogue, so each
    note also changes the catalogue's numbers."""
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
        taught = list(
            pool.map(lambda r: _teach(server.url, r, people[r], misconceptions), range(len(sizes)))
        )
    return [
        {
            "teaching_id": lesson.teaching_id,
            "step_id": STEP,
            "misconception_ids": lesson.misconception_ids,
            "observers": [{"id": p.id, "cookie": p.cookie} for p in room],
        }
        for lesson, room in zip(taught, people, strict=True)
    ]

"""Real `lessonstudy serve` processes the live tests start, kill and start again.

Unlike tests/support/live_server.py (one SQLite server for the browser tests), these
take any database URL and a Redis URL, share one secret key (a session cookie from
one process is good on another, as behind a load balancer), and can be killed with
SIGKILL and started again on the same port and database, as a crashed server is
restarted by its supervisor. Every wait is bounded.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from support.ports import LOOPBACK, free_port

SCRIPT = Path(sys.executable).parent / "lessonstudy"
GUNICORN = Path(sys.executable).parent / "gunicorn"
READY_SECONDS = 30.0
STOP_SECONDS = 10.0


class ServerStartError(RuntimeError):
    """Raised when a server does not answer /healthz in time; holds its log's end."""


@dataclass
class ServerProcess:
    folder: Path
    database_url: str
    secret_key: str
    redis_url: str | None = None
    follow: str = "thread"
    # "serve" (lessonstudy serve) or "gunicorn": the README's production command.
    via: str = "serve"
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    starts: int = 0

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.folder / f"server-{self.port}.log"

    def log(self, last: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-last:]
        except OSError:
            return "(no log)"

    def start(self) -> ServerProcess:
        """Start on self.port (the same one again after a kill) and wait until ready."""
        self.folder.mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            "LESSONSTUDY_DATABASE_URL": self.database_url,
            "LESSONSTUDY_SECRET_KEY": self.secret_key,
            "LESSONSTUDY_FOLLOW": self.follow,
            "LESSONSTUDY_PHOTOS_DIR": str(self.folder / "photos"),
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("LESSONSTUDY_REDIS_URL", None)
        if self.redis_url:
            env["LESSONSTUDY_REDIS_URL"] = self.redis_url
        self.starts += 1
        with self.log_path.open("ab") as log:
            log.write(f"\n--- start {self.starts} ---\n".encode())
            self.process = subprocess.Popen(
                self._command(),
                cwd=self.folder,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: a kill takes all of it
            )
        self._wait_until_ready()
        return self

    def _command(self) -> list[str]:
        if self.via == "gunicorn":
            # As README.md says: one worker, many threads (Socket.IO sessions live in
            # the worker that accepted them).
            return [
                str(GUNICORN),
                *("-w", "1", "--threads", "100", "-b", f"{LOOPBACK}:{self.port}"),
                "lessonstudy.server.wsgi:app",
            ]
        return [str(SCRIPT), "serve", "--host", LOOPBACK, "--port", str(self.port)]

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush; whatever was not committed is gone."""
        self._signal(signal.SIGKILL)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self._signal(signal.SIGTERM, wait=False)
        try:
            self.process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self._signal(signal.SIGKILL)

    def _signal(self, sig: signal.Signals, *, wait: bool = True) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, sig)
        if wait:
            self.process.wait(timeout=STOP_SECONDS)

    def _wait_until_ready(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + READY_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerStartError(f"exited with {self.process.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.1)
        self.stop()
        raise ServerStartError(f"no answer on {self.url}/healthz in time:\n{self.log()}")


@contextmanager
def scaled_out(
    folder: Path, database_url: str, redis_url: str
) -> Iterator[tuple[ServerProcess, ServerProcess]]:
    """Two server processes, A and B, as behind a load balancer: one PostgreSQL log,
    Socket.IO rooms shared through Redis, one secret key, and one projection follower
    for the deployment (A's; B runs with LESSONSTUDY_FOLLOW=none, as beside a worker).
    Both are started on entry and stopped on exit."""
    secret = secrets.token_hex(32)
    a, b = (
        ServerProcess(
            folder=folder / name,
            database_url=database_url,
            secret_key=secret,
            redis_url=redis_url,
            follow="thread" if name == "a" else "none",
        )
        for name in ("a", "b")
    )
    try:
        a.start()
        b.start()
        yield a, b
    finally:
        a.stop()
        b.stop()

"""A real `lessonstudy serve` process on 127.0.0.1, for tests that need a live server.

It runs the installed script on a free port with its own SQLite file, is ready once
/healthz answers, and is stopped (then killed, if it must be) at the end. Its output
goes to a log file that a failing test can show.
"""

from __future__ import annotations

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
from dataclasses import dataclass
from pathlib import Path

from support.ports import LOOPBACK, free_port

SCRIPT = Path(sys.executable).parent / "lessonstudy"
READY_DEADLINE_SECONDS = 30.0
STOP_DEADLINE_SECONDS = 10.0
START_ATTEMPTS = 3  # a free port can be taken between our probe and the server's bind


class LiveServerError(RuntimeError):
    """Raised when the server does not start; the message holds the end of its log."""


@dataclass(frozen=True)
class LiveServer:
    url: str
    database_url: str
    log_path: Path
    process: subprocess.Popen[bytes]

    def log(self, last: int = 4000) -> str:
        return self.log_path.read_text(errors="replace")[-last:]


@contextmanager
def live_server(folder: Path, *, demo: bool = False) -> Iterator[LiveServer]:
    """Start `lessonstudy serve` with its data in folder; stop it when the block ends."""
    folder.mkdir(parents=True, exist_ok=True)
    database_url = f"sqlite:///{folder / 'lessonstudy.db'}"
    for attempt in range(1, START_ATTEMPTS + 1):
        server = _start(folder, database_url, demo=demo)
        try:
            _wait_until_ready(server)
            break
        except LiveServerError:
            _stop(server.process)
            if attempt == START_ATTEMPTS:
                raise
    try:
        yield server
    finally:
        _stop(server.process)


def _start(folder: Path, database_url: str, *, demo: bool) -> LiveServer:
    port = free_port()
    log_path = folder / f"server-{port}.log"
    env = {
        **os.environ,
        "LESSONSTUDY_DATABASE_URL": database_url,
        # Set here so the server never writes a secret into the repository's data/.
        "LESSONSTUDY_SECRET_KEY": secrets.token_hex(32),
        "PYTHONUNBUFFERED": "1",
    }
    args = [str(SCRIPT), "serve", "--host", LOOPBACK, "--port", str(port)]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [*args, *(["--demo"] if demo else [])],
            cwd=folder,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so stopping it stops all of it
        )
    return LiveServer(f"http://{LOOPBACK}:{port}", database_url, log_path, process)


def _wait_until_ready(server: LiveServer) -> None:
    deadline = time.monotonic() + READY_DEADLINE_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise LiveServerError(
                f"the server exited with {server.process.returncode}:\n{server.log()}"
            )
        try:
            with urllib.request.urlopen(f"{server.url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise LiveServerError(f"the server did not answer /healthz in time:\n{server.log()}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=STOP_DEADLINE_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=STOP_DEADLINE_SECONDS)

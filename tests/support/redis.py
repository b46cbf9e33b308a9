"""A throwaway Redis server for the tests that need one (Socket.IO's message queue).

Not auto-used: only tests that ask for `redis_server` start it. It listens on 127.0.0.1
and a free port, keeps nothing on disk, and is stopped by its pid at session end.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

import pytest

from support.ports import LOOPBACK, free_port

READY_DEADLINE_SECONDS = 15.0
STOP_DEADLINE_SECONDS = 10.0
START_ATTEMPTS = 3  # a free port can be taken between our probe and the server's bind

Reply = str | int | None


class RedisReplyError(RuntimeError):
    """Raised when Redis answers a command with an error reply."""


def redis_command(url: str, *args: str, timeout: float = 5.0) -> Reply:
    """Send one command over a plain socket and return its reply.

    A few lines of RESP keep these helpers free of the `redis` package, which the
    project does not otherwise need.
    """
    parts = urlsplit(url)
    db = parts.path.lstrip("/") or "0"
    commands = ([] if db == "0" else [("SELECT", db)]) + [args]
    payload = b"".join(_encode(command) for command in commands)
    address = (parts.hostname or LOOPBACK, parts.port or 6379)
    with socket.create_connection(address, timeout=timeout) as sock:
        sock.sendall(payload)
        with sock.makefile("rb") as stream:
            replies = [_read_reply(stream) for _ in commands]
    return replies[-1]


def _encode(args: tuple[str, ...]) -> bytes:
    parts = [f"*{len(args)}\r\n".encode()]
    for arg in args:
        data = arg.encode()
        parts.append(b"$%d\r\n%s\r\n" % (len(data), data))
    return b"".join(parts)


def _read_reply(stream: BinaryIO) -> Reply:
    line = stream.readline()
    if not line.endswith(b"\r\n"):
        raise ConnectionError("Redis closed the connection mid-reply")
    kind, body = line[:1], line[1:-2].decode()
    if kind == b"+":
        return body
    if kind == b"-":
        raise RedisReplyError(body)
    if kind == b":":
        return int(body)
    if kind == b"$":
        size = int(body)
        return None if size < 0 else stream.read(size + 2)[:-2].decode()
    raise ConnectionError(f"unexpected Redis reply {line!r}")


def ping(url: str) -> bool:
    """True if the server answers PING; uses the `redis` package when it is installed."""
    try:
        import redis
    except ImportError:
        try:
            return redis_command(url, "PING", timeout=1.0) == "PONG"
        except (OSError, RedisReplyError):
            return False
    client = redis.Redis.from_url(url, socket_timeout=1.0, socket_connect_timeout=1.0)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


def _redis_server_binary() -> str:
    binary = shutil.which("redis-server")
    if binary is None:
        # Failing, not skipping: the scaled-out deployment's tests must not vanish quietly.
        pytest.fail(
            "redis-server not found: install it with `apt-get install -y redis-server` "
            "(scripts/test does this)",
            pytrace=False,
        )
    return binary


def _start(binary: str, base: Path, port: int) -> bool:
    args = [binary, "--port", str(port), "--bind", LOOPBACK, "--save", "", "--appendonly", "no"]
    args += ["--daemonize", "yes", "--pidfile", str(base / "redis.pid"), "--dir", str(base)]
    args += ["--logfile", str(base / "redis.log")]
    result = subprocess.run(args, stdin=subprocess.DEVNULL, timeout=30, check=False)
    if result.returncode != 0:
        return False
    url = f"redis://{LOOPBACK}:{port}/0"
    deadline = time.monotonic() + READY_DEADLINE_SECONDS
    while time.monotonic() < deadline:
        if ping(url):
            return True
        time.sleep(0.1)
    _stop(base)  # it may have started but lost the port race; do not leave it behind
    return False


def _is_running(pid: int) -> bool:
    # A daemonised server is not our child, and PID 1 in a container may not reap it
    # promptly, so a zombie ("Z") counts as stopped.
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _stop(base: Path) -> None:
    try:
        pid = int((base / "redis.pid").read_text().strip())
    except (OSError, ValueError):
        return
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + STOP_DEADLINE_SECONDS
        while time.monotonic() < deadline and _is_running(pid):
            time.sleep(0.05)
        if not _is_running(pid):
            return


@pytest.fixture(scope="session")
def redis_server() -> Iterator[str]:
    """`redis://127.0.0.1:PORT/0` of a Redis started for this session on first use."""
    binary = _redis_server_binary()
    base = Path(tempfile.mkdtemp(prefix="lessonstudy-redis-"))
    try:
        for _ in range(START_ATTEMPTS):
            port = free_port()
            if _start(binary, base, port):
                break
        else:
            log = base / "redis.log"
            detail = log.read_text() if log.exists() else "(no log)"
            pytest.fail(f"redis-server did not start:\n{detail}", pytrace=False)
        try:
            yield f"redis://{LOOPBACK}:{port}/0"
        finally:
            _stop(base)
    finally:
        shutil.rmtree(base, ignore_errors=True)


@dataclass(frozen=True)
class OwnRedis:
    """A Redis of one test's own, which it stops and starts again (a restart, a blip)."""

    binary: str
    base: Path
    port: int

    @property
    def url(self) -> str:
        return f"redis://{LOOPBACK}:{self.port}/0"

    def stop(self) -> None:
        _stop(self.base)

    def start_again(self) -> None:
        """On the same port, empty (it keeps nothing on disk), as after a restart."""
        if not _start(self.binary, self.base, self.port):
            pytest.fail(f"redis-server did not start again on {self.port}", pytrace=False)


@contextmanager
def redis_of_its_own() -> Iterator[OwnRedis]:
    """A Redis for one test that restarts it: the session's is shared by the tests after it."""
    binary = _redis_server_binary()
    base = Path(tempfile.mkdtemp(prefix="lessonstudy-redis-"))
    try:
        for _ in range(START_ATTEMPTS):
            port = free_port()
            if _start(binary, base, port):
                break
        else:
            pytest.fail("redis-server did not start", pytrace=False)
        try:
            yield OwnRedis(binary, base, port)
        finally:
            _stop(base)
    finally:
        shutil.rmtree(base, ignore_errors=True)

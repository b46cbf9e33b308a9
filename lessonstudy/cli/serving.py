"""Where `lessonstudy serve` runs the web app: gunicorn (the default) or Werkzeug (--dev).

gunicorn is started from this process through its documented custom-application API
(``gunicorn.app.base.BaseApplication``), as `gunicorn -w 1 --threads 1000
lessonstudy.server.wsgi:app` would run it: one worker process with threads (gthread),
which carries Socket.IO's websocket transport in threading mode (simple-websocket),
and one worker because Socket.IO's rooms live in one process unless
LESSONSTUDY_REDIS_URL shares them.

The app is NOT preloaded: ``create_app`` runs in the worker after gunicorn forks it.
create_app starts threads (the read models' follower, the Redis listeners) and opens
database connections and pools; threads do not survive a fork and a connection shared
by two processes corrupts both, so the master must never hold them. The master only
binds the port and supervises (it starts a new worker if the first one dies).
"""

from __future__ import annotations

import errno
import socket
from typing import Any

from eventsourcing.persistence import PersistenceError
from flask import Flask
from gunicorn.app.base import BaseApplication
from gunicorn.errors import AppImportError

from lessonstudy.cli.common import fail, without_password
from lessonstudy.domain.errors import DomainError
from lessonstudy.server import create_app
from lessonstudy.server.config import ServerConfig
from lessonstudy.storage import StorageConfigError

__all__ = ["ServerConfig", "require_free_port", "serve_for_development", "serve_with_gunicorn"]

# A stop (SIGTERM from a process manager) waits this long for requests in flight;
# open websockets would otherwise hold it for gunicorn's default 30 s. Devices
# reconnect and resend what was not acknowledged.
GRACEFUL_SECONDS = 5


class LessonStudyServer(BaseApplication):
    """gunicorn running create_app(config) in one threaded worker, bound to host:port."""

    def __init__(self, config: ServerConfig, *, host: str, port: int, threads: int) -> None:
        self.config = config
        self.settings: dict[str, Any] = {
            "bind": [f"[{host}]:{port}" if ":" in host else f"{host}:{port}"],
            "workers": 1,
            "worker_class": "gthread",
            "threads": threads,
            "graceful_timeout": GRACEFUL_SECONDS,
            # The lines `serve` prints are what a teacher needs; gunicorn's own only on trouble.
            "loglevel": "warning",
            # gunicorn >= 25 opens a control socket in $HOME by default: two servers on one
            # machine would contend for it, and nobody here runs gunicornc.
            "control_socket_disable": True,
        }
        super().__init__(prog="lessonstudy serve")

    def load_config(self) -> None:
        for name, value in self.settings.items():
            if name in self.cfg.settings:  # a setting older gunicorns lack is skipped
                self.cfg.set(name, value)

    def load(self) -> Flask:
        """Runs in the worker (no preload, see the module's docstring)."""
        try:
            return create_app(self.config)
        except (DomainError, StorageConfigError, PersistenceError) as error:
            # gunicorn prints an AppImportError's message as one line and stops.
            field = getattr(error, "field", None) or "database_url"
            where = without_password(self.config.database_url)
            raise AppImportError(f"lessonstudy: error: {field}: {where}: {error}") from error


def require_free_port(host: str, port: int) -> None:
    """One clear line and exit status 2 if the port is taken, before anything starts.
    (gunicorn itself would retry for five seconds, then log several lines.)"""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # As gunicorn binds: a port left in TIME_WAIT by the last run is free to use.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                fail(
                    "port",
                    f"{host}:{port} is already in use (another server is running there?);"
                    " stop it or choose another with --port",
                )
            fail("host", f"cannot listen on {host}:{port}: {error.strerror}")


def serve_with_gunicorn(config: ServerConfig, *, host: str, port: int, threads: int) -> None:
    """Serve until Ctrl+C (SIGINT) or SIGTERM; gunicorn exits the process itself."""
    LessonStudyServer(config, host=host, port=port, threads=threads).run()


def serve_for_development(config: ServerConfig, *, host: str, port: int) -> None:
    """Werkzeug's development server, in this process (--dev): reloads nothing, but
    shows errors in the terminal as they happen."""
    app = create_app(config)
    socketio = app.extensions["lessonstudy"].socketio
    socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True, log_output=False)

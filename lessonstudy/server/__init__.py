"""The web server: a Flask app factory and nothing at module level.

``create_app(config)`` builds the application service, the read models and their
follower, Socket.IO and the HTTP blueprints, and keeps them on the app
(``app.extensions["lessonstudy"]``), so a test, the embedded default and a
scaled-out deployment run the same code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from flask_socketio import SocketIO

from lessonstudy.application import LessonStudy
from lessonstudy.projections.dashboard_queries import DashboardQueries
from lessonstudy.projections.database import read_model_engine
from lessonstudy.projections.follower import Follower
from lessonstudy.projections.registry import read_models
from lessonstudy.server import http_errors, pages, vendor
from lessonstudy.server.api import setup_api
from lessonstudy.server.auth import limit_sign_in, setup_auth
from lessonstudy.server.config import ServerConfig
from lessonstudy.server.context import Services, services
from lessonstudy.server.realtime import (
    acks,
    connection,
    discussion,
    message_queue,
    observation,
    planning,
    presence,
    revocation,
    socket_session,
)
from lessonstudy.storage import STATEMENT_TIMEOUT

WEB_DIR = Path(__file__).resolve().parents[2] / "web"


def create_app(config: ServerConfig | None = None) -> Flask:
    config = (config or ServerConfig.from_environment()).with_secret()
    app = Flask(
        "lessonstudy",
        template_folder=str(WEB_DIR / "templates"),
        static_folder=str(WEB_DIR / "static"),
    )
    app.config.update(_flask_settings(config))
    socket_session.install(app)

    service = LessonStudy(config.database_url)
    engine = read_model_engine(service.store, statement_timeout=STATEMENT_TIMEOUT)
    views = read_models()
    dashboard = views.dashboard
    follower = Follower(service, engine, views)
    follower.create_tables()
    socketio = SocketIO(
        app,
        async_mode="threading",
        # Redis between processes; a subscription that comes back tells rooms to catch up.
        client_manager=message_queue.redis_manager(config.redis_url),
        # None means same-origin only; never "*".
        cors_allowed_origins=list(config.allowed_origins) or None,
        max_http_buffer_size=acks.MAX_MESSAGE_BYTES,  # read and answer every valid event
    )
    app.extensions["lessonstudy"] = Services(
        service=service,
        engine=engine,
        follower=follower,
        read_models=views,
        dashboard=dashboard,
        queries=DashboardQueries(engine, dashboard),
        socketio=socketio,
        config=config,
    )
    _register(app, config)
    revocation.setup(app, socketio, service, config.redis_url)
    if config.follow == "thread":
        follower.start()
    return app


def _flask_settings(config: ServerConfig) -> dict[str, Any]:
    return {
        "SECRET_KEY": config.secret_key,
        "TESTING": config.testing,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": config.secure_cookies,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "MAX_CONTENT_LENGTH": 12 * 1024 * 1024,  # photos of student work
        "JSON_SORT_KEYS": False,
    }


def _register(app: Flask, config: ServerConfig) -> None:
    http_errors.register(app)
    limiter = setup_auth(app, config)
    setup_api(app)
    pages.register(app)
    # The sign-in form and the API's sign-in, each throttled on its own.
    for endpoint in ("pages.sign_in_submit", "session.sign_in"):
        limit_sign_in(app, limiter, endpoint)
    vendor.register(app, WEB_DIR / "node_modules")
    _register_realtime(app.extensions["lessonstudy"].socketio, config.redis_url)

    @app.get("/healthz")
    def health() -> dict[str, Any]:
        # Read from the database on every request: with LESSONSTUDY_FOLLOW=none a worker
        # moves the views on, and this process's own positions are of when it started.
        progress = services().follower.stored_progress()
        return {
            "status": "ok",
            "log_head": progress.log_head,
            "projections": [
                {
                    "name": s.name,
                    "position": s.position,
                    "error": s.error,
                    "rebuild_needed": s.rebuild_needed,
                }
                for s in progress.projections
            ],
        }


def _register_realtime(socketio: SocketIO, redis_url: str | None) -> None:
    connection.register(socketio)
    planning.register(socketio)
    observation.register(socketio)
    presence.register(socketio, redis_url)
    discussion.register(socketio)

"""The request's services: what ``create_app`` built, found from inside a request.

A module of its own so that every handler can import ``services`` at its top: it
imports nothing of the server's blueprints, pages or Socket.IO handlers, which
``create_app`` in ``lessonstudy.server`` does.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_socketio import SocketIO
from sqlalchemy import Engine

from lessonstudy.application import LessonStudy
from lessonstudy.projections.dashboard import Dashboard
from lessonstudy.projections.dashboard_queries import DashboardQueries
from lessonstudy.projections.follower import Follower
from lessonstudy.projections.registry import ReadModels
from lessonstudy.server.config import ServerConfig


@dataclass
class Services:
    """Everything a request handler may use, built once per app."""

    service: LessonStudy
    engine: Engine
    follower: Follower
    read_models: ReadModels  # the follower's, by name
    dashboard: Dashboard
    queries: DashboardQueries
    socketio: SocketIO
    config: ServerConfig


def services() -> Services:
    found: Services = current_app.extensions["lessonstudy"]
    return found

"""Server-rendered pages (Jinja templates in web/templates, ES modules in web/static).

Pages read through the service and the projections' queries; the plan editor's
scripts write through the REST API (/api/v1) and hear others' changes on Socket.IO.
Forms that create things (teams, tasks, lessons, sign-in) post to page routes that
call the service directly, so they work without JavaScript.
"""

from __future__ import annotations

from flask import Flask

# Each page module adds its routes to the pages blueprint (common.bp) when imported.
from lessonstudy.server.pages import (  # noqa: F401
    account,
    catalogue,
    discussion,
    discussion_record,
    lessons,
    tasks,
    teaching,
    teams,
)
from lessonstudy.server.pages.common import bp


def register(app: Flask) -> None:
    app.register_blueprint(bp)

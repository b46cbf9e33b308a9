"""Server-rendered pages (Jinja templates in web/templates, ES modules in web/static).

Pages read through the service and the projections' queries; the plan editor's
scripts write through the REST API (/api/v1) and hear others' changes on Socket.IO.
Forms that create things (teams, tasks, lessons, sign-in) post to page routes that
call the service directly, so they work without JavaScript.
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("pages", __name__)


def register(app: Flask) -> None:
    # Page modules add their routes to bp when imported.
    from lessonstudy.server.pages import (  # noqa: F401
        account,
        catalogue,
        catalogue_school,
        common,
        discussion,
        discussion_record,
        lessons,
        tasks,
        teaching,
        teams,
    )

    app.register_blueprint(bp)
    account.limit_sign_in(app)

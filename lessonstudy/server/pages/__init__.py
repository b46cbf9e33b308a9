"""Server-rendered pages (Jinja templates in web/templates, ES modules in web/static)."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("pages", __name__)


def register(app: Flask) -> None:
    # Page modules add their routes to bp when imported.
    app.register_blueprint(bp)

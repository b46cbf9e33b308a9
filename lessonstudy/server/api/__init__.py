"""The REST API under /api/v1: flask-smorest blueprints with marshmallow schemas.

The OpenAPI document is generated from the schemas at /api/openapi.json, and a
browsable page (Swagger UI, from the npm registry, served locally) is at /api/docs.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_smorest import Api
from werkzeug.exceptions import HTTPException

from lessonstudy.server.api.catalogue import (
    catalogue_blp,
    curation_blp,
    misconceptions_blp,
    school_link_blp,
)
from lessonstudy.server.api.discussion import blp as discussion_blp
from lessonstudy.server.api.discussion import record_blp as discussion_record_blp
from lessonstudy.server.api.history import blp as history_blp
from lessonstudy.server.api.lessons import blp as lessons_blp
from lessonstudy.server.api.plan import blp as plan_blp
from lessonstudy.server.api.schemas import ErrorResponseSchema
from lessonstudy.server.api.session import blp as session_blp
from lessonstudy.server.api.tasks import blp as tasks_blp
from lessonstudy.server.api.teaching import blp as teaching_blp
from lessonstudy.server.api.teams import blp as teams_blp
from lessonstudy.server.errors import error_body, validation_error_body


class LessonStudyApi(Api):
    """flask-smorest's Api, answering HTTP errors in the project's one error shape."""

    ERROR_SCHEMA = ErrorResponseSchema

    def handle_http_exception(self, error: HTTPException) -> tuple[dict[str, Any], int, dict]:
        status = error.code or 500
        data = getattr(error, "data", None) or {}
        if status == 422 and data.get("messages"):
            return validation_error_body(data["messages"]), 422, data.get("headers", {})
        code = (error.name or "error").lower().replace(" ", "_")
        message = data.get("message") or error.description or error.name
        return error_body(status, code, message), status, data.get("headers", {})


def setup_api(app: Flask) -> LessonStudyApi:
    app.config.update(
        API_TITLE="lessonstudy",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="/docs",
        OPENAPI_SWAGGER_UI_URL="/vendor/swagger-ui-dist/",
    )
    api = LessonStudyApi(app)
    for blueprint in (
        session_blp,
        teams_blp,
        tasks_blp,
        lessons_blp,
        plan_blp,
        history_blp,
        misconceptions_blp,
        teaching_blp,
        catalogue_blp,
        school_link_blp,
        discussion_blp,
        discussion_record_blp,
        curation_blp,
    ):
        api.register_blueprint(blueprint)
    return api

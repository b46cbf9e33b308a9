"""Every error leaves the server in the one JSON shape (see errors.py)."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, jsonify
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from lessonstudy.domain.errors import DomainError
from lessonstudy.server.errors import (
    domain_error_body,
    error_body,
    unexpected_error_body,
    validation_error_body,
)

log = logging.getLogger(__name__)


def register(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(error: DomainError) -> tuple[Response, int]:
        body, status = domain_error_body(error)
        return _answer(body, status)

    @app.errorhandler(ValidationError)
    def validation_error(error: ValidationError) -> tuple[Response, int]:
        messages: Any = error.messages
        return jsonify(validation_error_body(messages)), 422

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[Response, int]:
        status = error.code or 500
        messages = getattr(error, "data", {}).get("messages") if status == 422 else None
        if messages:
            return jsonify(validation_error_body(messages)), 422
        code = (error.name or "error").lower().replace(" ", "_")
        return jsonify(error_body(status, code, error.description or error.name)), status

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> tuple[Response, int]:
        body, status = unexpected_error_body(error)
        if status == 503:  # the database is down or stuck: expected, and said in one line
            log.warning("database unavailable: %s: %s", type(error).__name__, error)
        else:
            log.exception("unexpected error")
        return _answer(body, status)


# A 503 says when it is worth trying again (Retry-After, RFC 9110): an outage is
# seconds at least, and resending at once only adds load to a server waiting for it.
RETRY_AFTER_SECONDS = 2


def _answer(body: dict[str, Any], status: int) -> tuple[Response, int]:
    response = jsonify(body)
    if status == 503:
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response, status

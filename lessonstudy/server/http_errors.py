"""Every error leaves the server in the one JSON shape (see errors.py)."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, jsonify
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from lessonstudy.domain.errors import DomainError
from lessonstudy.server.errors import domain_error_body, error_body, validation_error_body

log = logging.getLogger(__name__)


def register(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(error: DomainError) -> tuple[Response, int]:
        body, status = domain_error_body(error)
        return jsonify(body), status

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
        log.exception("unexpected error")
        return jsonify(error_body(500, "internal", "something went wrong on the server")), 500

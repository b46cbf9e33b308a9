"""One JSON shape for every error, over HTTP and in Socket.IO acks.

    {"error": {"status": 422, "code": "invalid", "message": "...",
               "fields": {"title": ["must not be empty"]}, "current": {...}}}

422 bad input (naming the field), 401 not signed in, 403 not allowed, 404 not found,
409 conflict (with the current state), 503 storage unavailable.
"""

from __future__ import annotations

from typing import Any

import eventsourcing.persistence
import psycopg
import sqlalchemy.exc

from lessonstudy.application.accounts import InvalidCredentialsError
from lessonstudy.application.errors import StorageUnavailableError
from lessonstudy.domain.errors import (
    ConflictError,
    DomainError,
    EvidenceRequiredError,
    InvalidValueError,
    LifecycleError,
    NotAMemberError,
    NotFoundError,
    PermissionDeniedError,
)


class NotSignedInError(DomainError):
    """Raised when a request that needs a signed-in person has none."""


# Most specific first: the first matching class decides the status.
STATUS: list[tuple[type[DomainError], int, str]] = [
    (ConflictError, 409, "conflict"),
    (InvalidCredentialsError, 401, "invalid_credentials"),
    (NotSignedInError, 401, "not_signed_in"),
    (NotFoundError, 404, "not_found"),
    (NotAMemberError, 403, "forbidden"),
    (PermissionDeniedError, 403, "forbidden"),
    (StorageUnavailableError, 503, "unavailable"),
    (EvidenceRequiredError, 422, "evidence_required"),
    (LifecycleError, 409, "wrong_stage"),
    (InvalidValueError, 422, "invalid"),
    (DomainError, 422, "invalid"),
]


def error_body(
    status: int,
    code: str,
    message: str,
    fields: dict[str, list[str]] | None = None,
    current: dict[str, Any] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {"status": status, "code": code, "message": message}
    if fields:
        body["fields"] = fields
    if current is not None:
        body["current"] = current
    return {"error": body}


def domain_error_body(error: DomainError) -> tuple[dict[str, Any], int]:
    for cls, status, code in STATUS:
        if isinstance(error, cls):
            fields = {error.field: [error.message]} if error.field else None
            current = error.current if isinstance(error, ConflictError) else None
            return error_body(status, code, error.message, fields, current), status
    raise AssertionError("DomainError is in the table")  # pragma: no cover


# What reaching a database that is down, restarting or stuck raises (refused or broken
# connections, no pooled connection in time, a statement cancelled at its timeout):
# the event store's library wraps its driver's errors in its own classes; the read
# models' SQLAlchemy keeps the driver's error as `orig`.
EVENT_STORE_UNAVAILABLE = (
    eventsourcing.persistence.OperationalError,
    eventsourcing.persistence.InterfaceError,
)
DRIVER_UNAVAILABLE = (psycopg.OperationalError, psycopg.InterfaceError)
UNAVAILABLE_MESSAGE = "the database is not available; try again in a moment"


def storage_unavailable(error: BaseException) -> bool:
    """Whether error means the database could not be reached or did not answer in time
    (503, resend later) rather than a fault of the server (500)."""
    if isinstance(error, (*EVENT_STORE_UNAVAILABLE, *DRIVER_UNAVAILABLE)):
        return True
    if isinstance(error, sqlalchemy.exc.TimeoutError):  # no pooled connection in time
        return True
    return isinstance(error, sqlalchemy.exc.DBAPIError) and isinstance(
        error.orig, DRIVER_UNAVAILABLE
    )


def unexpected_error_body(error: BaseException) -> tuple[dict[str, Any], int]:
    """The body and status for an error no handler expected: 503 ``unavailable`` naming
    the database when it could not be reached, else 500 ``internal``."""
    if storage_unavailable(error):
        return domain_error_body(StorageUnavailableError(UNAVAILABLE_MESSAGE))
    return error_body(500, "internal", "something went wrong on the server"), 500


def validation_error_body(messages: dict[str, Any]) -> dict[str, Any]:
    """A marshmallow ValidationError's messages, flattened to dotted field names."""
    fields: dict[str, list[str]] = {}
    _flatten(messages, "", fields)
    first = next(iter(fields.items()), ("request", ["is not valid"]))
    return error_body(422, "invalid", f"{first[0]}: {first[1][0]}", fields)


def _flatten(messages: Any, prefix: str, into: dict[str, list[str]]) -> None:
    if isinstance(messages, dict):
        for key, value in messages.items():
            # webargs' locations, and marshmallow's "_schema": an error about the value
            # as a whole (a nested object that is not one), named by its own field.
            if key in ("json", "query", "form", "view_args", "headers", "_schema"):
                _flatten(value, prefix, into)
            else:
                _flatten(value, f"{prefix}{key}.", into)
    elif isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        into[prefix.rstrip(".") or "request"] = list(messages)
    elif isinstance(messages, list):
        for index, item in enumerate(messages):
            _flatten(item, f"{prefix}{index}.", into)
    else:
        into[prefix.rstrip(".") or "request"] = [str(messages)]

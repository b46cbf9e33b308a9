"""The ack every Socket.IO event answers with: ``{ok: true, ...}`` or the REST API's
error body (docs/realtime.md section 2), for the teaching, discussion and presence events."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from marshmallow import ValidationError

from lessonstudy.domain.errors import DomainError
from lessonstudy.server.errors import (
    domain_error_body,
    unexpected_error_body,
    validation_error_body,
)

log = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any]], dict[str, Any]]

# The largest Socket.IO message the transport takes (engine.io's max_http_buffer_size;
# its default of 1 MB closed the transport on a long note instead of answering it).
# Far above any valid event (a note is at most about 150 KB even in escaped JSON), so
# every message a client may send is read and answered, a bad one with the schema's
# 422 naming the field; one over it closes the transport unanswered (docs/realtime.md
# section 2 says what a client does then).
MAX_MESSAGE_BYTES = 8 * 1024 * 1024


def acked(handler: Handler) -> Callable[[Any], dict[str, Any]]:
    """The handler's answer with ok: true, or the REST API's error body, as the ack."""

    @functools.wraps(handler)
    def answer(payload: Any = None) -> dict[str, Any]:
        try:
            if not isinstance(payload, dict):
                raise ValidationError({"request": ["the payload must be an object"]})
            return {"ok": True, **handler(payload)}
        except ValidationError as error:
            messages: Any = error.messages
            return validation_error_body(messages)
        except DomainError as error:
            return domain_error_body(error)[0]
        except Exception as error:  # the client still gets an answer, and can resend later
            body, status = unexpected_error_body(error)  # 503 if the database is down
            if status == 503:
                log.warning("socket event %s: database unavailable: %s", handler.__name__, error)
            else:
                log.exception("socket event %s failed", handler.__name__)
            return body

    return answer

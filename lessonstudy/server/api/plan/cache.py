"""The plan API's answer, encoded once per plan revision and reused.

A plan at a given revision never changes, and a team planning together reads the same
revision many times: each planner's page loads the plan, and after every edit each
other open page fetches it again. Dumping a 30-step plan through the marshmallow
schema (its steps, responses and a few hundred "last changed" entries) was two thirds
of that request, so each answer is dumped and encoded once and kept in a small cache
on the app (per process; nothing shared, nothing to invalidate).

The key is everything the answer is made from: the lesson, its revision, and the
names shown for who last changed each part (a person can be renamed without the plan
changing). The service still loads the lesson and checks access on every request.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any

from cachetools import LRUCache
from flask import Flask, current_app, jsonify
from werkzeug.wrappers import Response

PLAN_BODIES = "lessonstudy.plan_bodies"


class EncodedBodies:
    """Encoded JSON answers by key, the least recently used dropped beyond maxsize."""

    def __init__(self, maxsize: int = 64) -> None:
        self._bodies: LRUCache[Hashable, bytes] = LRUCache(maxsize=maxsize)
        self._lock = threading.Lock()  # requests are served on several threads

    def response(self, key: Hashable, dump: Callable[[], Any]) -> Response:
        with self._lock:
            body = self._bodies.get(key)
        if body is None:
            # Encoded as flask-smorest encodes a dumped answer: the app's jsonify.
            body = jsonify(dump()).get_data()
            with self._lock:
                self._bodies[key] = body
        return current_app.response_class(body, mimetype=current_app.json.mimetype)  # type: ignore[attr-defined]


def plan_bodies(app: Flask) -> EncodedBodies:
    """The app's cache, made on first use (an app factory keeps no module state)."""
    found = app.extensions.get(PLAN_BODIES)
    if found is None:
        found = app.extensions.setdefault(PLAN_BODIES, EncodedBodies())
    assert isinstance(found, EncodedBodies)
    return found

"""A Socket.IO event uses its connection's session; it does not open the cookie again."""

from __future__ import annotations

from typing import Any

import pytest
from flask.sessions import SecureCookieSessionInterface
from realtime.room import Lesson, record


def test_events_after_connecting_do_not_open_the_session_cookie(
    lesson: Lesson, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = lesson.world
    obi = lesson.observer(world.obi)  # connected and joined: the connection's session exists
    opened: list[str] = []
    open_cookie = SecureCookieSessionInterface.open_session

    def counting(self: Any, app: Any, request: Any) -> Any:
        opened.append(request.path)
        return open_cookie(self, app, request)

    monkeypatch.setattr(SecureCookieSessionInterface, "open_session", counting)
    ack = record(obi, lesson, text='"Four of them are red"')
    assert ack["ok"] is True
    assert ack["note"]["observer_id"] == world.obi.id  # still the connection's person
    assert opened == []
    # An HTTP request still reads who is signed in from its own cookie.
    assert world.obi.get("/api/v1/session").get_json()["person"]["id"] == world.obi.id
    assert opened == ["/api/v1/session"]

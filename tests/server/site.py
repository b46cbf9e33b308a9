"""A running app for the server tests, and people using it through their own browsers.

Imported by the test modules as ``server.site`` (tests/ is on the path). Everything is
built through the HTTP API, as a page would, so the tests exercise what people do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from lessonstudy.application import accounts
from lessonstudy.server import create_app
from lessonstudy.server.config import ServerConfig
from lessonstudy.server.context import Services

PASSWORD = "correct horse battery"

TASK = {
    "statement": "Bag A has 3 red and 1 white ball, bag B 6 red and 2 white. Which bag"
    " gives the better chance of red?",
    "subject": "mathematics",
    "grade": "6",
    "topic": "probability",
    "materials": "two bags, coloured balls",
    "cognitive_demand": "analyse",
}


@dataclass
class Person:
    """Someone at a browser: a cookie jar, and the CSRF token their page would send."""

    client: FlaskClient
    name: str
    id: str = ""
    csrf: str = ""

    def refresh_token(self) -> None:
        self.csrf = self.client.get("/api/v1/session").get_json()["csrf_token"]

    def call(self, method: str, path: str, body: Any = None, **kwargs: Any) -> TestResponse:
        headers = {"X-CSRFToken": self.csrf, **kwargs.pop("headers", {})}
        if body is not None:
            kwargs["json"] = body
        return self.client.open(path, method=method, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        return self.call("GET", path, **kwargs)

    def post(self, path: str, body: Any = None, **kwargs: Any) -> TestResponse:
        return self.call("POST", path, body, **kwargs)

    def put(self, path: str, body: Any = None, **kwargs: Any) -> TestResponse:
        return self.call("PUT", path, body, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> TestResponse:
        return self.call("DELETE", path, **kwargs)


@dataclass
class Site:
    app: Flask
    people: dict[str, Person] = field(default_factory=dict)

    @property
    def services(self) -> Services:
        found: Services = self.app.extensions["lessonstudy"]
        return found

    def head(self) -> int:
        """The log's last position: unchanged by a refused request."""
        return self.services.service.recorder.max_notification_id() or 0

    def settle(self) -> None:
        """Wait until the read models have every event so far."""
        assert self.services.follower.wait_for(self.head(), timeout=10)

    def visitor(self, name: str = "visitor") -> Person:
        """Someone who has not signed in (but has a page, so a CSRF token)."""
        person = Person(self.app.test_client(), name)
        person.refresh_token()
        return person

    def sign_up(self, name: str) -> Person:
        person = self.visitor(name)
        email = f"{name.lower()}@school.example"
        body = {"email": email, "display_name": name, "password": PASSWORD}
        answer = person.post("/api/v1/accounts", body)
        assert answer.status_code == 201, answer.get_json()
        person.id = answer.get_json()["person"]["id"]
        person.refresh_token()  # a new session after signing in: a new token
        self.people[name] = person
        return person


SiteFactory = Callable[[str], "Site"]


def config(database_url: str) -> ServerConfig:
    return ServerConfig(database_url=database_url, secret_key="test", testing=True, follow="thread")


def _cheap_hasher() -> PasswordHasher:
    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@contextmanager
def sites() -> Iterator[SiteFactory]:
    """Builds apps on database URLs and stops their followers and stores afterwards."""
    sites: list[Site] = []

    def make(url: str) -> Site:
        site = Site(create_app(config(url)))
        sites.append(site)
        return site

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(accounts, "PasswordHasher", _cheap_hasher)
        yield make
    for site in sites:
        site.services.follower.stop()
        site.services.service.close()
        site.services.engine.dispose()


def ok(answer: TestResponse, status: int = 200) -> Any:
    """The JSON body of an answer that must have this status (shown when it has not)."""
    assert answer.status_code == status, (answer.status_code, answer.get_data(as_text=True))
    return answer.get_json()


def error(answer: TestResponse, status: int) -> dict[str, Any]:
    """The error of an answer that must be refused with this status, in the one shape."""
    assert answer.status_code == status, (answer.status_code, answer.get_data(as_text=True))
    body = answer.get_json()
    assert set(body) == {"error"}, body
    assert body["error"]["status"] == status
    assert body["error"]["message"]
    found: dict[str, Any] = body["error"]
    return found


def refused(site: Site, status: int, call: Callable[[], TestResponse]) -> dict[str, Any]:
    """The request is refused with status in the one error shape, and writes nothing."""
    head = site.head()
    found = error(call(), status)
    assert site.head() == head, "a refused request wrote to the log"
    return found

"""An integer in a JSON body or a Socket.IO payload is a JSON integer: "5", 1.5 and true
are refused by name, never read as 5 or 1 (docs/api.md, docs/realtime.md section 2).

Checked on every schema the server reads a body or payload with: every StrictSchema
but those that read a query string (named ...QuerySchema; their integers arrive as
digits in text), so a new schema is held to it without anyone remembering to add it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from flask import Flask
from marshmallow import Schema, fields
from server.site import config

from lessonstudy.server import create_app
from lessonstudy.server.api.schemas import StrictSchema


@pytest.fixture(scope="module")
def app() -> Iterator[Flask]:
    app = create_app(replace(config("memory://"), follow="none"))
    yield app
    app.extensions["lessonstudy"].service.close()


def subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from subclasses(sub)


def query_schemas(app: Flask) -> set[type]:
    found = set()
    for view in app.view_functions.values():
        for parameter in getattr(view, "_apidoc", {}).get("arguments", {}).get("parameters", []):
            if parameter["in"] == "query":
                schema = parameter["schema"]
                found.add(schema if isinstance(schema, type) else type(schema))
    return found


def integers(schema: Schema, path: str = "") -> Iterator[tuple[str, fields.Integer]]:
    for name, field in schema.fields.items():
        yield from _integers_in(field, f"{path}{name}")


def _integers_in(field: Any, path: str) -> Iterator[tuple[str, fields.Integer]]:
    if isinstance(field, fields.Integer):
        yield path, field
    elif isinstance(field, fields.Nested):
        yield from integers(field.schema, f"{path}.")
    elif isinstance(field, fields.List):
        yield from _integers_in(field.inner, f"{path}.0")


def is_query(cls: type) -> bool:
    return cls.__name__.endswith("QuerySchema")


def test_query_schemas_are_named_so(app: Flask) -> None:
    assert all(is_query(cls) for cls in query_schemas(app)), query_schemas(app)


def test_every_integer_a_client_sends_in_json_is_strict(app: Flask) -> None:
    read = [cls for cls in set(subclasses(StrictSchema)) if not is_query(cls)]
    assert len(read) > 40  # the bodies and payloads were found
    lax = sorted(
        f"{cls.__module__}.{cls.__name__}.{path}"
        for cls in read
        for path, field in integers(cls())
        if not field.strict
    )
    assert lax == []

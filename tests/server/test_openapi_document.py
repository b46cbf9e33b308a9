"""The OpenAPI document the server generates from its schemas is valid OpenAPI.

schemathesis (test_api_properties.py) exercises it; this checks it against the
specification itself, and that it describes every /api/v1 route the app serves,
so a client generated from it misses nothing.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import pytest
from flask import Flask
from openapi_spec_validator import validate
from server.site import config

from lessonstudy.server import create_app


@pytest.fixture(scope="module")
def app() -> Any:
    app: Flask = create_app(replace(config("memory://"), follow="none"))
    yield app
    app.extensions["lessonstudy"].service.close()


def _document(app: Flask) -> dict[str, Any]:
    answer = app.test_client().get("/api/openapi.json")
    assert answer.status_code == 200
    assert answer.mimetype == "application/json"
    document: dict[str, Any] = answer.get_json()
    return document


def test_the_document_validates_against_the_openapi_specification(app: Flask) -> None:
    document = _document(app)
    assert document["openapi"].startswith("3.0")
    validate(document)  # raises OpenAPIValidationError naming the offending path


def test_every_api_route_is_in_the_document(app: Flask) -> None:
    documented = {
        (path, method.upper())
        for path, operations in _document(app)["paths"].items()
        for method in operations
        if method != "parameters"
    }
    served = {
        (re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule), method)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
        for method in rule.methods or ()
        if method not in {"HEAD", "OPTIONS"}
    }
    assert served - documented == set()


def test_a_broken_document_is_refused_by_the_same_check(app: Flask) -> None:
    # The check above can fail: an operation without its required responses is invalid.
    document = _document(app)
    operations = next(iter(document["paths"].values()))
    method = next(m for m in operations if m != "parameters")
    del operations[method]["responses"]
    with pytest.raises(Exception, match="responses"):
        validate(document)

"""Accounts and the sign-in session."""

from __future__ import annotations

from typing import Any

from flask_login import login_user, logout_user
from flask_smorest import Blueprint
from flask_wtf.csrf import generate_csrf
from marshmallow import fields, validate

from lessonstudy.server.api.access import no_query
from lessonstudy.server.api.schemas import PersonSchema, StrictSchema
from lessonstudy.server.auth import SignedInPerson, current_person
from lessonstudy.server.context import services
from lessonstudy.server.errors import NotSignedInError

blp = Blueprint("session", __name__, url_prefix="/api/v1", description="Accounts and sign-in")


class RegisterSchema(StrictSchema):
    email = fields.Email(required=True, validate=validate.Length(max=320))
    display_name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    password = fields.String(
        required=True, load_only=True, validate=validate.Length(min=10, max=1024)
    )


class SignInSchema(StrictSchema):
    email = fields.String(required=True, validate=validate.Length(min=1, max=320))
    password = fields.String(
        required=True, load_only=True, validate=validate.Length(min=1, max=1024)
    )
    remember = fields.Boolean(load_default=False)


class SessionSchema(StrictSchema):
    person = fields.Nested(PersonSchema, allow_none=True)
    csrf_token = fields.String(required=True)


def _session_body(person: SignedInPerson | None) -> dict[str, Any]:
    return {"person": person, "csrf_token": generate_csrf()}


@blp.route("/accounts", methods=["POST"])
@blp.arguments(RegisterSchema)
@blp.response(201, SessionSchema)
def register(body: dict[str, Any]) -> dict[str, Any]:
    """Create an account and sign in with it."""
    service = services().service
    account_id = service.register_account(**body)
    account = service.get_account(account_id)
    person = SignedInPerson(account.id, account.email, account.display_name)
    login_user(person)
    return _session_body(person)


@blp.route("/session", methods=["GET"])
@no_query(blp)
@blp.response(200, SessionSchema)
def read_session() -> dict[str, Any]:
    """Who is signed in (or null), and the CSRF token for state-changing requests."""
    try:
        return _session_body(current_person())
    except NotSignedInError:
        return _session_body(None)


@blp.route("/session", methods=["POST"])
@blp.arguments(SignInSchema)
@blp.response(200, SessionSchema)
def sign_in(body: dict[str, Any]) -> dict[str, Any]:
    """Sign in. Repeated failures from one address or for one e-mail are slowed down."""
    account = services().service.authenticate(email=body["email"], password=body["password"])
    person = SignedInPerson(account.id, account.email, account.display_name)
    login_user(person, remember=body["remember"])
    return _session_body(person)


@blp.route("/session", methods=["DELETE"])
@blp.response(204)
def sign_out() -> None:
    """Sign out."""
    logout_user()

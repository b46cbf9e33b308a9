"""Who is asking: sign-in sessions (Flask-Login), CSRF (Flask-WTF), sign-in throttling.

The signed-in person is their account; their id is the ``actor_id`` every command
receives. Cookie sessions are HttpOnly and SameSite=Lax, and every state-changing
request must carry the CSRF token (a form field, or the X-CSRFToken header that the
pages' scripts send).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from flask import Flask, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, UserMixin, current_user
from flask_wtf.csrf import CSRFProtect

from lessonstudy.domain.errors import NotFoundError
from lessonstudy.server.config import ServerConfig
from lessonstudy.server.context import services
from lessonstudy.server.errors import NotSignedInError


@dataclass
class SignedInPerson(UserMixin):
    id: str
    email: str
    display_name: str


def setup_auth(app: Flask, config: ServerConfig) -> Limiter:
    login = LoginManager(app)
    login.login_view = "pages.sign_in"
    login.session_protection = "strong"

    @login.user_loader
    def load_person(person_id: str) -> SignedInPerson | None:
        try:
            account = services().service.get_account(person_id)
        except NotFoundError:
            return None
        return SignedInPerson(account.id, account.email, account.display_name)

    @login.unauthorized_handler
    def unauthorized() -> None:
        raise NotSignedInError("sign in first", field="session")

    app.config["WTF_CSRF_TIME_LIMIT"] = None  # valid for the session: plans take days
    app.config["WTF_CSRF_HEADERS"] = ["X-CSRFToken"]
    CSRFProtect(app)

    return Limiter(
        get_remote_address,
        app=app,
        storage_uri=config.redis_url or "memory://",
        default_limits=[],
        headers_enabled=True,
    )


def limit_sign_in(app: Flask, limiter: Limiter, endpoint: str) -> None:
    """Five failed sign-ins a minute per address and e-mail at endpoint; successes
    (anything but 401) do not count."""
    limit = limiter.limit(
        f"{app.config.get('LOGIN_ATTEMPTS_PER_MINUTE', 5)}/minute",
        key_func=sign_in_limit_key,
        deduct_when=lambda response: response.status_code == 401,
    )
    # flask-limiter types the limited view as possibly async; these views are not.
    app.view_functions[endpoint] = cast(Any, limit(app.view_functions[endpoint]))


def sign_in_limit_key() -> str:
    """Failed sign-ins are slowed per address and per e-mail, whichever comes first."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):  # a JSON list or string is refused later, not a 500 here
        body = request.form
    email = str(body.get("email", "")).strip().lower() if body else ""
    return f"{get_remote_address()}|{email}"


def current_person() -> SignedInPerson:
    if not current_user.is_authenticated:
        raise NotSignedInError("sign in first", field="session")
    person: SignedInPerson = current_user._get_current_object()
    return person

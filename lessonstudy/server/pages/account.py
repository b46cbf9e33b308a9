"""Sign up, sign in, sign out, and joining a team by an invitation link."""

from __future__ import annotations

from typing import Any

from flask import redirect, render_template, request
from flask_login import login_user, logout_user
from werkzeug.wrappers import Response

from lessonstudy.application.accounts import InvalidCredentialsError
from lessonstudy.domain.errors import DomainError
from lessonstudy.server.auth import SignedInPerson
from lessonstudy.server.context import services
from lessonstudy.server.pages.common import bp, me, page_redirect, safe_next, settle, signed_in


def _form_page(template: str, status: int = 200, **context: Any) -> tuple[str, int]:
    return render_template(template, next=safe_next(request.values.get("next")), **context), status


@bp.get("/sign-in")
def sign_in() -> tuple[str, int]:
    return _form_page("sign_in.html", email="")


@bp.post("/sign-in")
def sign_in_submit() -> Any:
    email = request.form.get("email", "").strip()
    try:
        account = services().service.authenticate(
            email=email, password=request.form.get("password", "")
        )
    except InvalidCredentialsError as error:
        # 401 is what the sign-in throttle counts (auth.limit_sign_in).
        return _form_page("sign_in.html", 401, email=email, error=error.message)
    login_user(
        SignedInPerson(account.id, account.email, account.display_name),
        remember=request.form.get("remember") == "on",
    )
    return _go_next()


@bp.get("/sign-up")
def sign_up() -> tuple[str, int]:
    return _form_page("sign_up.html", email="", display_name="")


@bp.post("/sign-up")
def sign_up_submit() -> Any:
    values = {
        "email": request.form.get("email", "").strip(),
        "display_name": request.form.get("display_name", "").strip(),
    }
    service = services().service
    try:
        account_id = service.register_account(**values, password=request.form.get("password", ""))
    except DomainError as error:
        return _form_page(
            "sign_up.html", 422, **values, error=error.message, error_field=error.field
        )
    account = service.get_account(account_id)
    login_user(SignedInPerson(account.id, account.email, account.display_name))
    return _go_next()


@bp.post("/sign-out")
def sign_out() -> Response:
    logout_user()
    return page_redirect("pages.sign_in")


@bp.get("/join/<code>")
@signed_in
def join(code: str) -> str:
    return render_template("join.html", code=code)


@bp.post("/join/<code>")
@signed_in
def join_submit(code: str) -> Any:
    person = me()
    try:
        team_id = services().service.accept_invitation(
            code=code, person_id=person.id, name=person.display_name
        )
    except DomainError as error:
        return render_template("join.html", code=code, error=error.message), 422
    settle()
    return page_redirect("pages.team", team_id=team_id)


def _go_next() -> Response:
    return redirect(safe_next(request.form.get("next") or request.args.get("next")), code=303)

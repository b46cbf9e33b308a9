"""What every page shares: the blueprint, sign-in checks, read-your-writes, error pages, filters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from lessonstudy.domain.errors import DomainError
from lessonstudy.server.auth import SignedInPerson
from lessonstudy.server.context import services
from lessonstudy.server.errors import domain_error_body

F = TypeVar("F", bound=Callable[..., Any])

# The one blueprint of every page; each page module adds its routes to it.
bp = Blueprint("pages", __name__)

# Where a study lesson stands in the cycle, in the words teachers use for it.
STAGES: dict[str, tuple[str, str]] = {
    "planning": ("plan", "Planning"),
    "scheduled": ("teach", "Ready to teach"),
    "teaching": ("teach", "Being taught now"),
    "taught": ("discuss", "Taught; discussion next"),
    "discussing": ("discuss", "In discussion"),
}
CYCLE = [
    ("plan", "Plan"),
    ("teach", "Teach & observe"),
    ("discuss", "Discuss"),
    ("revise", "Revise"),
]


# An id no lesson has, put in a URL so that url_for is called once per page, not per
# card: the other ids are swapped in (a third of the dashboard's time was url_for).
_PLACEHOLDER = "00000000-0000-4000-8000-000000000000"


def links_by_id(endpoint: str, key: str) -> Callable[[str], str]:
    """endpoint's URL for any id of the kind key names, built with url_for only once."""
    values: dict[str, Any] = {key: _PLACEHOLDER}
    pattern = url_for(endpoint, **values)
    return lambda ident: pattern.replace(_PLACEHOLDER, ident)


@dataclass(frozen=True)
class CycleStage:
    """Where a lesson stands: the four steps, each "is-done", "is-current" or ""."""

    label: str
    steps: list[tuple[str, str]]


def cycle_stage(stage: str, plan_version: int) -> CycleStage:
    step, label = STAGES.get(stage, ("plan", stage.replace("_", " ")))
    if step == "plan" and plan_version > 1:
        step, label = "revise", f"Revising for cycle {plan_version}"
    current = [key for key, _ in CYCLE].index(step)
    return CycleStage(
        label=label,
        steps=[
            (name, "is-current" if n == current else "is-done" if n < current else "")
            for n, (_, name) in enumerate(CYCLE)
        ],
    )


def signed_in(view: F) -> F:
    """A page for signed-in people; others go to the sign-in page and come back."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return redirect(url_for("pages.sign_in", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return cast(F, wrapper)


def me() -> SignedInPerson:
    person: SignedInPerson = current_user._get_current_object()
    return person


def settle(timeout: float = 3.0) -> None:
    """Wait until the read models have seen every write so far.

    A page that redirects to a list right after a write would otherwise show the
    list as it was: the projection follower runs in the background.
    """
    found = services()
    head = found.service.recorder.max_notification_id() or 0
    found.follower.wait_for(head, timeout=timeout)


def safe_next(target: str | None, default: str = "/") -> str:
    """Only a path on this site: an open redirect would make sign-in a phishing aid."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default


def page_redirect(endpoint: str, **values: Any) -> Response:
    return redirect(url_for(endpoint, **values), code=303)


@bp.errorhandler(DomainError)
def domain_error_page(error: DomainError) -> tuple[str, int]:
    body, status = domain_error_body(error)
    titles = {401: "Please sign in", 403: "Not your team's page", 404: "Not found"}
    return (
        render_template(
            "error.html",
            status=status,
            title=titles.get(status, "That did not work"),
            message=body["error"]["message"],
        ),
        status,
    )


@bp.app_template_filter("when")
def when(value: dt.datetime | str | None) -> str:
    """A time as a teacher reads it, in UTC (a page script shows local time)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return f"{value.astimezone(dt.UTC):%-d %b %Y, %H:%M} UTC"


@bp.app_template_filter("iso")
def iso(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.isoformat()


@bp.app_template_filter("words")
def words(value: object) -> str:
    return str(value).replace("_", " ")


@bp.errorhandler(429)
def too_many(_error: Exception) -> tuple[str, int]:
    return (
        render_template(
            "error.html",
            status=429,
            title="Too many tries",
            message="Please wait a minute before you try to sign in again.",
        ),
        429,
    )

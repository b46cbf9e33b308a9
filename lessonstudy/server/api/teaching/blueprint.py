"""The teaching endpoints' blueprint, and the access check its route modules share."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

from flask import g
from flask_smorest import Blueprint

from lessonstudy.application.results import TeachingView
from lessonstudy.server.guests import Actor

F = TypeVar("F", bound=Callable[..., Any])

blp = Blueprint(
    "teaching",
    __name__,
    url_prefix="/api/v1",
    description="Teaching a lesson: its clock, guests, notes and photos",
)


def checked(check: Callable[[object], tuple[Actor, TeachingView]]) -> Callable[[F], F]:
    """Run check (observer_of or runner_of) before the body is parsed: 401/404/403 first."""

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            g.teaching_actor, g.teaching_view = check(kwargs["teaching_id"])
            return view(*args, **kwargs)

        return cast(F, guarded)

    return decorate


def teaching_actor() -> Actor:
    found: Actor = g.teaching_actor
    return found

"""Who may call an endpoint, checked before its body is read.

The order of refusals is the same everywhere: signed out 401, then an unknown team,
lesson or task 404, then not on its team or without a role that allows the action
403, and only then a bad body 422. Checking before the body is parsed means nobody
outside a team learns anything about its lessons from the validation messages.
The service checks again inside each command's transaction, so a role removed a
moment ago still stops the write.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar, cast

from flask import g
from flask_smorest import Blueprint
from marshmallow import RAISE

from lessonstudy.domain.errors import InvalidValueError, NotFoundError
from lessonstudy.domain.permissions import Action
from lessonstudy.server.api.schemas import NoQuerySchema
from lessonstudy.server.auth import SignedInPerson, current_person
from lessonstudy.server.context import services

F = TypeVar("F", bound=Callable[..., Any])


def signed_in_only(blueprint: Blueprint) -> None:
    """Every route of the blueprint answers 401 to a signed-out request, whatever it sent."""

    @blueprint.before_request
    def require_sign_in() -> None:
        current_person()


def team_of(via: str, ident: Any) -> str:
    """The team that owns the team, lesson, task or teaching named by a URL's id."""
    service = services().service
    if via == "team_id":
        return str(ident)
    if via == "lesson_id":
        return service.lesson_team_id(ident)
    if via == "task_id":
        return service.get_task(ident).team_id
    if via == "teaching_id":
        return service.get_teaching(ident).team_id
    raise AssertionError(f"no way to find a team from {via}")  # pragma: no cover


def allow(action: Action, *, via: str) -> Callable[[F], F]:
    """Let the view run only for a member whose roles allow action on the team behind via.

    Put it right under ``@blp.route`` so it runs before ``@blp.arguments`` parses the body.
    """

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            person = current_person()
            services().service.authorize(person.id, team_of(via, kwargs[via]), action)
            g.lessonstudy_actor = person
            return view(*args, **kwargs)

        return cast(F, guarded)

    return decorate


def no_query(blueprint: Blueprint) -> Callable[[F], F]:
    """Refuse every query parameter, by name (422), on a route that takes none, as the
    routes with a query schema refuse the ones they do not know (``unknown=RAISE``): a
    misspelt ``?revison=3`` must not quietly answer something else.

    Put it under the route's access check, so that 401, 404 and 403 still come first.
    """

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def without_query(*args: Any, empty_query: object = None, **kwargs: Any) -> Any:
            return view(*args, **kwargs)  # the parsed query is always empty

        parse = blueprint.arguments(
            NoQuerySchema, location="query", unknown=RAISE, arg_name="empty_query"
        )
        return cast(F, parse(without_query))

    return decorate


def actor() -> SignedInPerson:
    """The person an ``allow``-guarded view acts for."""
    person: SignedInPerson = g.lessonstudy_actor
    return person


@contextmanager
def referenced(field: str) -> Iterator[None]:
    """A body naming something that does not exist is a bad body (422), not a missing page.

    404 stays for the resource the URL names, so a page can tell "this lesson is gone"
    from "the task you picked is gone".
    """
    try:
        yield
    except NotFoundError as error:
        raise InvalidValueError(error.message, field=field) from None

"""Who may see or run a teaching, checked before any payload is read.

The order of refusals is the REST API's everywhere (see api/access.py): nobody
signed in 401, an unknown teaching 404, not on its team and not an admitted guest
403, and only then a bad payload 422. The service checks again inside each command,
so a member removed a moment ago still cannot write.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from lessonstudy.application.results import TeachingView
from lessonstudy.domain.errors import NotAMemberError, NotFoundError
from lessonstudy.domain.permissions import Action
from lessonstudy.server.guests import Actor, current_actor


def canonical_id(teaching_id: object) -> str:
    """The teaching id as the service writes it; an id that is not a uuid names nothing."""
    try:
        return str(uuid.UUID(str(teaching_id)))
    except ValueError:
        raise NotFoundError(f"no teaching {teaching_id}", field="teaching_id") from None


def observer_of(
    teaching_id: object, actor_of: Callable[[str], Actor] = current_actor
) -> tuple[Actor, TeachingView]:
    """The actor, once known to be on the teaching's team or admitted as its guest.
    actor_of says who asks (401 if nobody): the request's session by default."""
    from lessonstudy.server import services

    tid = canonical_id(teaching_id)
    actor = actor_of(tid)
    view = services().service.get_teaching(tid)
    if actor.id not in view.guests:
        services().service.authorize(actor.id, view.team_id, Action.OBSERVE)
    return actor, view


def runner_of(teaching_id: object) -> tuple[Actor, TeachingView]:
    """The actor, once known to run this teaching (instructor or facilitator)."""
    from lessonstudy.server import services

    actor, view = observer_of(teaching_id)
    if actor.guest:
        raise NotAMemberError("a guest observes the lesson; the team runs it", field="actor")
    services().service.authorize(actor.id, view.team_id, Action.RUN_TEACHING)
    return actor, view

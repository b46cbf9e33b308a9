"""Who may see or run a teaching, or take part in its discussion, checked before any
payload is read.

The order of refusals is the REST API's everywhere (see api/access.py): nobody
signed in 401, an unknown teaching 404, not on its team and not an admitted guest
403, and only then a bad payload 422. The service checks again inside each command,
so a member removed a moment ago still cannot write.

A discussion belongs to one teaching, so whoever may observe that teaching (its team,
and the guests admitted with its join code, e.g. the knowledgeable other) takes part
in it; facilitating (moving the phase, confirming a misconception, deciding on a
revision) needs the facilitator's role.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from lessonstudy.application.results import DiscussionView, TeachingView
from lessonstudy.domain.errors import (
    DomainError,
    NotAMemberError,
    NotFoundError,
    PermissionDeniedError,
)
from lessonstudy.domain.permissions import Action
from lessonstudy.server.context import services
from lessonstudy.server.errors import NotSignedInError
from lessonstudy.server.guests import Actor, current_actor, guest_sessions, signed_in_actor


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
    tid = canonical_id(teaching_id)
    actor = actor_of(tid)
    view = services().service.get_teaching(tid)
    if actor.id not in view.guests:
        services().service.authorize(actor.id, view.team_id, Action.OBSERVE)
    return actor, view


def runner_of(teaching_id: object) -> tuple[Actor, TeachingView]:
    """The actor, once known to run this teaching (instructor or facilitator)."""
    actor, view = observer_of(teaching_id)
    if actor.guest:
        raise NotAMemberError("a guest observes the lesson; the team runs it", field="actor")
    services().service.authorize(actor.id, view.team_id, Action.RUN_TEACHING)
    return actor, view


def may_run(actor: Actor, view: TeachingView) -> bool:
    if actor.guest:
        return False
    try:
        services().service.authorize(actor.id, view.team_id, Action.RUN_TEACHING)
    except DomainError:  # not on the team, or without the role: either way, no
        return False
    return True


@dataclass(frozen=True)
class Participant:
    """Someone at the discussion: who they are, which discussion, and its teaching."""

    actor: Actor
    discussion: DiscussionView
    teaching: TeachingView

    @property
    def discussion_id(self) -> str:
        return self.discussion.id


def canonical_discussion_id(discussion_id: object) -> str:
    try:
        return str(uuid.UUID(str(discussion_id)))
    except ValueError:
        raise NotFoundError(f"no discussion {discussion_id}", field="discussion_id") from None


def participant_of(discussion_id: object) -> Participant:
    """The discussion for someone who may observe its teaching: 401, 404, 403 in turn."""
    did = canonical_discussion_id(discussion_id)
    if signed_in_actor() is None and not guest_sessions():
        raise NotSignedInError("sign in, or join with the lesson's code", field="session")
    view = services().service.get_discussion(did)
    actor, teaching = observer_of(view.teaching_id)
    return Participant(actor, view, teaching)


def require_facilitator(actor: Actor, teaching: TeachingView) -> None:
    if actor.guest:
        raise PermissionDeniedError("the team's facilitator runs the discussion", field="actor")
    services().service.authorize(actor.id, teaching.team_id, Action.FACILITATE)


def may_facilitate(actor: Actor, teaching: TeachingView) -> bool:
    try:
        require_facilitator(actor, teaching)
    except DomainError:
        return False
    return True

"""The post-lesson discussion over REST: open it, read the board, and one route per command.

Who may do what is checked before the body is read (401, 404, 403, then 422): the
teaching's team and guests take part; the facilitator moves the phase, confirms
misconceptions and decides on revisions. The command routes are made from the rows of
``commands.COMMANDS``; each change is also announced in the discussion's Socket.IO room
(``discussion:changed``), exactly as if it had been sent as a Socket.IO event (see
docs/realtime.md).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

from flask import g, url_for
from flask_smorest import Blueprint

from lessonstudy.domain.discussion import discussion_id_for
from lessonstudy.domain.errors import NotFoundError
from lessonstudy.server.api.access import no_query
from lessonstudy.server.api.discussion import schemas
from lessonstudy.server.api.discussion.commands import COMMANDS, Command, check_may, run
from lessonstudy.server.context import services
from lessonstudy.server.presenters import board_json
from lessonstudy.server.teaching_access import (
    Participant,
    observer_of,
    participant_of,
    require_facilitator,
)

blp = Blueprint(
    "discussion",
    __name__,
    url_prefix="/api/v1",
    description="The post-lesson discussion: phases, the board of patterns, findings, revisions",
)

F = TypeVar("F", bound=Callable[..., Any])
DISCUSSION = "/discussions/<uuid:discussion_id>"


def participating(command: Command | None = None) -> Callable[[F], F]:
    """Find the discussion and check the asker (and, for a command, their role) first."""

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            found = participant_of(kwargs["discussion_id"])
            if command is not None:
                check_may(found, command)
            g.discussion_participant = found
            return view(*args, **kwargs)

        return cast(F, guarded)

    return decorate


def participant() -> Participant:
    found: Participant = g.discussion_participant
    return found


@blp.route("/teachings/<uuid:teaching_id>/discussion", methods=["POST"])
@blp.response(201, schemas.BoardSchema)
@blp.alt_response(200, schema=schemas.BoardSchema, description="it was open already")
def open_discussion(teaching_id: Any) -> tuple[dict[str, Any], int]:
    """Open the teaching's discussion once it has been taught (the facilitator). Opening
    it again answers the same discussion with 200."""
    actor, teaching = observer_of(teaching_id)
    require_facilitator(actor, teaching)
    service = services().service
    discussion_id = str(discussion_id_for(teaching.id))
    try:
        service.get_discussion(discussion_id)
        status = 200
    except NotFoundError:
        service.open_discussion(actor_id=actor.id, teaching_id=teaching.id)
        status = 201
    return board_json(participant_of(discussion_id)), status


@blp.route(DISCUSSION, methods=["GET"])
@participating()
@no_query(blp)
@blp.response(200, schemas.BoardSchema)
def read(discussion_id: Any) -> dict[str, Any]:
    """The board: the discussion, the teaching as taught, its notes, the misconceptions."""
    return board_json(participant())


def command_route(command: Command) -> None:
    """The command's route: the asker and their role checked, then the body read and
    the ids of the path added to it."""

    def view(body: dict[str, Any], discussion_id: Any, **path_ids: str) -> dict[str, Any]:
        return run(participant(), command, {**body, **path_ids})

    view.__name__ = view.__qualname__ = command.view
    view.__doc__ = command.summary  # the OpenAPI summary
    answered = blp.response(command.status, schemas.DiscussionSchema)(view)
    parsed = blp.arguments(command.body)(answered)
    blp.route(f"{DISCUSSION}{command.path}", methods=[command.http])(
        participating(command)(parsed)
    )


for _command in COMMANDS.values():
    command_route(_command)


@blp.route(f"{DISCUSSION}/guests", methods=["POST"])
@participating()
@blp.response(201, schemas.DiscussionInvitationSchema)
def invite_guests(discussion_id: Any) -> dict[str, Any]:
    """A join code for guests who come only to the discussion, such as a knowledgeable
    other from outside (the facilitator, while it is open; 409 once closed). Asking again
    gives the same code. A guest types it on the join page, or POSTs it to
    /api/v1/teachings/{teaching_id}/guests with a role (observer or knowledgeable_other)."""
    found = participant()
    require_facilitator(found.actor, found.teaching)
    code = services().service.invite_to_discussion(
        actor_id=found.actor.id, discussion_id=found.discussion_id
    )
    return {
        "join_code": code,
        "teaching_id": found.teaching.id,
        "join_url": url_for("pages.join_lesson", teaching_id=found.teaching.id, _external=True),
    }

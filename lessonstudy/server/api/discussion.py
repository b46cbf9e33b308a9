"""The post-lesson discussion over REST: open it, read the board, and one route per command.

Who may do what is checked before the body is read (401, 404, 403, then 422): the
teaching's team and guests take part; the facilitator moves the phase, confirms
misconceptions and decides on revisions. Each change is also announced in the
discussion's Socket.IO room (``discussion:changed``), exactly as if it had been sent
as a Socket.IO event (see docs/realtime.md).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

from flask import g, url_for
from flask_smorest import Blueprint

from lessonstudy.domain.discussion import discussion_id_for
from lessonstudy.domain.errors import NotFoundError
from lessonstudy.server import services
from lessonstudy.server.api import discussion_schemas as schemas
from lessonstudy.server.discussion_commands import check_may, run
from lessonstudy.server.discussion_views import (
    Seat,
    board_json,
    participant_of,
    require_facilitator,
)
from lessonstudy.server.teaching_access import observer_of

blp = Blueprint(
    "discussion",
    __name__,
    url_prefix="/api/v1",
    description="The post-lesson discussion: phases, the board of patterns, findings, revisions",
)

F = TypeVar("F", bound=Callable[..., Any])
DISCUSSION = "/discussions/<uuid:discussion_id>"


def seated(change: str | None = None) -> Callable[[F], F]:
    """Find the discussion and check the asker (and, for change, their role) first."""

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            seat = participant_of(kwargs["discussion_id"])
            if change is not None:
                check_may(seat, change)
            g.discussion_seat = seat
            return view(*args, **kwargs)

        return cast(F, guarded)

    return decorate


def seat() -> Seat:
    found: Seat = g.discussion_seat
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
@seated()
@blp.response(200, schemas.BoardSchema)
def read(discussion_id: Any) -> dict[str, Any]:
    """The board: the discussion, the teaching as taught, its notes, the misconceptions."""
    return board_json(seat())


def _changed(change: str, body: dict[str, Any]) -> dict[str, Any]:
    return run(seat(), change, body)


@blp.route(f"{DISCUSSION}/phase", methods=["PUT"])
@seated("phase")
@blp.arguments(schemas.PhaseSchema)
@blp.response(200, schemas.DiscussionSchema)
def move_phase(body: dict[str, Any], discussion_id: Any) -> dict[str, Any]:
    """Forward one phase, or back to any earlier one (recorded). 409 from a stale phase."""
    return _changed("phase", body)


@blp.route(f"{DISCUSSION}/contributions", methods=["POST"])
@seated("contribute")
@blp.arguments(schemas.ContributionSchema)
@blp.response(201, schemas.DiscussionSchema)
def contribute(body: dict[str, Any], discussion_id: Any) -> dict[str, Any]:
    """What someone says in the current phase (the instructor first), citing notes."""
    return _changed("contribute", body)


@blp.route(f"{DISCUSSION}/patterns", methods=["POST"])
@seated("pattern")
@blp.arguments(schemas.PatternSchema)
@blp.response(201, schemas.DiscussionSchema)
def create_pattern(body: dict[str, Any], discussion_id: Any) -> dict[str, Any]:
    """A named cluster of notes (at least one) on the board."""
    return _changed("pattern", body)


@blp.route(f"{DISCUSSION}/patterns/<pattern_id>/name", methods=["PUT"])
@seated("rename")
@blp.arguments(schemas.RenameSchema)
@blp.response(200, schemas.DiscussionSchema)
def rename_pattern(body: dict[str, Any], discussion_id: Any, pattern_id: str) -> dict[str, Any]:
    """Rename a pattern; 409 with the current name if someone renamed it meanwhile."""
    return _changed("rename", {**body, "pattern_id": pattern_id})


@blp.route(f"{DISCUSSION}/notes/<note_id>/pattern", methods=["PUT"])
@seated("place")
@blp.arguments(schemas.PlacementSchema)
@blp.response(200, schemas.DiscussionSchema)
def place_note(body: dict[str, Any], discussion_id: Any, note_id: str) -> dict[str, Any]:
    """Move a note card into a pattern, or back onto the wall (null)."""
    return _changed("place", {**body, "note_id": note_id})


@blp.route(f"{DISCUSSION}/claims", methods=["POST"])
@seated("claim")
@blp.arguments(schemas.ClaimSchema)
@blp.response(201, schemas.DiscussionSchema)
def make_claim(body: dict[str, Any], discussion_id: Any) -> dict[str, Any]:
    """A claim about student thinking, citing the notes that show it."""
    return _changed("claim", body)


@blp.route(f"{DISCUSSION}/confirmations", methods=["POST"])
@seated("confirm")
@blp.arguments(schemas.ConfirmationSchema)
@blp.response(201, schemas.DiscussionSchema)
def confirm_misconception(body: dict[str, Any], discussion_id: Any) -> dict[str, Any]:
    """Confirm that a misconception appeared; refused without a cited note."""
    return _changed("confirm", body)


@blp.route(f"{DISCUSSION}/revisions", methods=["POST"])
@seated("propose")
@blp.arguments(schemas.RevisionSchema)
@blp.response(201, schemas.DiscussionSchema)
def propose_revision(body: dict[str, Any], discussion_id: Any) -> dict[str, Any]:
    """A change to the plan for the next cycle, citing the notes that motivate it."""
    return _changed("propose", body)


@blp.route(f"{DISCUSSION}/revisions/<revision_id>/decision", methods=["PUT"])
@seated("decide")
@blp.arguments(schemas.DecisionSchema)
@blp.response(200, schemas.DiscussionSchema)
def decide_revision(body: dict[str, Any], discussion_id: Any, revision_id: str) -> dict[str, Any]:
    """Accept or reject a proposed revision (the facilitator, with the team)."""
    return _changed("decide", {**body, "revision_id": revision_id})


@blp.route(f"{DISCUSSION}/guests", methods=["POST"])
@seated()
@blp.response(201, schemas.DiscussionInvitationSchema)
def invite_guests(discussion_id: Any) -> dict[str, Any]:
    """A join code for guests who come only to the discussion, such as a knowledgeable
    other from outside (the facilitator, while it is open; 409 once closed). Asking again
    gives the same code. A guest types it on the join page, or POSTs it to
    /api/v1/teachings/{teaching_id}/guests with a role (observer or knowledgeable_other)."""
    found = seat()
    require_facilitator(found.actor, found.teaching)
    code = services().service.invite_to_discussion(
        actor_id=found.actor.id, discussion_id=found.discussion_id
    )
    return {
        "join_code": code,
        "teaching_id": found.teaching.id,
        "join_url": url_for("pages.join_lesson", teaching_id=found.teaching.id, _external=True),
    }

"""The post-lesson discussion's page: one board, shared live by everyone in the room.

Like the observation pages it is a shell: its scripts (web/static/js/discuss/) read
the board over Socket.IO and send every change as an acknowledged event, so the
server stays the one judge of who may do what (docs/realtime.md).
"""

from __future__ import annotations

from typing import Any

from flask import redirect, render_template, url_for
from werkzeug.wrappers.response import Response

from lessonstudy.domain.discussion import discussion_id_for
from lessonstudy.domain.errors import NotFoundError
from lessonstudy.server.context import services
from lessonstudy.server.guests import guest_sessions, signed_in_actor
from lessonstudy.server.pages.common import bp, signed_in
from lessonstudy.server.pages.teams import member_team
from lessonstudy.server.teaching_access import may_facilitate, observer_of, participant_of


def _anyone() -> bool:
    return signed_in_actor() is not None or bool(guest_sessions())


@bp.get("/teachings/<uuid:teaching_id>/discussion")
def teaching_discussion(teaching_id: Any) -> str | Response:
    """The teaching's discussion if it is open; else a page from which to open it."""
    if not _anyone():
        return redirect(url_for("pages.join_lesson", teaching_id=teaching_id))
    actor, teaching = observer_of(str(teaching_id))
    discussion_id = str(discussion_id_for(teaching.id))
    try:
        services().service.get_discussion(discussion_id)
    except NotFoundError:
        return render_template(
            "discuss_open.html",
            teaching_id=teaching.id,
            ended=teaching.status == "ended",
            may_open=may_facilitate(actor, teaching),
        )
    return redirect(url_for("pages.discussion", discussion_id=discussion_id))


@bp.get("/lessons/<uuid:lesson_id>/discussion")
@signed_in
def lesson_discussion(lesson_id: Any) -> Response:
    """From the dashboard's row: the discussion of the lesson's latest taught teaching
    (or of its latest teaching, whose page says to end it first)."""
    service = services().service
    plan = service.get_plan(str(lesson_id))
    member_team(plan.team_id)  # 403 off the team
    teachings = [service.get_teaching(t) for t in plan.teaching_ids]
    if not teachings:
        raise NotFoundError("this lesson has not been taught yet", field="lesson_id")
    latest = ([t for t in teachings if t.status == "ended"] or teachings)[-1]  # in taught order
    return redirect(url_for("pages.teaching_discussion", teaching_id=latest.id))


@bp.get("/discussions/<uuid:discussion_id>")
def discussion(discussion_id: Any) -> str | Response:
    if not _anyone():
        view = services().service.get_discussion(str(discussion_id))
        return redirect(url_for("pages.join_lesson", teaching_id=view.teaching_id))
    seat = participant_of(discussion_id)
    return render_template(
        "discuss.html",
        discussion_id=seat.discussion_id,
        teaching_id=seat.teaching.id,
        # The record is the team's document; a guest's page does not offer it.
        record_url=None if seat.actor.guest else f"/discussions/{seat.discussion_id}/record",
    )

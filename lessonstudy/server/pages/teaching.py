"""The taught lesson's pages: schedule and run it, observe it, project it, join as a guest.

The pages are thin shells: their scripts read and write through the REST API and the
Socket.IO protocol (docs/realtime.md), so the browser keeps working through a dropped
connection and the server stays the one judge of who may see what.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import current_app, redirect, render_template, send_from_directory, url_for
from werkzeug.wrappers.response import Response

from lessonstudy.application.results import PlanView, TeachingView
from lessonstudy.domain.permissions import Action, may
from lessonstudy.server.context import services
from lessonstudy.server.guests import guest_sessions, signed_in_actor
from lessonstudy.server.pages.common import bp, me, settle, signed_in
from lessonstudy.server.pages.lessons import load_lesson
from lessonstudy.server.pages.teaching_links import TeachingLinks, teaching_links
from lessonstudy.server.teaching_access import observer_of, runner_of


def _admitted(teaching_id: str) -> TeachingView | None:
    """The teaching, for someone signed in or a guest of it; None sends anyone else to
    the join page."""
    if signed_in_actor() is None and teaching_id not in guest_sessions():
        return None
    # 403 off the team, 404 no such teaching: as the API says
    return observer_of(teaching_id)[1]


def lesson_title(view: TeachingView) -> str:
    """The lesson's title as the team calls it now (the dashboard shows the same)."""
    return str(services().service.get_plan(view.lesson_id).fields.get("title") or "")


def teachings_of(plan: PlanView, *, may_run: bool) -> list[TeachingLinks]:
    """The plan's teachings, newest first, each with its class and date. The list is the
    dashboard view's; when a teaching the plan names is not in it yet (scheduled a
    moment ago, and the view still catching up), the page waits for the view."""
    queries = services().queries
    rows = {row["teaching_id"]: row for row in queries.teachings_of_lesson(plan.lesson_id)}
    if any(tid not in rows for tid in plan.teaching_ids):
        settle()
        rows = {row["teaching_id"]: row for row in queries.teachings_of_lesson(plan.lesson_id)}
    listed = [rows[tid] for tid in reversed(plan.teaching_ids) if tid in rows]
    return teaching_links(listed, may_run=may_run)


@bp.get("/lessons/<uuid:lesson_id>/teach")
@signed_in
def schedule_teaching(lesson_id: Any) -> str:
    page = load_lesson(str(lesson_id))
    roles = page.team.members[me().id]["roles"]
    return render_template(
        "teach_schedule.html",
        **page.context(),
        person=me(),
        instructor_id=page.plan.fields.get("instructor_id") or me().id,
        teachings=teachings_of(page.plan, may_run=may(roles, Action.RUN_TEACHING)),
    )


@bp.get("/teachings/<uuid:teaching_id>/teach")
@signed_in
def teach(teaching_id: Any) -> str:
    _actor, view = runner_of(str(teaching_id))  # only the instructor or a facilitator
    return render_template(
        "teach.html", teaching_id=view.id, lesson_title=lesson_title(view), team_id=view.team_id
    )


@bp.get("/teachings/<uuid:teaching_id>/observe")
def observe(teaching_id: Any) -> str | Response:
    view = _admitted(str(teaching_id))
    if view is None:
        return redirect(url_for("pages.join_lesson", teaching_id=teaching_id))
    return render_template("observe.html", teaching_id=view.id, lesson_title=lesson_title(view))


@bp.get("/teachings/<uuid:teaching_id>/facilitate")
def facilitate(teaching_id: Any) -> str | Response:
    view = _admitted(str(teaching_id))
    if view is None:
        return redirect(url_for("pages.join_lesson", teaching_id=teaching_id))
    return render_template("facilitate.html", teaching_id=view.id, lesson_title=lesson_title(view))


@bp.get("/teachings/observe-sw.js")
def observe_worker() -> Response:
    # Served from /teachings/ because a service worker controls only pages below its
    # own path; no cookies or user data in it, so anyone may fetch it.
    folder = Path(str(current_app.static_folder)) / "js" / "observe"
    response = send_from_directory(folder, "sw.js", mimetype="text/javascript", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/teachings/<uuid:teaching_id>/join")
def join_lesson(teaching_id: Any) -> str:
    """The join page: during the lesson with its code, to observe; once it has ended,
    with the discussion's code, as knowledgeable other or observer, landing on the
    discussion (the code alone says which: only the discussion's admits by then)."""
    teaching = services().service.get_teaching(str(teaching_id))
    return render_template(
        "join_lesson.html",
        teaching_id=teaching.id,
        discussion=teaching.status == "ended",
    )

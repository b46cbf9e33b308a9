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

from lessonstudy.server.context import services
from lessonstudy.server.guests import guest_sessions, signed_in_actor
from lessonstudy.server.pages.common import bp, me, signed_in
from lessonstudy.server.pages.lessons import load_lesson
from lessonstudy.server.teaching_access import observer_of, runner_of


def _admitted(teaching_id: str) -> bool:
    """Signed in, or a guest of this teaching: anyone else is sent to the join page."""
    if signed_in_actor() is None and teaching_id not in guest_sessions():
        return False
    observer_of(teaching_id)  # 403 off the team, 404 no such teaching: as the API says
    return True


@bp.get("/lessons/<uuid:lesson_id>/teach")
@signed_in
def schedule_teaching(lesson_id: Any) -> str:
    page = load_lesson(str(lesson_id))
    return render_template(
        "teach_schedule.html",
        **page.context(),
        person=me(),
        instructor_id=page.plan.fields.get("instructor_id") or me().id,
    )


@bp.get("/teachings/<uuid:teaching_id>/teach")
@signed_in
def teach(teaching_id: Any) -> str:
    runner_of(str(teaching_id))  # only the instructor or a facilitator runs the lesson
    return render_template("teach.html", teaching_id=str(teaching_id))


@bp.get("/teachings/<uuid:teaching_id>/observe")
def observe(teaching_id: Any) -> str | Response:
    if not _admitted(str(teaching_id)):
        return redirect(url_for("pages.join_lesson", teaching_id=teaching_id))
    return render_template("observe.html", teaching_id=str(teaching_id))


@bp.get("/teachings/<uuid:teaching_id>/facilitate")
def facilitate(teaching_id: Any) -> str | Response:
    if not _admitted(str(teaching_id)):
        return redirect(url_for("pages.join_lesson", teaching_id=teaching_id))
    return render_template("facilitate.html", teaching_id=str(teaching_id))


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

"""The teaching's routes: schedule a teaching, run its clock, open it to guests, read it.

The routes of the lesson's clock (start, mode, step, end) and of an observer's focus
are made from the rows of ``commands.COMMANDS``; each change is also pushed to the
teaching's Socket.IO room as ``teaching:changed``, so every observer's page follows
the instructor. Notes are written over Socket.IO (see docs/realtime.md); here they can
be read, and caught up on, by position.
"""

from __future__ import annotations

from typing import Any

from flask import g
from marshmallow import RAISE

from lessonstudy.domain.errors import InvalidValueError, NotAMemberError
from lessonstudy.domain.permissions import Action
from lessonstudy.server.api.access import actor, allow, no_query
from lessonstudy.server.api.teaching.blueprint import blp, checked, teaching_actor
from lessonstudy.server.api.teaching.commands import COMMANDS, Command, Route
from lessonstudy.server.api.teaching.schemas import (
    CatchUpSchema,
    JoinCodeSchema,
    NotesQuerySchema,
    ScheduleSchema,
    TeachingSchema,
)
from lessonstudy.server.context import services
from lessonstudy.server.guests import Actor
from lessonstudy.server.presenters import catch_up_json, teaching_detail_json, teaching_json
from lessonstudy.server.realtime.rooms import announce_teaching_change
from lessonstudy.server.teaching_access import may_run, observer_of, runner_of


def body_of(teaching_id: Any, *, detail: bool = False) -> dict[str, Any]:
    view = services().service.get_teaching(str(teaching_id))
    if detail:
        return teaching_detail_json(view, teaching_actor())
    return teaching_json(view, may_run=may_run(teaching_actor(), view))


def changed(teaching_id: Any, change: str) -> dict[str, Any]:
    announce_teaching_change(services().socketio, str(teaching_id), change)
    return body_of(teaching_id)


@blp.route("/lessons/<uuid:lesson_id>/teachings", methods=["POST"])
@allow(Action.RUN_TEACHING, via="lesson_id")
@blp.arguments(ScheduleSchema)
@blp.response(201, TeachingSchema)
def schedule(body: dict[str, Any], lesson_id: Any) -> dict[str, Any]:
    """Schedule a teaching of the plan as it stands now, for one class."""
    try:
        teaching_id = services().service.schedule_teaching(
            actor_id=actor().id, lesson_id=lesson_id, **body
        )
    except NotAMemberError as error:
        # The asker was checked above: this is the instructor named in the body.
        raise InvalidValueError(
            "the instructor must be a member of the lesson's team", field="instructor_id"
        ) from error
    g.teaching_actor = Actor(actor().id, actor().display_name, guest=False)
    return body_of(teaching_id, detail=True)


@blp.route("/teachings/<uuid:teaching_id>", methods=["GET"])
@checked(observer_of)
@no_query(blp)
@blp.response(200, TeachingSchema)
def read(teaching_id: Any) -> dict[str, Any]:
    """The teaching, with the plan's steps as taught and the names of its people."""
    return body_of(teaching_id, detail=True)


def command_route(command: Command, route: Route) -> None:
    """The command's route: the asker checked, then the body read; the room is told and
    the teaching answered."""

    def view(*parsed: dict[str, Any], teaching_id: Any) -> dict[str, Any]:
        body = parsed[0] if parsed else {}
        command.method(
            services().service,
            actor_id=teaching_actor().id,
            teaching_id=teaching_id,
            **command.args(body),
        )
        return changed(teaching_id, route.change)

    view.__name__ = view.__qualname__ = route.view
    view.__doc__ = route.summary  # the OpenAPI summary
    answered = blp.response(200, TeachingSchema)(view)
    parsed = answered if route.body is None else blp.arguments(route.body)(answered)
    blp.route(f"/teachings/<uuid:teaching_id>{route.path}", methods=[route.http])(
        checked(route.who)(parsed)
    )


for _command in COMMANDS:
    if _command.route is not None:
        command_route(_command, _command.route)


@blp.route("/teachings/<uuid:teaching_id>/join-code", methods=["POST"])
@checked(runner_of)
@blp.response(201, JoinCodeSchema)
def open_to_guests(teaching_id: Any) -> dict[str, str]:
    """A new six-character join code for guests (the previous one stops working)."""
    code = services().service.open_to_guests(actor_id=teaching_actor().id, teaching_id=teaching_id)
    return {"join_code": code}


@blp.route("/teachings/<uuid:teaching_id>/notes", methods=["GET"])
@checked(observer_of)
@blp.arguments(NotesQuerySchema, location="query", unknown=RAISE)
@blp.response(200, CatchUpSchema)
def notes(query: dict[str, Any], teaching_id: Any) -> dict[str, Any]:
    """The note changes after ``since`` (a log position), or every note from 0."""
    caught = services().service.notes_since(str(teaching_id), query["since"])
    return catch_up_json(str(teaching_id), caught)

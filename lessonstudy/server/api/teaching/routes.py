"""The teaching's routes: schedule a teaching, run its clock, open it to guests, read it.

Changes to the lesson's clock (started, mode, step, ended) are also pushed to the
teaching's Socket.IO room as ``teaching:changed``, so every observer's page follows
the instructor. Notes are written over Socket.IO (see docs/realtime.md); here they can
be read, and caught up on, by position.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

from flask import g

from lessonstudy.application.results import TeachingView
from lessonstudy.domain.errors import InvalidValueError, NotAMemberError
from lessonstudy.domain.permissions import Action
from lessonstudy.server.api.access import actor, allow
from lessonstudy.server.api.teaching.blueprint import blp
from lessonstudy.server.api.teaching.schemas import (
    CatchUpSchema,
    FocusSchema,
    JoinCodeSchema,
    ModeSchema,
    NotesQuerySchema,
    ScheduleSchema,
    StartSchema,
    StepSchema,
    TeachingSchema,
)
from lessonstudy.server.context import services
from lessonstudy.server.guests import Actor
from lessonstudy.server.presenters import catch_up_json, teaching_detail_json, teaching_json
from lessonstudy.server.realtime.rooms import announce_teaching_change
from lessonstudy.server.teaching_access import may_run, observer_of, runner_of

F = TypeVar("F", bound=Callable[..., Any])


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
@blp.response(200, TeachingSchema)
def read(teaching_id: Any) -> dict[str, Any]:
    """The teaching, with the plan's steps as taught and the names of its people."""
    return body_of(teaching_id, detail=True)


@blp.route("/teachings/<uuid:teaching_id>/start", methods=["POST"])
@checked(runner_of)
@blp.arguments(StartSchema)
@blp.response(200, TeachingSchema)
def start(body: dict[str, Any], teaching_id: Any) -> dict[str, Any]:
    """Start the lesson's clock at the first step; note offsets count from now."""
    services().service.start_teaching(
        actor_id=teaching_actor().id, teaching_id=teaching_id, mode=body["mode"]
    )
    return changed(teaching_id, "started")


@blp.route("/teachings/<uuid:teaching_id>/mode", methods=["PUT"])
@checked(runner_of)
@blp.arguments(ModeSchema)
@blp.response(200, TeachingSchema)
def change_mode(body: dict[str, Any], teaching_id: Any) -> dict[str, Any]:
    """Whole class, groups, pairs or individual work, from now on."""
    services().service.change_lesson_mode(
        actor_id=teaching_actor().id, teaching_id=teaching_id, mode=body["mode"]
    )
    return changed(teaching_id, "mode")


@blp.route("/teachings/<uuid:teaching_id>/step", methods=["PUT"])
@checked(runner_of)
@blp.arguments(StepSchema)
@blp.response(200, TeachingSchema)
def move_to_step(body: dict[str, Any], teaching_id: Any) -> dict[str, Any]:
    """The plan step the lesson is at now (observers' notes default to it)."""
    services().service.move_to_step(
        actor_id=teaching_actor().id, teaching_id=teaching_id, step_id=body["step_id"]
    )
    return changed(teaching_id, "step")


@blp.route("/teachings/<uuid:teaching_id>/end", methods=["POST"])
@checked(runner_of)
@blp.response(200, TeachingSchema)
def end(teaching_id: Any) -> dict[str, Any]:
    services().service.end_teaching(actor_id=teaching_actor().id, teaching_id=teaching_id)
    return changed(teaching_id, "ended")


@blp.route("/teachings/<uuid:teaching_id>/join-code", methods=["POST"])
@checked(runner_of)
@blp.response(201, JoinCodeSchema)
def open_to_guests(teaching_id: Any) -> dict[str, str]:
    """A new six-character join code for guests (the previous one stops working)."""
    code = services().service.open_to_guests(actor_id=teaching_actor().id, teaching_id=teaching_id)
    return {"join_code": code}


@blp.route("/teachings/<uuid:teaching_id>/focus", methods=["PUT"])
@checked(observer_of)
@blp.arguments(FocusSchema)
@blp.response(200, TeachingSchema)
def choose_focus(body: dict[str, Any], teaching_id: Any) -> dict[str, Any]:
    """The seats or groups the asking observer follows."""
    services().service.choose_focus(
        actor_id=teaching_actor().id, teaching_id=teaching_id, codes=body["codes"]
    )
    return changed(teaching_id, "focus")


@blp.route("/teachings/<uuid:teaching_id>/notes", methods=["GET"])
@checked(observer_of)
@blp.arguments(NotesQuerySchema, location="query")
@blp.response(200, CatchUpSchema)
def notes(query: dict[str, Any], teaching_id: Any) -> dict[str, Any]:
    """The note changes after ``since`` (a log position), or every note from 0."""
    caught = services().service.notes_since(str(teaching_id), query["since"])
    return catch_up_json(str(teaching_id), caught)

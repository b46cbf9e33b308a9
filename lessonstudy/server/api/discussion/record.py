"""A discussion's record as Markdown, starting the next cycle from it, and the cycles compared.

The record is for the team (it names observers); the next cycle is the facilitator's
to start. The comparison of cycles reads the catalogue's views, which may lag a write
by a moment; like the catalogue's own routes it waits for them once when they have
not seen the lesson yet.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

from flask import Response, g
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from lessonstudy.domain.errors import NotFoundError
from lessonstudy.domain.permissions import Action
from lessonstudy.exports.discussion_markdown import discussion_markdown
from lessonstudy.projections.catalogue import CycleComparison
from lessonstudy.server.api.access import actor, allow, no_query, signed_in_only
from lessonstudy.server.api.catalogue import catalogue, read_your_writes
from lessonstudy.server.api.plan import PlanSchema, plan_body
from lessonstudy.server.auth import current_person
from lessonstudy.server.context import services
from lessonstudy.server.realtime.planning import announce_plan_change

F = TypeVar("F", bound=Callable[..., Any])

blp = Blueprint(
    "discussion_record",
    __name__,
    url_prefix="/api/v1",
    description="A discussion's record, the next cycle, and cycles compared",
)
signed_in_only(blp)


def allow_on_discussion(action: Action) -> Callable[[F], F]:
    """Like ``allow``, for a route naming a discussion: 404 unknown, 403 not its team
    or without a role for action, before anything else is read."""

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            person = current_person()
            service = services().service
            team_id = service.get_discussion(kwargs["discussion_id"]).team_id
            service.authorize(person.id, team_id, action)
            g.lessonstudy_actor = person
            return view(*args, **kwargs)

        return cast(F, guarded)

    return decorate


@blp.route("/discussions/<uuid:discussion_id>/record.md", methods=["GET"])
@allow_on_discussion(Action.OBSERVE)
@no_query(blp)
@blp.doc(
    responses={
        "200": {
            "description": "the discussion's record as Markdown: findings by phase, patterns,"
            " claims, confirmed misconceptions and revisions, each with its cited notes",
            "content": {"text/markdown": {"schema": {"type": "string"}}},
        }
    }
)
def record_markdown(discussion_id: Any) -> Response:
    """The record of a post-lesson discussion as a Markdown document, for the team."""
    text = discussion_markdown(services().service, discussion_id)
    return Response(
        text,
        mimetype="text/markdown",
        headers={"Content-Disposition": 'inline; filename="discussion-record.md"'},
    )


class NextCycleSchema(Schema):
    plan_version = fields.Integer(required=True, metadata={"example": 2})
    plan = fields.Nested(PlanSchema, required=True)


@blp.route("/discussions/<uuid:discussion_id>/next-cycle", methods=["POST"])
@allow_on_discussion(Action.FACILITATE)
@blp.response(201, NextCycleSchema)
def start_next_cycle(discussion_id: Any) -> dict[str, Any]:
    """Apply the accepted revisions as the plan's next version (each change names its
    revision) and close the discussion. 409 when nothing was accepted (field
    ``revisions``) or this discussion already started a version (``current`` says which)."""
    person = actor()
    service = services().service
    version = service.start_next_cycle(actor_id=person.id, discussion_id=discussion_id)
    lesson_id = service.get_discussion(discussion_id).lesson_id
    plan = plan_body(lesson_id)
    news = {
        "revision": plan["revision"],
        "by": person.id,
        "by_name": person.display_name,
        "part": "plan",
        "kind": "NextVersionStarted",
    }
    announce_plan_change(services().socketio, lesson_id, news)  # open editors reload it
    return {"plan_version": version, "plan": plan}


class CycleSchema(Schema):
    number = fields.Integer(required=True)
    teaching_id = fields.String(required=True)
    plan_version = fields.Integer(required=True)
    status = fields.String(required=True)
    started_at = fields.String(allow_none=True)
    ended_at = fields.String(allow_none=True)
    counts = fields.Dict(metadata={"example": {"anticipated": 9, "occurred": 7}})
    unanticipated = fields.List(fields.Dict())
    seen = fields.Dict(metadata={"description": "misconception id -> {statement, notes, students}"})
    confirmed = fields.Dict(metadata={"description": "misconception id -> statement"})


class CyclesSchema(Schema):
    lesson_id = fields.String(required=True)
    task_id = fields.String(required=True)
    title = fields.String(required=True)
    plan_version = fields.Integer(required=True)
    latest = fields.Integer(
        allow_none=True, metadata={"description": "the latest taught cycle's number"}
    )
    previous = fields.Integer(
        allow_none=True, metadata={"description": "the taught cycle before it, if any"}
    )
    cycles = fields.List(fields.Nested(CycleSchema), required=True)
    misconceptions = fields.List(
        fields.Dict(),
        metadata={
            "description": "per misconception: notes, students and confirmed per cycle, and"
            " its change from the previous taught cycle to the latest: less, more, same,"
            " new or gone (by distinct students; by notes when no seat was noted)"
        },
    )
    responses = fields.List(
        fields.Dict(),
        metadata={
            "description": "per anticipated response: taught, occurred, notes and students"
            " per cycle, and its change (e.g. 'now occurred', 'no longer occurred')"
        },
    )


@blp.route("/lessons/<uuid:lesson_id>/cycles", methods=["GET"])
@allow(Action.OBSERVE, via="lesson_id")
@no_query(blp)
@blp.response(200, CyclesSchema)
def lesson_cycles(lesson_id: Any) -> dict[str, Any]:
    """Each teaching of the lesson as a cycle, and the latest taught cycle against the
    one before it: which misconceptions appeared less or more, which anticipated
    responses now occurred, and what nobody anticipated."""
    compare = CycleComparison(services().engine, catalogue())
    found = read_your_writes(lambda: compare.lesson(str(lesson_id)))
    if found is None:
        raise NotFoundError(f"no lesson {lesson_id} in the catalogue yet", field="lesson_id")
    return found

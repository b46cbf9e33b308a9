"""A team's study lessons: the dashboard list, and starting a new plan."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_smorest import Blueprint
from marshmallow import Schema, fields

from lessonstudy.domain.permissions import Action
from lessonstudy.server.api.access import actor, allow, no_query, referenced, signed_in_only
from lessonstudy.server.api.plan import PlanSchema, plan_body
from lessonstudy.server.api.schemas import StrictSchema
from lessonstudy.server.api.text import text
from lessonstudy.server.context import services

blp = Blueprint("lessons", __name__, url_prefix="/api/v1", description="Study lessons")
signed_in_only(blp)


class LessonCreateSchema(StrictSchema):
    task_id = fields.UUID(required=True, metadata={"description": "the task the lesson is on"})
    title = text(200, required=True, blank=False)


class LessonSummarySchema(Schema):
    lesson_id = fields.String(required=True)
    team_id = fields.String(required=True)
    task_id = fields.String(required=True)
    title = fields.String(required=True)
    stage = fields.String(
        required=True,
        metadata={"description": "planning, scheduled, teaching, taught or discussing"},
    )
    plan_version = fields.Integer(required=True)
    revision = fields.Integer(required=True)
    teachings = fields.Integer(required=True)
    notes = fields.Integer(required=True)
    updated_at = fields.DateTime(required=True)
    task_statement = fields.String(allow_none=True)
    topic = fields.String(allow_none=True)


@blp.route("/teams/<uuid:team_id>/lessons", methods=["GET"])
@allow(Action.OBSERVE, via="team_id")
@no_query(blp)
@blp.response(200, LessonSummarySchema(many=True))
def list_lessons(team_id: Any) -> list[dict[str, Any]]:
    """The team's lessons, latest change first (from the dashboard view: it may lag a
    write by a moment)."""
    return [_utc(lesson) for lesson in services().queries.lessons_of(str(team_id))]


def _utc(lesson: dict[str, Any]) -> dict[str, Any]:
    # SQLite gives back the view's times without their zone (PostgreSQL keeps it); they
    # were written in UTC, so the API says so either way.
    at = lesson["updated_at"]
    if isinstance(at, dt.datetime) and at.tzinfo is None:
        return {**lesson, "updated_at": at.replace(tzinfo=dt.UTC)}
    return lesson


@blp.route("/teams/<uuid:team_id>/lessons", methods=["POST"])
@allow(Action.EDIT_PLAN, via="team_id")
@blp.arguments(LessonCreateSchema)
@blp.response(201, PlanSchema)
def plan_lesson(body: dict[str, Any], team_id: Any) -> dict[str, Any]:
    """Start a study lesson on a task; its plan begins with the team's research theme
    and the task's subject and grade."""
    service = services().service
    with referenced("task_id"):
        service.get_task(body["task_id"])
    lesson_id = service.plan_lesson(
        actor_id=actor().id, team_id=team_id, task_id=body["task_id"], title=body["title"]
    )
    return plan_body(lesson_id)

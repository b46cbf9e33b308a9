"""Academic tasks: the catalogue's key, each with its cognitive demand.

Any signed-in person may read a task (schools browse the catalogue by task); only a
team's members with a role that defines tasks may add or revise the team's tasks.
"""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from lessonstudy.domain.permissions import Action
from lessonstudy.domain.values import CognitiveDemand
from lessonstudy.server.api.access import actor, allow, no_query, signed_in_only
from lessonstudy.server.api.schemas import StrictSchema
from lessonstudy.server.api.text import text
from lessonstudy.server.context import services

blp = Blueprint("tasks", __name__, url_prefix="/api/v1", description="Academic tasks")
signed_in_only(blp)

DEMANDS = [demand.value for demand in CognitiveDemand]


class TaskCreateSchema(StrictSchema):
    statement = text(10_000, required=True, blank=False)
    subject = text(100, required=True, blank=False)
    grade = text(50, required=True, blank=False)
    topic = text(200, required=True, blank=False)
    materials = text(10_000, load_default="")
    cognitive_demand = fields.String(
        required=True,
        validate=validate.OneOf(DEMANDS),
        metadata={"description": "a level of the revised Bloom's taxonomy"},
    )


class TaskReviseSchema(StrictSchema):
    """Only the fields that change; the others keep their values."""

    statement = text(10_000, blank=False)
    subject = text(100, blank=False)
    grade = text(50, blank=False)
    topic = text(200, blank=False)
    materials = text(10_000)
    cognitive_demand = fields.String(validate=validate.OneOf(DEMANDS))


class TaskSchema(Schema):
    id = fields.String(required=True)
    team_id = fields.String(required=True)
    statement = fields.String(required=True)
    subject = fields.String(required=True)
    grade = fields.String(required=True)
    topic = fields.String(required=True)
    materials = fields.String(required=True)
    cognitive_demand = fields.String(required=True)
    version = fields.Integer(required=True)


class TaskSummarySchema(Schema):
    task_id = fields.String(required=True)
    team_id = fields.String(required=True)
    statement = fields.String(required=True)
    subject = fields.String(required=True)
    grade = fields.String(required=True)
    topic = fields.String(required=True)
    cognitive_demand = fields.String(required=True)


def task_body(task_id: Any) -> dict[str, Any]:
    return dict(services().service.get_task(task_id).__dict__)


@blp.route("/teams/<uuid:team_id>/tasks", methods=["GET"])
@allow(Action.OBSERVE, via="team_id")
@no_query(blp)
@blp.response(200, TaskSummarySchema(many=True))
def list_tasks(team_id: Any) -> list[dict[str, Any]]:
    """The team's tasks, by topic (from the dashboard view: it may lag a write by a moment)."""
    return services().queries.tasks_of(str(team_id))


@blp.route("/teams/<uuid:team_id>/tasks", methods=["POST"])
@allow(Action.DEFINE_TASK, via="team_id")
@blp.arguments(TaskCreateSchema)
@blp.response(201, TaskSchema)
def define_task(body: dict[str, Any], team_id: Any) -> dict[str, Any]:
    """Define a task for the team."""
    task_id = services().service.define_task(actor_id=actor().id, team_id=team_id, **body)
    return task_body(task_id)


@blp.route("/tasks/<uuid:task_id>", methods=["GET"])
@no_query(blp)
@blp.response(200, TaskSchema)
def read_task(task_id: Any) -> dict[str, Any]:
    """A task, for anyone signed in."""
    return task_body(task_id)


@blp.route("/tasks/<uuid:task_id>", methods=["PUT"])
@allow(Action.DEFINE_TASK, via="task_id")
@blp.arguments(TaskReviseSchema)
@blp.response(200, TaskSchema)
def revise_task(body: dict[str, Any], task_id: Any) -> dict[str, Any]:
    """Revise some of a task's fields."""
    services().service.revise_task(actor_id=actor().id, task_id=task_id, **body)
    return task_body(task_id)

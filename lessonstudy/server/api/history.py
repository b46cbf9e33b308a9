"""A plan's history, the difference between two revisions, and the plan as Markdown."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask_smorest import Blueprint
from marshmallow import RAISE, Schema, fields, validate

from lessonstudy.domain.permissions import Action
from lessonstudy.exports.plan_markdown import plan_markdown
from lessonstudy.server.api.access import allow, no_query, signed_in_only
from lessonstudy.server.api.schemas import StrictSchema
from lessonstudy.server.context import services

blp = Blueprint(
    "plan_history", __name__, url_prefix="/api/v1", description="Plan history and exports"
)
signed_in_only(blp)

KINDS = ["added", "removed", "changed", "moved"]


class HistoryEntrySchema(Schema):
    revision = fields.Integer(required=True)
    event = fields.String(required=True, metadata={"example": "StepFieldChanged"})
    part = fields.String(required=True, metadata={"example": "step:s2:key_question"})
    summary = fields.String(
        required=True, metadata={"example": "changed the key question of step 2"}
    )
    by = fields.String(allow_none=True)
    by_name = fields.String(allow_none=True)
    at = fields.DateTime(required=True)
    reason = fields.String(required=True)
    revision_id = fields.String(
        allow_none=True,
        metadata={"description": "the post-lesson discussion's revision this came from"},
    )
    discussion_id = fields.String(
        allow_none=True,
        metadata={
            "description": "the discussion that revision belongs to, or that started the plan"
            " version; its record (/api/v1/discussions/<id>/record.md) shows the evidence"
        },
    )


class DiffQuerySchema(StrictSchema):
    from_ = fields.Integer(
        required=True, data_key="from", validate=validate.Range(min=1), metadata={"example": 3}
    )
    to = fields.Integer(
        validate=validate.Range(min=1),
        metadata={"description": "the later revision; the latest when left out"},
    )


class DifferenceSchema(Schema):
    part = fields.String(required=True)
    label = fields.String(required=True, metadata={"example": "Step 2 · Key question"})
    before = fields.Raw(allow_none=True)
    after = fields.Raw(allow_none=True)
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))


class DiffSchema(Schema):
    from_ = fields.Integer(required=True, data_key="from", attribute="from")
    to = fields.Integer(required=True)
    changes = fields.List(fields.Nested(DifferenceSchema), required=True)


@blp.route("/lessons/<uuid:lesson_id>/history", methods=["GET"])
@allow(Action.OBSERVE, via="lesson_id")
@no_query(blp)
@blp.response(200, HistoryEntrySchema(many=True))
def plan_history(lesson_id: Any) -> list[dict[str, Any]]:
    """Every change to the plan, oldest first, in plain words with who made it and why."""
    return [entry.__dict__ for entry in services().service.plan_history(lesson_id)]


@blp.route("/lessons/<uuid:lesson_id>/diff", methods=["GET"])
@allow(Action.OBSERVE, via="lesson_id")
@blp.arguments(DiffQuerySchema, location="query", unknown=RAISE)
@blp.response(200, DiffSchema)
def plan_diff(query: dict[str, Any], lesson_id: Any) -> dict[str, Any]:
    """What differs between revision ?from=A and ?to=B (the latest when left out)."""
    service = services().service
    to = query.get("to") or service.get_plan(lesson_id).revision
    changes = service.plan_diff(lesson_id, query["from_"], to)
    return {"from": query["from_"], "to": to, "changes": [c.__dict__ for c in changes]}


@blp.route("/lessons/<uuid:lesson_id>/plan.md", methods=["GET"])
@allow(Action.OBSERVE, via="lesson_id")
@no_query(blp)
@blp.doc(
    responses={
        "200": {
            "description": "the research lesson plan as Markdown",
            "content": {"text/markdown": {"schema": {"type": "string"}}},
        }
    }
)
def plan_as_markdown(lesson_id: Any) -> Response:
    """The research lesson plan as a Markdown document, laid out as teams write it."""
    text = plan_markdown(services().service, lesson_id)
    return Response(
        text,
        mimetype="text/markdown",
        headers={"Content-Disposition": 'inline; filename="lesson-plan.md"'},
    )

"""The misconception picker: search the catalogue by its words, or add an entry.

Searching reads the MisconceptionIndex view (it may lag a write by a moment); adding
goes through the service and answers with the entry as stored.
"""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from marshmallow import RAISE, Schema, fields, validate

from lessonstudy.domain.permissions import Action
from lessonstudy.projections.misconception_index import MisconceptionSearch
from lessonstudy.server.api.access import actor, allow, referenced, signed_in_only
from lessonstudy.server.api.schemas import StrictSchema
from lessonstudy.server.api.text import Text, text
from lessonstudy.server.context import services

blp = Blueprint("misconceptions", __name__, url_prefix="/api/v1", description="The catalogue")
signed_in_only(blp)


class SearchQuerySchema(StrictSchema):
    q = Text(load_default="", validate=validate.Length(max=200))
    task_id = fields.UUID(metadata={"description": "this task's entries come first"})
    limit = fields.Integer(load_default=20, validate=validate.Range(1, 100))


class EntrySchema(Schema):
    id = fields.String(required=True)
    statement = fields.String(required=True)
    task_id = fields.String(allow_none=True)
    topic = fields.String(required=True)
    subject = fields.String(required=True)
    source = fields.String(required=True)


class CatalogueSchema(StrictSchema):
    statement = text(2000, required=True, blank=False)
    task_id = fields.UUID(allow_none=True, load_default=None)
    topic = text(200, load_default="")
    subject = text(100, load_default="")


def search() -> MisconceptionSearch:
    return MisconceptionSearch(services().engine, services().read_models.misconception_index)


@blp.route("/misconceptions", methods=["GET"])
@blp.arguments(SearchQuerySchema, location="query", unknown=RAISE)
@blp.response(200, EntrySchema(many=True))
def find(query: dict[str, Any]) -> list[dict[str, Any]]:
    """Entries whose statement contains q (any case), the task's own first; entries
    merged into another are left out."""
    task_id = query.get("task_id")
    return search().search(
        text=query["q"].strip(), task_id=str(task_id) if task_id else None, limit=query["limit"]
    )


@blp.route("/teams/<uuid:team_id>/misconceptions", methods=["POST"])
@allow(Action.CONTRIBUTE_TO_DISCUSSION, via="team_id")
@blp.arguments(CatalogueSchema)
@blp.response(201, EntrySchema)
def catalogue(body: dict[str, Any], team_id: Any) -> dict[str, Any]:
    """Name a misconception the team anticipates; it needs a task or a topic. An entry
    on a task is filed under the task's topic and subject unless the body says others."""
    service = services().service
    task_id, topic, subject = body["task_id"], body["topic"], body["subject"]
    if task_id is not None:
        with referenced("task_id"):
            task = service.get_task(task_id)
        # Schools browse the catalogue by subject and topic too, not only by task.
        topic, subject = topic.strip() or task.topic, subject.strip() or task.subject
    entry_id = service.catalogue_misconception(
        actor_id=actor().id,
        team_id=team_id,
        statement=body["statement"],
        task_id=str(task_id) if task_id else None,
        topic=topic,
        subject=subject,
    )
    return dict(service.get_misconception(entry_id).__dict__)

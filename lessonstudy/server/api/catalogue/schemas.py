"""Schemas of the catalogue API: what the OpenAPI document says each answer holds."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from lessonstudy.server.api.schemas import StrictSchema
from lessonstudy.server.api.text import Text


class CatalogueFiltersSchema(StrictSchema):
    q = Text(
        load_default="",
        validate=validate.Length(max=200),
        metadata={"description": "words, each matched as a prefix; the newest entries first"},
    )
    subject = Text(validate=validate.Length(max=100))
    grade = Text(validate=validate.Length(max=50))
    topic = Text(validate=validate.Length(max=200))
    task_id = fields.UUID(metadata={"description": "numbers within this task only"})


class CatalogueListQuerySchema(CatalogueFiltersSchema):
    limit = fields.Integer(load_default=20, validate=validate.Range(1, 100))
    offset = fields.Integer(load_default=0, validate=validate.Range(0, 1_000_000))
    detail = fields.Boolean(
        load_default=False,
        metadata={"description": "add two quotes, the helpful responses and the lessons"},
    )


class CatalogueTasksQuerySchema(StrictSchema):
    subject = Text(validate=validate.Length(max=100))
    grade = Text(validate=validate.Length(max=50))
    topic = Text(validate=validate.Length(max=200))
    limit = fields.Integer(load_default=50, validate=validate.Range(1, 200))
    offset = fields.Integer(load_default=0, validate=validate.Range(0, 1_000_000))


class CatalogueExportQuerySchema(CatalogueFiltersSchema):
    format = fields.String(load_default="csv", validate=validate.OneOf(["csv", "json"]))


class CatalogueNumbersSchema(Schema):
    anticipated = fields.Integer(metadata={"description": "lessons whose plan links it"})
    observed = fields.Integer(metadata={"description": "live notes showing it"})
    teachings = fields.Integer(metadata={"description": "teachings it was observed in"})
    students = fields.Integer(metadata={"description": "distinct (teaching, seat)"})
    confirmed = fields.Integer(metadata={"description": "discussions that confirmed it"})


class CatalogueQuoteSchema(Schema):
    note_id = fields.String()
    text = fields.String(metadata={"description": "the student's words or work, as noted"})
    code = fields.String(allow_none=True, metadata={"example": "G3-S2"})
    kind = fields.String(metadata={"example": "student_talk"})


class CatalogueHelpfulSchema(Schema):
    text = fields.String()
    from_ = fields.String(data_key="from", attribute="from", metadata={"example": "discussion"})
    lesson_id = fields.String()


class CatalogueRevisionSchema(Schema):
    summary = fields.String(metadata={"example": "Ask the 102 and 100 question"})
    teacher_support = fields.List(
        fields.String(), metadata={"description": "the teacher support its changes set"}
    )
    lesson_id = fields.String()
    title = fields.String(metadata={"description": "the study lesson's title"})
    accepted_at = fields.String()


class CatalogueSourceLessonSchema(Schema):
    lesson_id = fields.String()
    title = fields.String()
    how = fields.List(fields.String(), metadata={"example": ["anticipated", "observed"]})


class CatalogueTaxonomySchema(Schema):
    taxonomy = fields.String(metadata={"example": "MaE"})
    external_id = fields.String(metadata={"example": "MaE07"})


class CatalogueCardSchema(Schema):
    id = fields.String(required=True)
    statement = fields.String(required=True)
    topic = fields.String()
    subject = fields.String()
    source = fields.String(metadata={"example": "imported"})
    task_id = fields.String(allow_none=True, metadata={"description": "the task it is filed under"})
    merged = fields.List(fields.String(), metadata={"description": "entries merged into it"})
    numbers = fields.Nested(CatalogueNumbersSchema)
    first_seen = fields.String()
    last_seen = fields.String()
    taxonomies = fields.List(fields.Nested(CatalogueTaxonomySchema))
    quotes = fields.List(fields.Nested(CatalogueQuoteSchema))
    helpful_responses = fields.List(fields.Nested(CatalogueHelpfulSchema))
    accepted_revisions = fields.List(
        fields.Nested(CatalogueRevisionSchema),
        metadata={
            "description": "changes of teaching a discussion accepted because of it (not yet "
            "seen to help: that is helpful_responses)"
        },
    )
    lessons = fields.List(fields.Nested(CatalogueSourceLessonSchema))
    examples = fields.List(fields.Dict(), metadata={"description": "as published"})


class CatalogueEntrySchema(CatalogueCardSchema):
    requested_id = fields.String(metadata={"description": "the id asked for (maybe merged)"})
    tasks = fields.List(fields.Dict(), metadata={"description": "its numbers per task"})


class CatalogueCardListSchema(Schema):
    total = fields.Integer(required=True)
    items = fields.List(fields.Nested(CatalogueCardSchema), required=True)


class CatalogueTaskSummarySchema(Schema):
    task_id = fields.String()
    statement = fields.String()
    subject = fields.String()
    grade = fields.String()
    topic = fields.String()
    cognitive_demand = fields.String()
    defined_at = fields.String()
    misconceptions = fields.Integer()
    observed = fields.Integer()
    confirmed = fields.Integer()


class CatalogueTaskListSchema(Schema):
    total = fields.Integer(required=True)
    items = fields.List(fields.Nested(CatalogueTaskSummarySchema), required=True)


class CatalogueTaskPageSchema(Schema):
    task = fields.Nested(CatalogueTaskSummarySchema)
    misconceptions = fields.List(fields.Nested(CatalogueCardSchema))


class CatalogueFacetSchema(Schema):
    value = fields.String()
    tasks = fields.Integer()


class CatalogueFacetsSchema(Schema):
    subject = fields.List(fields.Nested(CatalogueFacetSchema))
    grade = fields.List(fields.Nested(CatalogueFacetSchema))
    topic = fields.List(fields.Nested(CatalogueFacetSchema))


class CatalogueComparisonSchema(Schema):
    """Anticipated against observed; each part is described in the endpoint's text."""

    class Meta:
        unknown = "include"

    teaching_id = fields.String()
    lesson_id = fields.String()
    plan_version = fields.Integer()
    status = fields.String()
    counts = fields.Dict(metadata={"example": {"anticipated": 6, "occurred": 4}})
    anticipated = fields.List(fields.Dict())
    unanticipated = fields.List(fields.Dict())


class CatalogueLessonComparisonSchema(Schema):
    lesson_id = fields.String()
    task_id = fields.String()
    title = fields.String()
    plan_version = fields.Integer()
    versions = fields.List(fields.Dict(), metadata={"description": "per plan version, teachings"})


class CatalogueTaskComparisonSchema(Schema):
    task = fields.Nested(CatalogueTaskSummarySchema)
    teachings = fields.Integer()
    responses = fields.List(fields.Dict(), metadata={"description": "per lesson and response"})
    unanticipated = fields.Dict()

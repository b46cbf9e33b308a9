"""Schemas of the plan: what each editable part accepts, and the plan as it is sent.

Each plan field has its own endpoint and its own request schema, so the OpenAPI
document says exactly what a value may be (a class layout is an object of arrays of
seat codes, minutes an integer from 0 to 240) and generated clients and property
tests send the right shapes. The domain checks the same rules again.
"""

from __future__ import annotations

from collections.abc import Callable

from marshmallow import Schema, fields, validate

from lessonstudy.domain.values import ResponseKind
from lessonstudy.server.api.schemas import StrictSchema
from lessonstudy.server.api.text import CODE, Text, client_id, text

KINDS = [kind.value for kind in ResponseKind]


def _codes() -> fields.List:
    return fields.List(Text(validate=CODE), required=True, validate=validate.Length(max=200))


def _layout() -> fields.Dict:
    return fields.Dict(
        keys=Text(validate=CODE),
        values=_codes(),
        required=True,
        metadata={"description": "group code -> its seat codes; a seat sits in one group"},
    )


def _focus() -> fields.Dict:
    return fields.Dict(
        keys=Text(validate=validate.Length(min=1, max=100)),
        values=_codes(),
        required=True,
        metadata={"description": "observer (person id) -> the seat or group codes they follow"},
    )


ValueField = Callable[[], fields.Field]

PLAN_VALUES: dict[str, ValueField] = {
    "title": lambda: text(200, required=True, blank=False),
    "subject": lambda: text(100, required=True),
    "grade": lambda: text(50, required=True),
    "date": lambda: Text(
        required=True,
        validate=validate.Regexp(
            r"^([0-9]{4}-[0-9]{2}-[0-9]{2})?$", error="must be a date like 2026-11-23"
        ),
        metadata={"description": "an ISO date, or empty"},
    ),
    "instructor_id": lambda: Text(
        required=True, allow_none=True, validate=validate.Length(max=100)
    ),
    "research_theme": lambda: text(20_000, required=True),
    "unit_goals": lambda: text(20_000, required=True),
    "lesson_goals": lambda: text(20_000, required=True),
    "rationale": lambda: text(20_000, required=True),
    "development": lambda: text(20_000, required=True),
    "data_collection_points": lambda: text(20_000, required=True),
    "class_layout": _layout,
    "focus": _focus,
}


def _minutes(required: bool = True) -> fields.Integer:
    return fields.Integer(required=required, strict=True, validate=validate.Range(0, 240))


STEP_VALUES: dict[str, ValueField] = {
    "activity": lambda: text(5000, required=True),
    "key_question": lambda: text(5000, required=True),
    "teacher_support": lambda: text(20_000, required=True),
    "points_to_notice": lambda: text(20_000, required=True),
    "minutes": _minutes,
}

RESPONSE_VALUES: dict[str, ValueField] = {
    "text": lambda: text(5000, required=True, blank=False),
    "kind": lambda: fields.String(required=True, validate=validate.OneOf(KINDS)),
    "misconception_id": lambda: fields.UUID(required=True, allow_none=True),
}


def _reason() -> Text:
    return text(1000, load_default="", metadata={"description": "why, in a few words"})


def _base_revision() -> fields.Integer:
    return fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(min=1),
        metadata={"description": "the revision the editor started from"},
    )


def edit_schema(name: str, value: fields.Field) -> type[Schema]:
    """The body of one field's edit: {value, base_revision, reason?}."""
    schema: type[Schema] = StrictSchema.from_dict(
        {"value": value, "base_revision": _base_revision(), "reason": _reason()},
        name=f"{name}EditSchema",
    )
    return schema


def camel(name: str) -> str:
    return "".join(word.capitalize() for word in name.split("_"))


class StepFieldsSchema(StrictSchema):
    """A new step's fields: it names only what it has, the rest start empty."""

    activity = text(5000)
    key_question = text(5000)
    teacher_support = text(20_000)
    points_to_notice = text(20_000)
    minutes = _minutes(required=False)


class AddStepSchema(StrictSchema):
    step_id = client_id(metadata={"description": "chosen by the client; a uuid4 when absent"})
    position = fields.Integer(strict=True, validate=validate.Range(min=0))
    fields_ = fields.Nested(StepFieldsSchema, data_key="fields")
    reason = _reason()


class MoveStepSchema(StrictSchema):
    position = fields.Integer(required=True, strict=True, validate=validate.Range(min=0))
    reason = _reason()


class AnticipateSchema(StrictSchema):
    response_id = client_id(metadata={"description": "chosen by the client; a uuid4 when absent"})
    kind = RESPONSE_VALUES["kind"]()
    text = RESPONSE_VALUES["text"]()
    misconception_id = fields.UUID(allow_none=True, load_default=None)
    reason = _reason()


class RemoveQuerySchema(StrictSchema):
    base_revision = fields.Integer(required=True, validate=validate.Range(min=1))
    reason = _reason()


class RevisionQuerySchema(StrictSchema):
    revision = fields.Integer(validate=validate.Range(min=1))


# --- what is sent back ----------------------------------------------------------------


class ResponseOutSchema(Schema):
    id = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    text = fields.String(required=True)
    misconception_id = fields.String(allow_none=True)


class StepOutSchema(Schema):
    id = fields.String(required=True)
    activity = fields.String(required=True)
    key_question = fields.String(required=True)
    teacher_support = fields.String(required=True)
    points_to_notice = fields.String(required=True)
    minutes = fields.Integer(required=True)
    responses = fields.List(fields.Nested(ResponseOutSchema), required=True)


class PlanFieldsOutSchema(Schema):
    title = fields.String(required=True)
    subject = fields.String(required=True)
    grade = fields.String(required=True)
    date = fields.String(required=True)
    instructor_id = fields.String(allow_none=True)
    research_theme = fields.String(required=True)
    unit_goals = fields.String(required=True)
    lesson_goals = fields.String(required=True)
    rationale = fields.String(required=True)
    development = fields.String(required=True)
    data_collection_points = fields.String(required=True)
    class_layout = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))
    focus = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))


class ChangedBySchema(Schema):
    revision = fields.Integer(required=True)
    by = fields.String(required=True)
    by_name = fields.String(required=True)


class PlanSchema(Schema):
    lesson_id = fields.String(required=True)
    team_id = fields.String(required=True)
    task_id = fields.String(required=True)
    revision = fields.Integer(required=True)
    plan_version = fields.Integer(required=True)
    fields_ = fields.Nested(PlanFieldsOutSchema, data_key="fields", attribute="fields")
    steps = fields.List(fields.Nested(StepOutSchema), required=True)
    versions = fields.List(fields.Dict(), required=True)
    teaching_ids = fields.List(fields.String(), required=True)
    last_changed = fields.Dict(
        keys=fields.String(),
        values=fields.Nested(ChangedBySchema),
        metadata={"description": 'part key ("title", "step:<id>:minutes") -> last change'},
    )


class PlanEditSchema(Schema):
    revision = fields.Integer(required=True, metadata={"description": "the plan's revision now"})
    changed = fields.Boolean(
        required=True, metadata={"description": "false when the plan already said this"}
    )
    plan = fields.Nested(PlanSchema, required=True)

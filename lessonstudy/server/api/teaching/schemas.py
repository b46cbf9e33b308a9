"""Request and response bodies of the teaching endpoints."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from lessonstudy.domain.observation import NOTE_TEXT_LIMIT
from lessonstudy.domain.teaching import GUEST_ROLES
from lessonstudy.domain.values import LessonMode, NoteKind, SubjectKind
from lessonstudy.server.api.schemas import StrictSchema
from lessonstudy.server.api.text import CODE, Text, client_id, text

MODES = [mode.value for mode in LessonMode]


class ScheduleSchema(StrictSchema):
    instructor_id = Text(
        required=True,
        validate=validate.Length(min=1, max=100),
        metadata={"description": "the team member who teaches it"},
    )
    class_label = text(100, required=True, blank=False)


class StartSchema(StrictSchema):
    mode = fields.String(load_default="whole_class", validate=validate.OneOf(MODES))


class ModeSchema(StrictSchema):
    mode = fields.String(required=True, validate=validate.OneOf(MODES))


class StepSchema(StrictSchema):
    step_id = client_id(required=True)


class FocusSchema(StrictSchema):
    codes = fields.List(Text(validate=CODE), required=True, validate=validate.Length(max=100))


class GuestJoinSchema(StrictSchema):
    join_code = Text(required=True, validate=validate.Length(min=4, max=16))
    name = text(200, required=True, blank=False)
    roles = fields.List(
        fields.String(validate=validate.OneOf(sorted(GUEST_ROLES))),
        load_default=["observer"],
        validate=validate.Length(min=1, max=2),
    )


class NotesQuerySchema(StrictSchema):
    since = fields.Integer(load_default=0, validate=validate.Range(min=0))


class GuestSchema(Schema):
    teaching_id = fields.String(required=True)
    person_id = fields.String(required=True)
    name = fields.String(required=True)
    guest = fields.Boolean(required=True, metadata={"description": "false if signed in"})


class JoinCodeSchema(Schema):
    join_code = fields.String(required=True)


class PhotoSchema(Schema):
    photo_id = fields.String(required=True)


class NoteSchema(Schema):
    note_id = fields.String(required=True)
    teaching_id = fields.String(required=True)
    observer_id = fields.String(required=True)
    recorded_at = fields.String(required=True)
    offset_seconds = fields.Float(required=True)
    retracted = fields.Boolean(required=True)
    amendments = fields.Integer(required=True)
    subject_kind = fields.String(required=True, metadata={"enum": [k.value for k in SubjectKind]})
    subject_code = fields.String(allow_none=True)
    kind = fields.String(required=True, metadata={"enum": [k.value for k in NoteKind]})
    text = fields.String(required=True, metadata={"maxLength": NOTE_TEXT_LIMIT})
    step_id = fields.String(required=True)
    response_ids = fields.List(fields.String(), required=True)
    misconception_ids = fields.List(fields.String(), required=True)
    unanticipated = fields.Boolean(required=True)
    photo_id = fields.String(allow_none=True)
    flagged = fields.Boolean(required=True)


class NoteChangeSchema(Schema):
    teaching_id = fields.String(required=True)
    type = fields.String(required=True, metadata={"enum": ["recorded", "amended", "retracted"]})
    position = fields.Integer(
        allow_none=True, metadata={"description": "null in a snapshot"}, required=True
    )
    note_id = fields.String(required=True)
    observer_id = fields.String(required=True)
    at = fields.String(required=True)
    note = fields.Nested(NoteSchema, metadata={"description": "type recorded"})
    changes = fields.Dict(metadata={"description": "type amended: the fields that changed"})
    reason = fields.String(metadata={"description": "type retracted"})


class CatchUpSchema(Schema):
    head = fields.Integer(required=True)
    snapshot = fields.Boolean(required=True)
    notes_since = fields.List(fields.Nested(NoteChangeSchema), required=True)


class ModeAtSchema(Schema):
    mode = fields.String(required=True)
    at = fields.String(required=True)


class TeachingSchema(Schema):
    id = fields.String(required=True)
    lesson_id = fields.String(required=True)
    team_id = fields.String(required=True)
    plan_version = fields.Integer(required=True)
    plan_revision = fields.Integer(required=True)
    instructor_id = fields.String(required=True)
    class_label = fields.String(required=True)
    class_layout = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))
    status = fields.String(required=True, metadata={"enum": ["scheduled", "started", "ended"]})
    started_at = fields.String(allow_none=True)
    ended_at = fields.String(allow_none=True)
    current_step_id = fields.String(allow_none=True)
    mode = fields.String(allow_none=True)
    modes = fields.List(fields.Nested(ModeAtSchema))
    guests = fields.Dict(keys=fields.String(), values=fields.Dict())
    join_code = fields.String(
        allow_none=True, metadata={"description": "only for those who run the lesson"}
    )
    focus = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))
    observers = fields.List(fields.String())
    version = fields.Integer(required=True)
    steps = fields.List(
        fields.Dict(), metadata={"description": "the plan's steps as taught (GET only)"}
    )
    people = fields.Dict(
        keys=fields.String(),
        values=fields.Dict(),
        metadata={"description": "person id -> {name, guest}: the team, observers and guests"},
    )

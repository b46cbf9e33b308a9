"""The payloads of the observation events: one strict schema each (unknown fields 422)."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate

from lessonstudy.domain.observation import NOTE_FIELDS, NOTE_TEXT_LIMIT
from lessonstudy.domain.values import NoteKind, SubjectKind
from lessonstudy.server.api.schemas import StrictSchema
from lessonstudy.server.api.text import CODE, Text, client_id, text


class StrictBoolean(fields.Boolean):
    """true or false only: "yes", 1 or "off" from a client is a mistake, not a flag."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise ValidationError("must be true or false")
        return value


class TeachingRefSchema(Schema):
    """Only the teaching an event is about, read first to check who may ask (unknown
    fields are left for the event's own schema)."""

    class Meta:
        unknown = "exclude"

    teaching_id = fields.UUID(required=True)


class JoinSchema(StrictSchema):
    teaching_id = fields.UUID(required=True)
    since = fields.Integer(
        load_default=0,
        strict=True,  # "5" or 1.5 is a client's mistake, never a position
        validate=validate.Range(min=0),
        metadata={"description": "the last log position the client has; 0 for none"},
    )


class LeaveSchema(StrictSchema):
    teaching_id = fields.UUID(required=True)


class NoteFieldsSchema(StrictSchema):
    # A note's fields, as recorded and as amended (partial): the amendable fields are
    # these and no others. note_id and recorded_at are not among them: the moment a
    # note was taken places it in the lesson and is never moved; a note is re-filed by
    # its step, subject and tags instead.
    error_messages = {"type": "must be an object of note fields"}

    subject_kind = fields.String(
        required=True, validate=validate.OneOf([k.value for k in SubjectKind])
    )
    subject_code = Text(validate=CODE, allow_none=True, load_default=None)
    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in NoteKind]))
    text = text(NOTE_TEXT_LIMIT, required=True, blank=False)
    step_id = client_id(required=True)
    response_ids = fields.List(client_id(), load_default=list, validate=validate.Length(max=50))
    misconception_ids = fields.List(
        Text(validate=validate.Length(min=1, max=100)),
        load_default=list,
        validate=validate.Length(max=50),
    )
    unanticipated = StrictBoolean(load_default=False)
    photo_id = Text(validate=validate.Length(min=1, max=100), allow_none=True, load_default=None)
    flagged = StrictBoolean(load_default=False)


class RecordSchema(NoteFieldsSchema):
    teaching_id = fields.UUID(required=True)
    note_id = Text(required=True, validate=validate.Length(min=1, max=64))
    recorded_at = fields.AwareDateTime(
        required=True, metadata={"description": "ISO 8601 with offset, the device's clock"}
    )


class AmendSchema(StrictSchema):
    teaching_id = fields.UUID(required=True)
    note_id = Text(required=True, validate=validate.Length(min=1, max=64))
    # Some of a note's fields: none is required, at least one is given.
    changes = fields.Nested(
        NoteFieldsSchema(partial=True),
        required=True,
        validate=validate.Length(min=1, error="give at least one field to change"),
    )


class RetractSchema(StrictSchema):
    teaching_id = fields.UUID(required=True)
    note_id = Text(required=True, validate=validate.Length(min=1, max=64))
    reason = text(500, load_default="")


class FocusSchema(StrictSchema):
    teaching_id = fields.UUID(required=True)
    codes = fields.List(Text(validate=CODE), required=True, validate=validate.Length(max=100))


assert set(NoteFieldsSchema().fields) == set(NOTE_FIELDS)  # the domain's fields, no more

"""Schemas shared by the API's blueprints. Unknown fields are refused everywhere."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields


class StrictSchema(Schema):
    """A request body: unknown fields are an error naming the field."""

    class Meta:
        unknown = RAISE
        ordered = True


class NoQuerySchema(StrictSchema):
    """The query of a route that takes none: every parameter is unknown, refused by name."""


class ErrorSchema(Schema):
    status = fields.Integer(required=True)
    code = fields.String(required=True, metadata={"example": "invalid"})
    message = fields.String(required=True)
    field_messages = fields.Dict(
        data_key="fields",
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "messages per field (dotted paths), for 422"},
    )
    current = fields.Dict(metadata={"description": "the current state, for 409"})


class ErrorResponseSchema(Schema):
    error = fields.Nested(ErrorSchema, required=True)


class PersonSchema(Schema):
    id = fields.String(required=True)
    email = fields.String(required=True)
    display_name = fields.String(required=True)

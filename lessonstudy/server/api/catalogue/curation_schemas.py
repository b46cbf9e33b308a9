"""Schemas of the curation API: request bodies, the curated entry, an entry's history."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from lessonstudy.server.api.catalogue.schemas import CatalogueEntrySchema
from lessonstudy.server.api.schemas import StrictSchema
from lessonstudy.server.api.text import text


class StatementSchema(StrictSchema):
    statement = text(2000, required=True, blank=False)
    version = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(min=1),
        metadata={"description": "the entry's version the curator edited (409 if it moved on)"},
    )


class MergeSchema(StrictSchema):
    into = fields.UUID(
        required=True, metadata={"description": "the entry that absorbs this one and its numbers"}
    )


class HideQuoteSchema(StrictSchema):
    note_id = text(64, required=True, blank=False)
    reason = text(500, load_default="")


class CuratedEntrySchema(CatalogueEntrySchema):
    version = fields.Integer(
        required=True, metadata={"description": "send it back with the next statement edit"}
    )


class EntryChangeSchema(Schema):
    at = fields.DateTime(required=True)
    version = fields.Integer(required=True, metadata={"description": "the entry's, after it"})
    what = fields.String(
        required=True,
        validate=validate.OneOf(
            ["created", "statement_edited", "merged_into", "absorbed", "quote_hidden"]
        ),
    )
    summary = fields.String(required=True, metadata={"example": "Statement edited"})
    by = fields.String(metadata={"description": "who, only for people on a team with you"})
    by_name = fields.String(
        metadata={"description": "their name, only for people on a team with you"}
    )
    statement = fields.String(metadata={"description": "created, statement_edited: the words"})
    before = fields.String(metadata={"description": "statement_edited: the words before"})
    source = fields.String(metadata={"description": "created: anticipated, observed, imported"})
    into = fields.String(metadata={"description": "merged_into: the entry that absorbed it"})
    absorbed = fields.String(metadata={"description": "absorbed: the duplicate taken in"})
    other_statement = fields.String(metadata={"description": "merges: the other entry's words"})
    note_id = fields.String(metadata={"description": "quote_hidden: the note no longer quoted"})
    reason = fields.String(metadata={"description": "quote_hidden: why"})

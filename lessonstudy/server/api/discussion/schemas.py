"""Request and response bodies of the post-lesson discussion, over REST and Socket.IO.

The Socket.IO events take the same bodies with the ids the REST paths carry added as
fields (discussion_id, and pattern_id, note_id or revision_id where a path names one).
Cited notes may be an empty list here: the domain refuses a missing citation with a
message that says why ("cite at least one note as evidence"), which is clearer than
a length rule.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from lessonstudy.domain.discussion import PHASES
from lessonstudy.server.api.schemas import StrictSchema
from lessonstudy.server.api.text import Text, client_id, text

NOTES_CITED_LIMIT = 500


def note_ids(**kwargs: object) -> fields.List:
    return fields.List(
        Text(validate=validate.Length(min=1, max=100)),
        validate=validate.Length(max=NOTES_CITED_LIMIT),
        metadata={"description": "the notes cited as evidence (note ids of this teaching)"},
        **kwargs,  # type: ignore[arg-type]
    )


class PhaseSchema(StrictSchema):
    phase = fields.String(required=True, validate=validate.OneOf(PHASES))
    from_phase = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(PHASES),
        metadata={"description": "the phase the screen showed; 409 if it moved meanwhile"},
    )


class ContributionSchema(StrictSchema):
    contribution_id = client_id(required=True)
    text = text(10_000, required=True, blank=False)
    note_ids = note_ids(load_default=list)
    step_id = client_id(load_default=None, allow_none=True)


class PatternSchema(StrictSchema):
    pattern_id = client_id(required=True)
    name = text(200, required=True, blank=False)
    note_ids = note_ids(load_default=list)


class RenameSchema(StrictSchema):
    name = text(200, required=True, blank=False)
    base_name = Text(
        load_default=None,
        allow_none=True,
        metadata={"description": "the name the screen showed; 409 if renamed meanwhile"},
    )


class PlacementSchema(StrictSchema):
    pattern_id = client_id(
        required=True, allow_none=True, metadata={"description": "null: back on the wall"}
    )
    from_pattern_id = client_id(
        allow_none=True,
        metadata={"description": "where the screen showed the note (null: the wall); 409 if moved"},
    )


class ClaimSchema(StrictSchema):
    claim_id = client_id(required=True)
    text = text(10_000, required=True, blank=False)
    note_ids = note_ids(load_default=list)


class ConfirmationSchema(StrictSchema):
    misconception_id = fields.UUID(required=True)
    note_ids = note_ids(load_default=list)
    helpful_responses = text(10_000, load_default="")


class RevisionSchema(StrictSchema):
    revision_id = client_id(required=True)
    summary = text(2000, required=True, blank=False)
    changes = fields.List(
        fields.Dict(),
        required=True,
        metadata={
            "description": "plan operations: change_field, change_step, add_step,"
            " anticipate_response (see docs/api.md)"
        },
    )
    note_ids = note_ids(load_default=list)


class DecisionSchema(StrictSchema):
    accept = fields.Boolean(required=True)
    reason = text(10_000, load_default="")


# --- Socket.IO: the REST bodies plus the ids of the paths --------------------------


class DiscussionRefSchema(Schema):
    """Only the discussion id is read first (who may do what is checked before the rest)."""

    class Meta:
        unknown = "exclude"

    discussion_id = fields.UUID(required=True)


class DiscussionEventSchema(StrictSchema):
    discussion_id = fields.UUID(required=True)


def path_id() -> Text:
    return Text(required=True, validate=validate.Length(min=1, max=100))


class JoinSchema(DiscussionEventSchema):
    pass


class PhaseEventSchema(DiscussionEventSchema, PhaseSchema):
    pass


class ContributionEventSchema(DiscussionEventSchema, ContributionSchema):
    pass


class PatternEventSchema(DiscussionEventSchema, PatternSchema):
    pass


class RenameEventSchema(DiscussionEventSchema, RenameSchema):
    pattern_id = path_id()


class PlacementEventSchema(DiscussionEventSchema, PlacementSchema):
    note_id = path_id()


class ClaimEventSchema(DiscussionEventSchema, ClaimSchema):
    pass


class ConfirmationEventSchema(DiscussionEventSchema, ConfirmationSchema):
    pass


class RevisionEventSchema(DiscussionEventSchema, RevisionSchema):
    pass


class DecisionEventSchema(DiscussionEventSchema, DecisionSchema):
    revision_id = path_id()


# --- responses -----------------------------------------------------------------------


class DiscussionSchema(Schema):
    """The discussion's state; lists keep the order things were said in."""

    class Meta:
        unknown = "include"

    id = fields.String(required=True)
    teaching_id = fields.String(required=True)
    lesson_id = fields.String(required=True)
    team_id = fields.String(required=True)
    phase = fields.String(required=True, metadata={"enum": [*PHASES, "closed"]})
    phases = fields.List(fields.String(), required=True)
    phase_log = fields.List(
        fields.Dict(), metadata={"description": "{phase, direction, at, by}: going back shows"}
    )
    contributions = fields.List(fields.Dict())
    patterns = fields.List(fields.Dict(), metadata={"description": "{pattern_id, name, note_ids}"})
    claims = fields.List(fields.Dict())
    confirmed = fields.List(
        fields.Dict(), metadata={"description": "{misconception_id, statement, note_ids, ...}"}
    )
    revisions = fields.List(fields.Dict())
    next_plan_version = fields.Integer(allow_none=True)
    version = fields.Integer(required=True)


class BoardSchema(Schema):
    """GET and the join ack: the state, the teaching as taught, its notes and names."""

    discussion = fields.Nested(DiscussionSchema, required=True)
    teaching = fields.Dict(
        required=True, metadata={"description": "the teaching with its steps and people"}
    )
    notes = fields.List(fields.Dict(), required=True)
    misconceptions = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        metadata={"description": "id -> statement: the plan's, the notes' and those confirmed"},
    )
    you = fields.Dict(metadata={"description": "{person_id, name, guest, facilitator}"})


class DiscussionInvitationSchema(Schema):
    join_code = fields.String(required=True, metadata={"example": "K7QX2M"})
    teaching_id = fields.String(required=True)
    join_url = fields.String(required=True, metadata={"description": "the join page"})

"""Teams, their members and invitations."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from lessonstudy.domain.account import account_id_for
from lessonstudy.domain.permissions import Action
from lessonstudy.domain.values import Role
from lessonstudy.server.api.access import allow, no_query, signed_in_only
from lessonstudy.server.api.schemas import StrictSchema
from lessonstudy.server.auth import current_person
from lessonstudy.server.context import services

blp = Blueprint("teams", __name__, url_prefix="/api/v1", description="Teams and members")
# Signed out is 401 before anything else, a stray query parameter included.
signed_in_only(blp)

ROLES = [role.value for role in Role]
RoleList = fields.List(
    fields.String(validate=validate.OneOf(ROLES)),
    required=True,  # without it a body lacking roles reached the view: a KeyError, a 500
    validate=validate.Length(min=1, max=6),
)


class TeamCreateSchema(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    school = fields.String(required=True, validate=validate.Length(min=1, max=200))
    research_theme = fields.String(load_default="", validate=validate.Length(max=10000))
    roles = fields.List(
        fields.String(validate=validate.OneOf(ROLES)),
        load_default=["planner", "facilitator"],
        validate=validate.Length(min=1, max=6),
    )


class TeamDetailsSchema(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    school = fields.String(required=True, validate=validate.Length(min=1, max=200))
    research_theme = fields.String(required=True, validate=validate.Length(max=10000))


class MemberSchema(Schema):
    person_id = fields.String(required=True)
    name = fields.String(required=True)
    roles = fields.List(fields.String(), required=True)


class TeamSchema(Schema):
    id = fields.String(required=True)
    name = fields.String(required=True)
    school = fields.String(required=True)
    research_theme = fields.String(required=True)
    members = fields.List(fields.Nested(MemberSchema), required=True)
    version = fields.Integer(required=True)


class TeamSummarySchema(Schema):
    team_id = fields.String(required=True)
    name = fields.String(required=True)
    school = fields.String(required=True)
    research_theme = fields.String(required=True)
    roles = fields.List(fields.String(), required=True)


class AddMemberSchema(StrictSchema):
    email = fields.Email(required=True)
    roles = RoleList


class RolesSchema(StrictSchema):
    roles = RoleList


class InvitationCreateSchema(StrictSchema):
    roles = fields.List(
        fields.String(validate=validate.OneOf(ROLES)),
        load_default=["observer"],
        validate=validate.Length(min=1, max=6),
    )
    days = fields.Integer(load_default=14, strict=True, validate=validate.Range(1, 90))
    max_uses = fields.Integer(load_default=30, strict=True, validate=validate.Range(1, 200))


class InvitationSchema(Schema):
    code = fields.String(required=True)
    link = fields.String(required=True)


class AcceptInvitationSchema(StrictSchema):
    code = fields.String(required=True, validate=validate.Length(min=4, max=40))


def team_body(team_id: Any) -> dict[str, Any]:
    team = services().service.get_team(team_id)
    members = [{"person_id": pid, **m} for pid, m in team.members.items()]
    return {**team.__dict__, "members": sorted(members, key=lambda m: m["name"])}


def require_member(team_id: str) -> str:
    """The signed-in person's id, once they are known to be on the team."""
    person = current_person()
    # 404 for a team that does not exist, 403 for one the person is not on.
    services().service.authorize(person.id, team_id, Action.OBSERVE)
    return person.id


@blp.route("/teams", methods=["GET"])
@no_query(blp)
@blp.response(200, TeamSummarySchema(many=True))
def list_teams() -> list[dict[str, Any]]:
    """The teams the signed-in person belongs to, with their roles."""
    person = current_person()
    return services().queries.teams_of(person.id)


@blp.route("/teams", methods=["POST"])
@blp.arguments(TeamCreateSchema)
@blp.response(201, TeamSchema)
def create_team(body: dict[str, Any]) -> dict[str, Any]:
    """Form a team; its founder joins with the roles given."""
    person = current_person()
    team_id = services().service.form_team(
        actor_id=person.id, actor_name=person.display_name, **body
    )
    return team_body(team_id)


@blp.route("/teams/<uuid:team_id>", methods=["GET"])
@allow(Action.OBSERVE, via="team_id")  # 404, then 403, before the query is read
@no_query(blp)
@blp.response(200, TeamSchema)
def read_team(team_id: Any) -> dict[str, Any]:
    return team_body(team_id)


@blp.route("/teams/<uuid:team_id>", methods=["PUT"])
@blp.arguments(TeamDetailsSchema)
@blp.response(200, TeamSchema)
def change_team(body: dict[str, Any], team_id: Any) -> dict[str, Any]:
    actor = require_member(str(team_id))
    services().service.change_team_details(actor_id=actor, team_id=team_id, **body)
    return team_body(team_id)


@blp.route("/teams/<uuid:team_id>/members", methods=["POST"])
@blp.arguments(AddMemberSchema)
@blp.response(201, TeamSchema)
def add_member(body: dict[str, Any], team_id: Any) -> dict[str, Any]:
    """Add someone who already has an account, by e-mail."""
    actor = require_member(str(team_id))
    service = services().service
    account = service.get_account(account_id_for(body["email"]))
    service.add_member(
        actor_id=actor,
        team_id=team_id,
        person_id=account.id,
        name=account.display_name,
        roles=body["roles"],
    )
    return team_body(team_id)


@blp.route("/teams/<uuid:team_id>/members/<person_id>", methods=["PUT"])
@blp.arguments(RolesSchema)
@blp.response(200, TeamSchema)
def change_roles(body: dict[str, Any], team_id: Any, person_id: str) -> dict[str, Any]:
    actor = require_member(str(team_id))
    services().service.change_member_roles(
        actor_id=actor, team_id=team_id, person_id=person_id, roles=body["roles"]
    )
    return team_body(team_id)


@blp.route("/teams/<uuid:team_id>/members/<person_id>", methods=["DELETE"])
@blp.response(200, TeamSchema)
def remove_member(team_id: Any, person_id: str) -> dict[str, Any]:
    actor = require_member(str(team_id))
    services().service.remove_member(actor_id=actor, team_id=team_id, person_id=person_id)
    return team_body(team_id)


@blp.route("/teams/<uuid:team_id>/invitations", methods=["POST"])
@blp.arguments(InvitationCreateSchema)
@blp.response(201, InvitationSchema)
def invite(body: dict[str, Any], team_id: Any) -> dict[str, str]:
    """An invitation code, shown once; the link carries it too."""
    actor = require_member(str(team_id))
    code = services().service.invite(actor_id=actor, team_id=team_id, **body)
    return {"code": code, "link": f"/join/{code}"}


@blp.route("/invitations/accept", methods=["POST"])
@blp.arguments(AcceptInvitationSchema)
@blp.response(200, TeamSchema)
def accept_invitation(body: dict[str, Any]) -> dict[str, Any]:
    person = current_person()
    team_id = services().service.accept_invitation(
        code=body["code"], person_id=person.id, name=person.display_name
    )
    return team_body(team_id)

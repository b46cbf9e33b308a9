"""A school's read-only catalogue link, opened and closed by a team's facilitator or
curator (the team page does the same through its forms).

Opening answers with the link once: the log keeps only the token's digest. Opening
again makes a new link and the old one stops; closing makes the link answer 404 at
once. See lessonstudy/server/pages/catalogue/school.py for what the link shows.
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from lessonstudy.domain.permissions import Action
from lessonstudy.server.api.access import actor, allow, signed_in_only
from lessonstudy.server.context import services

blp = Blueprint(
    "school_link",
    __name__,
    url_prefix="/api/v1",
    description="A school's read-only catalogue link",
)
signed_in_only(blp)


class SchoolLinkSchema(Schema):
    url = fields.String(
        required=True, metadata={"description": "the link to share; shown only in this answer"}
    )
    token = fields.String(required=True)


@blp.route("/teams/<uuid:team_id>/school-link", methods=["POST"])
@allow(Action.SHARE_CATALOGUE, via="team_id")
@blp.response(201, SchoolLinkSchema)
def open_link(team_id: Any) -> dict[str, str]:
    """Open the school's read-only catalogue link (a new token replaces the old)."""
    token = services().service.open_school_link(actor_id=actor().id, team_id=team_id)
    url = url_for("pages.school_browse", team_id=team_id, token=token, _external=True)
    return {"url": url, "token": token}


@blp.route("/teams/<uuid:team_id>/school-link", methods=["DELETE"])
@allow(Action.SHARE_CATALOGUE, via="team_id")
@blp.response(204)
def close_link(team_id: Any) -> None:
    """Close the link: its pages answer 404 from now on."""
    services().service.close_school_link(actor_id=actor().id, team_id=team_id)

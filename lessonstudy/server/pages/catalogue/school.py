"""A school's read-only catalogue link: opened and closed from the team page, read
without an account.

The link is /school/<team id>/<token>. Only the token's digest is in the log (the link
is shown once, when it is made, like an invitation); making a new link replaces the
old one, and closing it makes every page under it answer 404 at once: each request
checks the token against the team itself, not against a view that could lag. What
the link shows is the catalogue exactly as any outsider reads it (anonymised quotes,
no team, teacher or class), and nothing else: no plans, no teams, no writes.
"""

from __future__ import annotations

from typing import Any

from flask import Response, make_response, request, stream_with_context, url_for
from marshmallow import ValidationError

from lessonstudy.domain.errors import InvalidValueError, NotFoundError
from lessonstudy.exports.catalogue_export import export_csv, export_json
from lessonstudy.server.api.catalogue import CatalogueExportQuerySchema, filters, queries
from lessonstudy.server.context import services
from lessonstudy.server.pages.catalogue.browse import (
    Links,
    render_browse,
    render_entry,
    render_task,
)
from lessonstudy.server.pages.common import bp, me, page_redirect, settle, signed_in
from lessonstudy.server.pages.teams import team

MAX_TOKEN = 200
SCHOOL = "/school/<uuid:team_id>/<token>"


# --- the control on the team page ------------------------------------------------------


@bp.post("/teams/<uuid:team_id>/school-link")
@signed_in
def open_school_link(team_id: Any) -> Any:
    token = services().service.open_school_link(actor_id=me().id, team_id=team_id)
    settle()
    link = url_for("pages.school_browse", team_id=team_id, token=token, _external=True)
    # The token is shown once, on this response: the log keeps only its digest.
    return team(team_id, school_link=link)


@bp.post("/teams/<uuid:team_id>/school-link/close")
@signed_in
def close_school_link(team_id: Any) -> Any:
    services().service.close_school_link(actor_id=me().id, team_id=team_id)
    return page_redirect("pages.team", team_id=team_id, school_link="closed")


# --- the read-only pages -----------------------------------------------------------------


def _school(team_id: Any, token: str) -> tuple[Links, dict[str, Any]]:
    """Links that keep the token, and what the pages say, once the link is open."""
    if len(token) > MAX_TOKEN:
        raise NotFoundError("this school link is not open", field="token")
    school = services().service.school_of_link(team_id, token)
    return Links(school=(str(team_id), token)), {"school": school}


def _private(body: str, status: int = 200) -> Response:
    """The token is in the URL: never send it on as a referrer, never index it."""
    response = make_response(body, status)
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


@bp.get(SCHOOL)
def school_browse(team_id: Any, token: str) -> Response:
    links, extra = _school(team_id, token)
    return _private(*render_browse(links, **extra))


@bp.get(f"{SCHOOL}/tasks/<uuid:task_id>")
def school_task(team_id: Any, token: str, task_id: Any) -> Response:
    links, extra = _school(team_id, token)
    return _private(render_task(links, str(task_id), **extra))


@bp.get(f"{SCHOOL}/misconceptions/<uuid:misconception_id>")
def school_entry(team_id: Any, token: str, misconception_id: Any) -> Response:
    links, extra = _school(team_id, token)
    return _private(render_entry(links, str(misconception_id), **extra))


@bp.get(f"{SCHOOL}/export")
def school_export(team_id: Any, token: str) -> Response:
    """The same files as the API's export, for readers without an account."""
    _school(team_id, token)
    try:
        query = CatalogueExportQuerySchema().load(request.args.to_dict())
    except ValidationError as error:
        name, messages = next(iter(error.normalized_messages().items()))
        raise InvalidValueError(f"{name}: {' '.join(map(str, messages))}", field=name) from None
    chosen = filters(query)
    rows = queries().export(chosen)
    name = "catalogue-search" if chosen.q else "catalogue"
    if query["format"] == "json":
        body, mimetype = export_json(rows, chosen), "application/json"
    else:
        body, mimetype = export_csv(rows), "text/csv"
    response = Response(
        stream_with_context(body),
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}.{query["format"]}"'},
    )
    response.headers["Referrer-Policy"] = "no-referrer"
    return response

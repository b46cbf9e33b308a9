"""Curating the catalogue: reword an entry, merge a duplicate, hide a quote; and an
entry's history, where a merge can be seen.

Writes need the curator role on the team named in the URL (the catalogue is shared,
so any team's curator may curate any entry). Each answers with the entry as the
catalogue shows it, read once the views hold the write, plus the entry's version to
send back with the next edit. Domain errors keep their class; their field is the
request's name for it ("into", not the service's "target_id").
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar, cast

from flask_smorest import Blueprint

from lessonstudy.application.catalogue import MisconceptionChange
from lessonstudy.domain.errors import (
    ConflictError,
    DomainError,
    InvalidValueError,
    NotFoundError,
)
from lessonstudy.domain.permissions import Action
from lessonstudy.server.api.access import actor, allow, no_query, signed_in_only
from lessonstudy.server.api.catalogue.curation_schemas import (
    CuratedEntrySchema,
    EntryChangeSchema,
    HideQuoteSchema,
    MergeSchema,
    StatementSchema,
)
from lessonstudy.server.api.catalogue.reading import WAIT_SECONDS, queries
from lessonstudy.server.auth import current_person
from lessonstudy.server.context import services

F = TypeVar("F", bound=Callable[..., Any])
IMPORTER = "import"  # the `by` of entries a taxonomy import catalogued

blp = Blueprint("curation", __name__, url_prefix="/api/v1", description="Curating the catalogue")
signed_in_only(blp)


def known_entry(view: F) -> F:
    """404 for an entry that does not exist, before the body is read (as access.py orders)."""

    @functools.wraps(view)
    def checked(*args: Any, **kwargs: Any) -> Any:
        services().service.get_misconception(kwargs["misconception_id"])
        return view(*args, **kwargs)

    return cast(F, checked)


def entry_json(misconception_id: Any, position: int | None = None) -> dict[str, Any]:
    """The catalogue's entry (the one it was merged into, for a merged one) once the
    views hold position (default: everything logged so far), with its version."""
    service = services().service
    if position is None:
        position = service.recorder.max_notification_id() or 0
    services().follower.wait_for(position, timeout=WAIT_SECONDS)
    card = queries().misconception(str(misconception_id))
    if card is None:  # the views lag (a stopped worker): still say what the log holds
        raise NotFoundError(f"no misconception {misconception_id}", field="misconception_id")
    card["version"] = service.get_misconception(card["id"]).version
    return card


@contextmanager
def as_request_fields(names: dict[str, str]) -> Iterator[None]:
    """Re-raise a domain error under the request's name for its field (same class)."""
    try:
        yield
    except DomainError as error:
        if error.field not in names:
            raise
        field = names[error.field]
        if isinstance(error, NotFoundError) and field != "misconception_id":
            raise InvalidValueError(error.message, field=field) from None  # a bad body
        if isinstance(error, ConflictError):
            raise type(error)(error.message, field=field, current=error.current) from None
        raise type(error)(error.message, field=field) from None


@blp.route(
    "/teams/<uuid:team_id>/misconceptions/<uuid:misconception_id>/statement", methods=["PUT"]
)
@allow(Action.CURATE_CATALOGUE, via="team_id")
@known_entry
@blp.arguments(StatementSchema)
@blp.response(200, CuratedEntrySchema)
@blp.alt_response(409, description="version is stale: error.current is the entry as it is now")
def edit_statement(body: dict[str, Any], team_id: Any, misconception_id: Any) -> dict[str, Any]:
    """Reword an entry. version is the entry's version the curator started from; if
    anyone changed the entry since, 409 with the current entry and nothing is written."""
    try:
        position = services().service.edit_misconception(
            actor_id=actor().id,
            team_id=team_id,
            misconception_id=misconception_id,
            statement=body["statement"],
            version=body["version"],
        )
    except ConflictError as error:
        current = entry_json(misconception_id)
        raise ConflictError(error.message, field="version", current=current) from None
    return entry_json(misconception_id, position)


@blp.route("/teams/<uuid:team_id>/misconceptions/<uuid:misconception_id>/merge", methods=["POST"])
@allow(Action.CURATE_CATALOGUE, via="team_id")
@known_entry
@blp.arguments(MergeSchema)
@blp.response(200, CuratedEntrySchema)
def merge(body: dict[str, Any], team_id: Any, misconception_id: Any) -> dict[str, Any]:
    """Merge this entry, a duplicate, into the entry `into`: its numbers, quotes and
    sources follow, and both entries' histories show the merge. Into itself: 422;
    either entry already merged: 409. Answers with the absorbing entry."""
    with as_request_fields({"target_id": "into", "source_id": "misconception_id"}):
        position = services().service.merge_misconceptions(
            actor_id=actor().id, team_id=team_id, source_id=misconception_id, target_id=body["into"]
        )
    return entry_json(body["into"], position)


@blp.route(
    "/teams/<uuid:team_id>/misconceptions/<uuid:misconception_id>/hidden-quotes",
    methods=["POST"],
)
@allow(Action.CURATE_CATALOGUE, via="team_id")
@known_entry
@blp.arguments(HideQuoteSchema)
@blp.response(200, CuratedEntrySchema)
def hide_quote(body: dict[str, Any], team_id: Any, misconception_id: Any) -> dict[str, Any]:
    """Stop quoting a note under this entry (it still counts); hiding it again changes
    nothing. A note the entry does not quote (not a student note linked to it or to an
    entry merged with it): 422 naming note_id."""
    service = services().service
    services().follower.wait_for(service.recorder.max_notification_id() or 0, WAIT_SECONDS)
    if not queries().quotes_note(str(misconception_id), body["note_id"]):
        raise InvalidValueError("this entry quotes no note with that id", field="note_id")
    position = service.hide_quote(
        actor_id=actor().id,
        team_id=team_id,
        misconception_id=misconception_id,
        note_id=body["note_id"],
        reason=body["reason"],
    )
    return entry_json(misconception_id, position)


@blp.route("/misconceptions/<uuid:misconception_id>/history", methods=["GET"])
@no_query(blp)
@blp.response(200, EntryChangeSchema(many=True))
def history(misconception_id: Any) -> list[dict[str, Any]]:
    """Every change to an entry, oldest first, in plain words: created, statement
    edited, merged into another or absorbed a duplicate, quote hidden. Like the
    catalogue, anyone signed in may read it; who made a change is named only to
    people on a team with them."""
    changes = services().service.misconception_history(misconception_id)
    names = names_known_to(current_person().id, (c.by for c in changes))
    return [change_json(change, names) for change in changes]


def change_json(change: MisconceptionChange, names: dict[str, str]) -> dict[str, Any]:
    found = {
        "at": change.at,
        "version": change.version,
        "what": change.what,
        "summary": change.summary,
        **change.details,
    }
    if change.by == IMPORTER:
        found.update(by=IMPORTER, by_name="taxonomy import")
    elif change.by in names:
        found.update(by=change.by, by_name=names[change.by])
    return found


def names_known_to(reader_id: str, person_ids: Iterable[str]) -> dict[str, str]:
    """The names of those people who share a team with the reader (the catalogue is
    anonymised for everyone else: no teacher, observer or school)."""
    wanted = set(person_ids)
    names: dict[str, str] = {}
    for team in services().queries.teams_of(reader_id):
        members = services().service.get_team(team["team_id"]).members
        for person_id in wanted & set(members):
            names[person_id] = members[person_id]["name"]
    return names

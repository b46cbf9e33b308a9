"""Guests: someone with a teaching's join code and a display name, and no account.

A knowledgeable other from another school joins one lesson, often from a phone, and
should not need an account for it. Typing the join code (POST
/api/v1/teachings/{id}/guests) admits them through the service and keeps who they
are in the signed session cookie: ``{teaching_id: {"person_id", "name"}}``. The
cookie is permanent (it outlives a browser restart, as unsent notes do) and signed,
so a guest cannot claim another guest's id. A guest's session opens that teaching
only: its REST endpoints and its Socket.IO room, nothing else.

Someone signed in who types a code joins as themselves, so their notes stay in one
log whichever way they came in.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from flask import session
from flask_login import current_user

from lessonstudy.domain.errors import NotAMemberError
from lessonstudy.server.context import services
from lessonstudy.server.errors import NotSignedInError

GUESTS_KEY = "lessonstudy_guests"
# Only the latest few lessons a browser joined are kept: a cookie holds about 4 KB.
GUEST_SESSIONS_KEPT = 8


@dataclass(frozen=True)
class Actor:
    """Who acts in a teaching: a signed-in person, or a guest of that teaching."""

    id: str
    name: str
    guest: bool


def guest_sessions() -> dict[str, dict[str, str]]:
    found: Any = session.get(GUESTS_KEY)
    return dict(found) if isinstance(found, dict) else {}


def has_guest_session() -> bool:
    return bool(guest_sessions())


def signed_in_actor() -> Actor | None:
    if not current_user.is_authenticated:
        return None
    return Actor(str(current_user.id), str(current_user.display_name), guest=False)


def current_actor(teaching_id: str) -> Actor:
    """Who is asking about this teaching: 401 if nobody, 403 for another lesson's guest."""
    return actor_in(teaching_id, signed_in_actor())


def actor_in(teaching_id: str, person: Actor | None) -> Actor:
    """current_actor, given who is signed in (a Socket.IO connection resolves that once,
    when it opens)."""
    if person is not None:
        return person
    guests = guest_sessions()
    entry = guests.get(teaching_id)
    if entry is not None:
        return Actor(entry["person_id"], entry["name"], guest=True)
    if guests:
        raise NotAMemberError("you joined another lesson as a guest", field="teaching_id")
    raise NotSignedInError("sign in, or join with the lesson's code", field="session")


def admit_guest(teaching_id: str, *, join_code: str, name: str, roles: list[str]) -> Actor:
    """Admit whoever is asking with the join code; remembered in their session."""
    person = signed_in_actor()
    guests = guest_sessions()
    if person is not None:
        person_id = person.id
    else:
        # The same browser joining again keeps its id, and with it its notes.
        known = guests.get(teaching_id)
        person_id = known["person_id"] if known else f"guest-{uuid.uuid4().hex}"
    services().service.join_as_guest(
        teaching_id=teaching_id, join_code=join_code, person_id=person_id, name=name, roles=roles
    )
    if person is None:
        guests.pop(teaching_id, None)
        kept = list(guests.items())[-(GUEST_SESSIONS_KEPT - 1) :]
        session[GUESTS_KEY] = {**dict(kept), teaching_id: {"person_id": person_id, "name": name}}
        session.permanent = True
    return Actor(person_id, name, guest=person is None)

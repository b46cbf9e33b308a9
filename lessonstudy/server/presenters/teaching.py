"""Teachings and note changes as JSON, the same over REST and Socket.IO.

Times are ISO 8601 strings with their offset. A note change is sent live and replayed
in catch-up in one shape, so a client applies both with the same code.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from typing import Any

from flask import current_app

from lessonstudy.application.note_feed import CatchUp, NoteChange
from lessonstudy.application.results import NoteReceipt, TeachingView
from lessonstudy.server.context import services
from lessonstudy.server.guests import Actor
from lessonstudy.server.teaching_access import may_run

TAUGHT_STEPS_KEPT = 256


def jsonable(value: Any) -> Any:
    """Datetimes as ISO strings, all the way down."""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def teaching_json(
    view: TeachingView, *, may_run: bool, steps: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """A teaching; its join code only for those who run it (guests get it read aloud)."""
    body = jsonable(dataclasses.asdict(view))
    if not may_run:
        body["join_code"] = None
    body["mode"] = body["modes"][-1]["mode"] if body["modes"] else None
    if steps is not None:
        body["steps"] = jsonable(steps)
    return dict(body)


def teaching_detail_json(view: TeachingView, actor: Actor) -> dict[str, Any]:
    """A teaching as a page opening it needs it: the plan's steps as taught, and the
    names of everyone whose notes may appear (a guest cannot read the team)."""
    body = teaching_json(view, may_run=may_run(actor, view), steps=taught_steps(view))
    body["people"] = people_of(view)
    return body


def people_of(view: TeachingView) -> dict[str, dict[str, Any]]:
    service = services().service
    members = set(service.get_team(view.team_id).members)
    known = (members | set(view.observers) | {view.instructor_id}) - set(view.guests)
    people = {
        person_id: {"name": name, "guest": False}
        for person_id, name in service.person_names(view.team_id, known).items()
    }
    for person_id, guest in view.guests.items():
        people[person_id] = {"name": guest["name"], "guest": True}
    return people


def taught_steps(view: TeachingView) -> list[dict[str, Any]]:
    """The plan's steps and anticipated responses as they stood when it was scheduled.

    A past revision never changes, and every observer's (re)connect asks for it, so
    it is read from the log once per app and kept (a copy is handed out each time).
    """
    cache: dict[tuple[str, int], list[dict[str, Any]]] = current_app.extensions.setdefault(
        "lessonstudy_taught_steps", {}
    )
    key = (view.lesson_id, view.plan_revision)
    if key not in cache:
        if len(cache) >= TAUGHT_STEPS_KEPT:
            cache.clear()  # plans are small; a rare refill is cheaper than bookkeeping
        plan = services().service.get_plan(view.lesson_id, revision=view.plan_revision)
        cache[key] = plan.steps
    return copy.deepcopy(cache[key])


def change_json(teaching_id: str, change: NoteChange) -> dict[str, Any]:
    body: dict[str, Any] = {
        "teaching_id": teaching_id,
        "type": change.type,
        "position": change.position,
        "note_id": change.note_id,
        "observer_id": change.observer_id,
        "at": change.at,
    }
    if change.note is not None:
        body["note"] = {**change.note, "teaching_id": teaching_id}
    if change.changes is not None:
        body["changes"] = change.changes
    if change.reason is not None:
        body["reason"] = change.reason
    return dict(jsonable(body))


def catch_up_json(teaching_id: str, caught: CatchUp) -> dict[str, Any]:
    return {
        "head": caught.head,
        "snapshot": caught.snapshot,
        "notes_since": [change_json(teaching_id, c) for c in caught.changes],
    }


def note_json(teaching_id: str, note: dict[str, Any]) -> dict[str, Any]:
    body = {k: v for k, v in note.items() if k != "version"}
    return dict(jsonable({**body, "teaching_id": teaching_id}))


def receipt_json(
    teaching_id: str, receipt: NoteReceipt, *, resend_has_position: bool
) -> dict[str, Any]:
    """The ack of a note command. A resent note is acked with the original's position;
    a resent amendment or retraction stored nothing, so it has no position of its own."""
    position = receipt.position if resend_has_position or not receipt.duplicate else None
    body: dict[str, Any] = {
        "note_id": receipt.note_id,
        "position": position,
        "duplicate": receipt.duplicate,
        "note": note_json(teaching_id, receipt.note),
    }
    if receipt.nudge:
        body["nudge"] = receipt.nudge
    return body

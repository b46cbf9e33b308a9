"""The research lesson plan: read it at any revision, and edit it one part at a time.

Every edit names the revision its author started from (``base_revision``). Edits to
different parts from the same base both land; an edit to a part someone changed
since is refused with 409 and the other writer's text, so the page can show both.
Each edit that changed something is pushed to everyone with the plan open.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from flask import current_app
from flask_smorest import Blueprint
from marshmallow import RAISE
from werkzeug.wrappers import Response

from lessonstudy.application.planning import (
    PLAN_FIELD_LABELS,
    RESPONSE_FIELD_LABELS,
    STEP_FIELD_LABELS,
    lower,
)
from lessonstudy.application.results import PlanChange
from lessonstudy.domain.errors import EditConflictError
from lessonstudy.domain.part_key import PartKey
from lessonstudy.domain.permissions import Action
from lessonstudy.server.api.access import actor, allow, referenced, signed_in_only
from lessonstudy.server.api.plan.cache import plan_bodies
from lessonstudy.server.api.plan.schemas import (
    PLAN_VALUES,
    RESPONSE_VALUES,
    STEP_VALUES,
    AddStepSchema,
    AnticipateSchema,
    MoveStepSchema,
    PlanEditSchema,
    PlanSchema,
    RemoveQuerySchema,
    RevisionQuerySchema,
    camel,
    edit_schema,
)
from lessonstudy.server.context import services
from lessonstudy.server.realtime.planning import announce_plan_change

blp = Blueprint("plan", __name__, url_prefix="/api/v1", description="The research lesson plan")
signed_in_only(blp)

LESSON = "/lessons/<uuid:lesson_id>/plan"
# The part the news names when the list of steps changed (added, moved or removed).
STEPS = "steps"


# The schema read_plan dumps with itself (to encode each revision's answer only once).
PLAN_SCHEMA = PlanSchema()


def plan_body(lesson_id: Any, revision: int | None = None) -> dict[str, Any]:
    detail = services().service.plan_detail(lesson_id, revision=revision)
    return {**detail.plan.__dict__, "last_changed": detail.last_changed}


def _edit(
    lesson_id: Any,
    part: PartKey | str,
    kind: str,
    command: Callable[[str], PlanChange],
    *,
    field: bool = False,
) -> dict[str, Any]:
    """Run one edit as the signed-in planner, push it to the plan room, return the plan.

    part is the key the page knows the part by (STEPS for the list of steps); for a
    field (field=True) the news carries the value as stored (trimmed), so other pages
    need not fetch the plan.
    """
    person = actor()
    service = services().service
    try:
        change = command(person.id)
    except EditConflictError as conflict:
        by = conflict.current.get("changed_by")
        if by:
            names = service.person_names(service.lesson_team_id(lesson_id), [by])
            conflict.current["changed_by_name"] = names[by]
        raise
    plan = plan_body(lesson_id)
    if change.changed:
        news: dict[str, Any] = {
            "revision": change.revision,
            "by": person.id,
            "by_name": person.display_name,
            "part": str(part),
            "kind": kind,
        }
        if field and isinstance(part, PartKey):
            news["value"] = _value_at(plan, part)
        announce_plan_change(services().socketio, str(lesson_id), news)
    return {"revision": change.revision, "changed": change.changed, "plan": plan}


def _value_at(plan: dict[str, Any], part: PartKey) -> Any:
    """The value a field holds in the plan as sent, e.g. for "step:<id>:minutes"."""
    if part.kind == "plan":
        return plan["fields"][part.field]
    for step in plan["steps"]:
        if part.kind == "step" and step["id"] == part.ident:
            return step[part.field]
        for response in step["responses"]:
            if part.kind == "response" and response["id"] == part.ident:
                return response[part.field]
    return None


def _known_misconception(misconception_id: Any) -> str | None:
    if misconception_id is None:
        return None
    with referenced("misconception_id"):
        services().service.get_misconception(misconception_id)
    return str(misconception_id)


@blp.route(LESSON, methods=["GET"])
@allow(Action.OBSERVE, via="lesson_id")
@blp.arguments(RevisionQuerySchema, location="query", unknown=RAISE)
@blp.response(200, PlanSchema)
def read_plan(query: dict[str, Any], lesson_id: Any) -> Response:
    """The plan now, or as it stood at ?revision=N, with who last changed each part."""
    detail = services().service.plan_detail(lesson_id, revision=query.get("revision"))
    names = frozenset((part["by"], part["by_name"]) for part in detail.last_changed.values())
    return plan_bodies(current_app).response(
        (detail.plan.lesson_id, detail.plan.revision, names),
        lambda: PLAN_SCHEMA.dump({**detail.plan.__dict__, "last_changed": detail.last_changed}),
    )


# --- one endpoint per field, each with its own value schema ------------------------------


def _plan_field_route(name: str) -> None:
    def change(body: dict[str, Any], lesson_id: Any) -> dict[str, Any]:
        return _edit(
            lesson_id,
            PartKey.plan(name),
            "PlanFieldChanged",
            lambda by: services().service.change_plan_field(
                actor_id=by, lesson_id=lesson_id, field=name, **body
            ),
            field=True,
        )

    change.__doc__ = f"Change the plan's {lower(PLAN_FIELD_LABELS, name)}."
    schema = edit_schema(f"Plan{camel(name)}", PLAN_VALUES[name]())
    _register(f"{LESSON}/fields/{name}", f"change_{name}", schema, change)


def _step_field_route(name: str) -> None:
    def change(body: dict[str, Any], lesson_id: Any, step_id: str) -> dict[str, Any]:
        return _edit(
            lesson_id,
            PartKey.step(step_id, name),
            "StepFieldChanged",
            lambda by: services().service.change_step(
                actor_id=by, lesson_id=lesson_id, step_id=step_id, field=name, **body
            ),
            field=True,
        )

    change.__doc__ = f"Change a step's {lower(STEP_FIELD_LABELS, name)}."
    schema = edit_schema(f"Step{camel(name)}", STEP_VALUES[name]())
    _register(f"{LESSON}/steps/<step_id>/fields/{name}", f"change_step_{name}", schema, change)


def _response_field_route(name: str) -> None:
    def change(body: dict[str, Any], lesson_id: Any, response_id: str) -> dict[str, Any]:
        if name == "misconception_id":
            body = {**body, "value": _known_misconception(body["value"])}
        return _edit(
            lesson_id,
            PartKey.response(response_id, name),
            "ResponseChanged",
            lambda by: services().service.change_response(
                actor_id=by, lesson_id=lesson_id, response_id=response_id, field=name, **body
            ),
            field=True,
        )

    change.__doc__ = f"Change an anticipated response's {lower(RESPONSE_FIELD_LABELS, name)}."
    schema = edit_schema(f"Response{camel(name)}", RESPONSE_VALUES[name]())
    rule = f"{LESSON}/responses/<response_id>/fields/{name}"
    _register(rule, f"change_response_{name}", schema, change)


def _register(rule: str, endpoint: str, schema: Any, view: Callable[..., Any]) -> None:
    view.__name__ = endpoint
    documented = blp.response(200, PlanEditSchema)(view)
    parsed = blp.arguments(schema)(documented)
    guarded = allow(Action.EDIT_PLAN, via="lesson_id")(parsed)
    blp.route(rule, methods=["PUT"], endpoint=endpoint)(guarded)


for _name in PLAN_VALUES:
    _plan_field_route(_name)
for _name in STEP_VALUES:
    _step_field_route(_name)
for _name in RESPONSE_VALUES:
    _response_field_route(_name)


# --- the lesson flow's structure ---------------------------------------------------------


@blp.route(f"{LESSON}/steps", methods=["POST"])
@allow(Action.EDIT_PLAN, via="lesson_id")
@blp.arguments(AddStepSchema)
@blp.response(201, PlanEditSchema)
def add_step(body: dict[str, Any], lesson_id: Any) -> dict[str, Any]:
    """Add a step (at the end unless position says where). Sending its step_id again
    is a retry and changes nothing."""
    step_id = body.get("step_id") or str(uuid.uuid4())
    return _edit(
        lesson_id,
        STEPS,
        "StepAdded",
        lambda by: services().service.add_step(
            actor_id=by,
            lesson_id=lesson_id,
            step_id=step_id,
            fields=body.get("fields_"),
            position=body.get("position"),
            reason=body["reason"],
        ),
    )


@blp.route(f"{LESSON}/steps/<step_id>/move", methods=["POST"])
@allow(Action.EDIT_PLAN, via="lesson_id")
@blp.arguments(MoveStepSchema)
@blp.response(200, PlanEditSchema)
def move_step(body: dict[str, Any], lesson_id: Any, step_id: str) -> dict[str, Any]:
    """Move a step to a position (0 is first)."""
    return _edit(
        lesson_id,
        STEPS,
        "StepMoved",
        lambda by: services().service.move_step(
            actor_id=by, lesson_id=lesson_id, step_id=step_id, **body
        ),
    )


@blp.route(f"{LESSON}/steps/<step_id>", methods=["DELETE"])
@allow(Action.EDIT_PLAN, via="lesson_id")
@blp.arguments(RemoveQuerySchema, location="query", unknown=RAISE)
@blp.response(200, PlanEditSchema)
def remove_step(query: dict[str, Any], lesson_id: Any, step_id: str) -> dict[str, Any]:
    """Remove a step and its anticipated responses; 409 if any of them changed since
    base_revision (removing it would lose someone's work)."""
    return _edit(
        lesson_id,
        STEPS,
        "StepRemoved",
        lambda by: services().service.remove_step(
            actor_id=by, lesson_id=lesson_id, step_id=step_id, **query
        ),
    )


@blp.route(f"{LESSON}/steps/<step_id>/responses", methods=["POST"])
@allow(Action.EDIT_PLAN, via="lesson_id")
@blp.arguments(AnticipateSchema)
@blp.response(201, PlanEditSchema)
def anticipate(body: dict[str, Any], lesson_id: Any, step_id: str) -> dict[str, Any]:
    """Anticipate a student response in a step: a correct strategy or a misconception
    (linked to the catalogue by misconception_id)."""
    misconception_id = _known_misconception(body["misconception_id"])
    response_id = body.get("response_id") or str(uuid.uuid4())
    return _edit(
        lesson_id,
        PartKey.step(step_id, "responses"),
        "ResponseAnticipated",
        lambda by: services().service.anticipate_response(
            actor_id=by,
            lesson_id=lesson_id,
            step_id=step_id,
            response_id=response_id,
            kind=body["kind"],
            text=body["text"],
            misconception_id=misconception_id,
            reason=body["reason"],
        ),
    )


@blp.route(f"{LESSON}/responses/<response_id>", methods=["DELETE"])
@allow(Action.EDIT_PLAN, via="lesson_id")
@blp.arguments(RemoveQuerySchema, location="query", unknown=RAISE)
@blp.response(200, PlanEditSchema)
def remove_response(query: dict[str, Any], lesson_id: Any, response_id: str) -> dict[str, Any]:
    """Remove an anticipated response; 409 if it changed since base_revision."""
    step_id = _step_of(lesson_id, response_id)
    return _edit(
        lesson_id,
        PartKey.step(step_id, "responses"),
        "ResponseRemoved",
        lambda by: services().service.remove_response(
            actor_id=by, lesson_id=lesson_id, response_id=response_id, **query
        ),
    )


def _step_of(lesson_id: Any, response_id: str) -> str:
    for step in services().service.get_plan(lesson_id).steps:
        if any(r["id"] == response_id for r in step["responses"]):
            return str(step["id"])
    return ""  # the command itself answers 404 for an unknown response

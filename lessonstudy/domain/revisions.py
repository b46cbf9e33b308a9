"""Proposed plan changes: the concrete edits a revision makes to the next plan version.

A revision is a list of operations on the plan (the same ones planners make by hand),
so that accepting it yields a new plan version whose every change points back to the
revision, and through it to the notes that motivated it.
"""

from __future__ import annotations

from typing import Any

from lessonstudy.domain.errors import InvalidValueError
from lessonstudy.domain.lesson import StudyLesson
from lessonstudy.domain.plan_fields import (
    PLAN_FIELDS,
    RESPONSE_FIELDS,
    STEP_FIELDS,
    check_field,
    check_fields,
)
from lessonstudy.domain.values import check_text

OPERATIONS = ("change_field", "change_step", "add_step", "anticipate_response")


def check_changes(changes: Any) -> list[dict[str, Any]]:
    if not isinstance(changes, list) or not changes:
        raise InvalidValueError("a revision needs at least one change to the plan", field="changes")
    return [_check_change_at(change, index) for index, change in enumerate(changes)]


def _check_change_at(change: Any, index: int) -> dict[str, Any]:
    """Check one change; an error names its place, e.g. ``changes.1.value``."""
    try:
        return _check_change(change, index)
    except InvalidValueError as error:
        inner = error.field or "value"
        if inner.startswith("changes."):
            raise
        op = change.get("op") if isinstance(change, dict) else None
        if inner != "field" and op in ("change_field", "change_step"):
            inner = "value"
        elif op == "add_step" and inner != "field":
            inner = f"fields.{inner}"
        raise InvalidValueError(error.message, field=f"changes.{index}.{inner}") from None


def _check_change(change: Any, index: int) -> dict[str, Any]:
    where = f"changes.{index}"
    if not isinstance(change, dict) or change.get("op") not in OPERATIONS:
        raise InvalidValueError(
            f"{where}.op must be one of: {', '.join(OPERATIONS)}", field=f"{where}.op"
        )
    op = change["op"]
    if op == "change_field":
        value = check_field(
            PLAN_FIELDS, change.get("field", ""), change.get("value"), where="the plan"
        )
        return {"op": op, "field": change["field"], "value": value}
    step_id = check_text(change.get("step_id"), f"{where}.step_id", max_length=100)
    if op == "change_step":
        value = check_field(
            STEP_FIELDS, change.get("field", ""), change.get("value"), where="a step"
        )
        return {"op": op, "step_id": step_id, "field": change["field"], "value": value}
    if op == "add_step":
        position = change.get("position")
        # Checked now, or a bad position would only fail when the next cycle starts.
        if position is not None and (
            isinstance(position, bool) or not isinstance(position, int) or position < 0
        ):
            raise InvalidValueError(
                f"{where}.position must be a whole number from 0", field=f"{where}.position"
            )
        return {
            "op": op,
            "step_id": step_id,
            "position": position,
            "fields": check_fields(STEP_FIELDS, change.get("fields") or {}, where="a step"),
        }
    values = check_fields(
        RESPONSE_FIELDS,
        {
            "kind": change.get("kind"),
            "text": change.get("text"),
            "misconception_id": change.get("misconception_id"),
        },
        where="an anticipated response",
    )
    response_id = check_text(change.get("response_id"), f"{where}.response_id", max_length=100)
    return {"op": op, "step_id": step_id, "response_id": response_id, **values}


def apply_changes(
    lesson: StudyLesson, changes: list[dict[str, Any]], *, by: str, revision_id: str
) -> None:
    """Make a revision's changes on the plan; each event names the revision."""
    common = {"by": by, "revision_id": revision_id, "reason": "accepted revision"}
    for change in changes:
        op = change["op"]
        if op == "change_field":
            lesson.change_field(
                field=change["field"], value=change["value"], base_revision=None, **common
            )
        elif op == "change_step":
            lesson.change_step(
                step_id=change["step_id"],
                field=change["field"],
                value=change["value"],
                base_revision=None,
                **common,
            )
        elif op == "add_step":
            lesson.add_step(
                step_id=change["step_id"],
                position=change["position"],
                fields=change["fields"],
                **common,
            )
        else:
            lesson.anticipate_response(
                step_id=change["step_id"],
                response_id=change["response_id"],
                kind=change["kind"],
                text=change["text"],
                misconception_id=change["misconception_id"],
                **common,
            )

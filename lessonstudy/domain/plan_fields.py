"""The fields of a research lesson plan and the check each value must pass.

A plan is edited field by field (one event per change), so each editable part has a
name, and a key that says where it lives: ``title``, ``step:<id>:minutes``,
``response:<id>:text``. Conflict detection works per key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypedDict

from lessonstudy.domain.errors import InvalidValueError
from lessonstudy.domain.values import ResponseKind, check_choice, check_code, check_text

Check = Callable[[Any, str], Any]


def _text(max_length: int = 20_000, required: bool = False) -> Check:
    return lambda value, field: check_text(value, field, max_length=max_length, required=required)


def _date(value: Any, field: str) -> str:
    if value in (None, ""):
        return ""
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise InvalidValueError(f"{field} must be a date like 2026-11-23", field=field) from None


def _minutes(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 240:
        raise InvalidValueError(f"{field} must be whole minutes from 0 to 240", field=field)
    return value


def _class_layout(value: Any, field: str) -> dict[str, list[str]]:
    """Groups by code, each with its seat codes; a seat sits in one group only."""
    if not isinstance(value, dict):
        raise InvalidValueError(f"{field} must map group codes to seat codes", field=field)
    layout: dict[str, list[str]] = {}
    seen: set[str] = set()
    for group, seats in value.items():
        check_code(group, f"{field}.{group}")
        if not isinstance(seats, list):
            raise InvalidValueError(f"{field}.{group} must be a list of seat codes", field=field)
        for seat in seats:
            check_code(seat, f"{field}.{group}")
            if seat in seen:
                raise InvalidValueError(f"seat {seat} is in two groups", field=field)
            seen.add(seat)
        layout[group] = list(seats)
    return layout


def _focus(value: Any, field: str) -> dict[str, list[str]]:
    """Per observer (person id), the seat or group codes they follow."""
    if not isinstance(value, dict):
        raise InvalidValueError(f"{field} must map observers to seat or group codes", field=field)
    focus: dict[str, list[str]] = {}
    for observer, codes in value.items():
        if not isinstance(codes, list):
            raise InvalidValueError(f"{field}.{observer} must be a list of codes", field=field)
        focus[str(observer)] = [check_code(code, f"{field}.{observer}") for code in codes]
    return focus


def _optional_id(value: Any, field: str) -> str | None:
    if value in (None, ""):
        return None
    return check_text(value, field, max_length=100)


def _split(table: dict[str, tuple[Check, Any]]) -> tuple[dict[str, Check], dict[str, Any]]:
    """One table of (check, default) per field, as the checks and the defaults apart."""
    return {n: check for n, (check, _) in table.items()}, {n: d for n, (_, d) in table.items()}


PLAN_FIELDS, PLAN_FIELD_DEFAULTS = _split(
    {
        "title": (_text(200, required=True), ""),
        "subject": (_text(100), ""),
        "grade": (_text(50), ""),
        "date": (_date, ""),
        "instructor_id": (_optional_id, None),
        "research_theme": (_text(), ""),
        "unit_goals": (_text(), ""),
        "lesson_goals": (_text(), ""),
        "rationale": (_text(), ""),
        "development": (_text(), ""),  # how understanding develops: prior and later grades
        "data_collection_points": (_text(), ""),
        "class_layout": (_class_layout, {}),
        "focus": (_focus, {}),
    }
)

STEP_FIELDS, STEP_FIELD_DEFAULTS = _split(
    {
        "activity": (_text(5000), ""),
        "key_question": (_text(5000), ""),
        "teacher_support": (_text(), ""),
        "points_to_notice": (_text(), ""),
        "minutes": (_minutes, 0),
    }
)

RESPONSE_FIELDS: dict[str, Check] = {
    "text": _text(5000, required=True),
    "kind": lambda value, field: check_choice(ResponseKind, value, field).value,
    "misconception_id": _optional_id,
}


class Step(TypedDict):
    """A step of the lesson flow as the lesson keeps it: STEP_FIELDS and its responses."""

    activity: str
    key_question: str
    teacher_support: str
    points_to_notice: str
    minutes: int
    responses: list[str]  # its anticipated responses' ids, in order


class Response(TypedDict):
    """An anticipated response as the lesson keeps it: RESPONSE_FIELDS and its step."""

    step_id: str
    kind: str  # a ResponseKind value
    text: str
    misconception_id: str | None


def check_field(fields: dict[str, Check], name: str, value: Any, *, where: str) -> Any:
    """Check one named field; an unknown name is itself an error naming it."""
    check = fields.get(name)
    if check is None:
        known = ", ".join(fields)
        raise InvalidValueError(f"{where} has no field {name!r} (fields: {known})", field="field")
    return check(value, name)


def check_fields(fields: dict[str, Check], values: dict[str, Any], *, where: str) -> dict[str, Any]:
    return {name: check_field(fields, name, value, where=where) for name, value in values.items()}

"""AcademicTask: each descriptive field checked; a revision records only what changed."""

from __future__ import annotations

from typing import Any

import pytest
from domain.gwt import assert_replays, given, then_events, then_no_events, then_refused

from lessonstudy.domain.errors import InvalidValueError
from lessonstudy.domain.task import AcademicTask
from lessonstudy.domain.values import CognitiveDemand

FIELDS: dict[str, Any] = {
    "statement": "Which is larger, 0.25 or 0.3? Explain.",
    "subject": "maths",
    "grade": "5",
    "topic": "decimals",
    "materials": "place-value chart",
    "cognitive_demand": "analyse",
}


def a_task() -> AcademicTask:
    return given(AcademicTask.define(team_id="team-1", by="ann", **FIELDS))


def test_define() -> None:
    task = AcademicTask.define(
        team_id="team-1", by="ann", **{**FIELDS, "statement": "  Compare 0.25 and 0.3  "}
    )
    assert then_events(task) == [
        (
            "AcademicTask.Defined",
            {
                "team_id": "team-1",
                "statement": "Compare 0.25 and 0.3",
                "subject": "maths",
                "grade": "5",
                "topic": "decimals",
                "materials": "place-value chart",
                "cognitive_demand": "analyse",
                "by": "ann",
            },
        )
    ]


def test_materials_are_optional() -> None:
    fields = {k: v for k, v in FIELDS.items() if k != "materials"}
    task = AcademicTask.define(team_id="team-1", by="ann", **fields)
    assert task.materials == ""


@pytest.mark.parametrize("demand", [d.value for d in CognitiveDemand])
def test_every_cognitive_demand_is_accepted(demand: str) -> None:
    task = AcademicTask.define(team_id="t", by="ann", **{**FIELDS, "cognitive_demand": demand})
    assert task.cognitive_demand == demand


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("statement", ""),
        ("statement", None),
        ("subject", " "),
        ("subject", "s" * 101),
        ("grade", ""),
        ("grade", "g" * 51),
        ("topic", ""),
        ("topic", "t" * 201),
        ("materials", 3),
        ("cognitive_demand", "memorise"),
        ("cognitive_demand", None),
        ("colour", "red"),
    ],
)
def test_define_validates_each_field(field: str, value: Any) -> None:
    with pytest.raises(InvalidValueError) as info:
        AcademicTask.define(team_id="t", by="ann", **{**FIELDS, field: value})
    assert info.value.field == field


def test_revise_records_only_changed_fields() -> None:
    task = a_task()
    task.revise(by="bob", grade="6", topic="decimals", cognitive_demand="evaluate")
    assert then_events(task) == [
        (
            "AcademicTask.Revised",
            {"changes": {"grade": "6", "cognitive_demand": "evaluate"}, "by": "bob"},
        )
    ]
    assert task.fields() == {**FIELDS, "grade": "6", "cognitive_demand": "evaluate"}


def test_revise_with_same_values_changes_nothing() -> None:
    task = a_task()
    task.revise(by="bob", statement=" Which is larger, 0.25 or 0.3? Explain. ", grade="5")
    then_no_events(task)


@pytest.mark.parametrize(
    ("field", "value"),
    [("statement", ""), ("cognitive_demand", "guess"), ("grade", None), ("colour", "red")],
)
def test_revise_validates(field: str, value: Any) -> None:
    task = a_task()
    then_refused(task, InvalidValueError, field, lambda: task.revise(by="bob", **{field: value}))


def test_replay() -> None:
    task = AcademicTask.define(team_id="team-1", by="ann", **FIELDS)
    task.revise(by="bob", grade="6")
    task.revise(by="ann", materials="", cognitive_demand="create")
    assert_replays(task, task.collect_events())

"""An academic task: the first-class object the catalogue is keyed by.

Task predicts performance, so a task records its cognitive demand (revised Bloom).
"""

from __future__ import annotations

from typing import Any

from eventsourcing.domain import Aggregate, event

from lessonstudy.domain.errors import InvalidValueError
from lessonstudy.domain.values import CognitiveDemand, check_choice, check_text

TASK_FIELDS = ("statement", "subject", "grade", "topic", "materials", "cognitive_demand")


def check_task_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """The task's descriptive fields, each checked and normalised."""
    # An unknown name (a typo) would otherwise be dropped silently, as if saved.
    unknown = sorted(set(fields) - set(TASK_FIELDS))
    if unknown:
        raise InvalidValueError(
            f"a task has no field {unknown[0]!r} (fields: {', '.join(TASK_FIELDS)})",
            field=unknown[0],
        )
    return {
        "statement": check_text(fields.get("statement"), "statement"),
        "subject": check_text(fields.get("subject"), "subject", max_length=100),
        "grade": check_text(fields.get("grade"), "grade", max_length=50),
        "topic": check_text(fields.get("topic"), "topic", max_length=200),
        "materials": check_text(fields.get("materials", ""), "materials", required=False),
        "cognitive_demand": check_choice(
            CognitiveDemand, fields.get("cognitive_demand"), "cognitive_demand"
        ).value,
    }


class AcademicTask(Aggregate):
    @event("Defined")
    def __init__(
        self,
        team_id: str,
        statement: str,
        subject: str,
        grade: str,
        topic: str,
        materials: str,
        cognitive_demand: str,
        by: str,
    ) -> None:
        self.team_id = team_id
        self.statement = statement
        self.subject = subject
        self.grade = grade
        self.topic = topic
        self.materials = materials
        self.cognitive_demand = cognitive_demand
        self.defined_by = by

    @classmethod
    def define(cls, *, team_id: str, by: str, **fields: Any) -> AcademicTask:
        return cls(team_id=team_id, by=by, **check_task_fields(fields))

    def fields(self) -> dict[str, Any]:
        return {
            "statement": self.statement,
            "subject": self.subject,
            "grade": self.grade,
            "topic": self.topic,
            "materials": self.materials,
            "cognitive_demand": self.cognitive_demand,
        }

    def revise(self, *, by: str, **changes: Any) -> None:
        """Change some of the descriptive fields; unchanged fields are left out."""
        merged = check_task_fields({**self.fields(), **changes})
        changed = {k: v for k, v in merged.items() if v != getattr(self, k)}
        if changed:
            self._revised(changes=changed, by=by)

    @event("Revised")
    def _revised(self, changes: dict[str, Any], by: str) -> None:
        for name, value in changes.items():
            setattr(self, name, value)

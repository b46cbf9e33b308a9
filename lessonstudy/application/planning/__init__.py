"""Planning: the research lesson plan's commands and queries, its own history, the
difference between two revisions, and the names a person reads for each part."""

from lessonstudy.application.planning.history import PlanHistory, PlanHistoryEntry
from lessonstudy.application.planning.plans import Planning
from lessonstudy.application.planning.words import (
    PLAN_FIELD_LABELS,
    RESPONSE_FIELD_LABELS,
    STEP_FIELD_LABELS,
    lower,
)

__all__ = [
    "PLAN_FIELD_LABELS",
    "RESPONSE_FIELD_LABELS",
    "STEP_FIELD_LABELS",
    "PlanHistory",
    "PlanHistoryEntry",
    "Planning",
    "lower",
]

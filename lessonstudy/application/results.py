"""Plain data handed out by the service: never aggregates, always copies."""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from lessonstudy.application.note_feed import NoteChange
from lessonstudy.domain.discussion import PhaseEntry


@dataclass(frozen=True)
class TeamView:
    id: str
    name: str
    school: str
    research_theme: str
    members: dict[str, dict[str, Any]]
    version: int


@dataclass(frozen=True)
class TaskView:
    id: str
    team_id: str
    statement: str
    subject: str
    grade: str
    topic: str
    materials: str
    cognitive_demand: str
    version: int


@dataclass(frozen=True)
class PlanView:
    """The plan as it stood at one revision."""

    lesson_id: str
    team_id: str
    task_id: str
    revision: int
    plan_version: int
    fields: dict[str, Any]
    steps: list[dict[str, Any]]
    versions: list[dict[str, Any]]
    teaching_ids: list[str]


@dataclass(frozen=True)
class PlanChange:
    """What a plan edit did: the revision it produced and whether anything changed."""

    lesson_id: str
    revision: int
    changed: bool
    position: int


@dataclass(frozen=True)
class TeachingView:
    id: str
    lesson_id: str
    team_id: str
    plan_version: int
    plan_revision: int
    instructor_id: str
    class_label: str
    class_layout: dict[str, list[str]]
    status: str
    started_at: dt.datetime | None
    ended_at: dt.datetime | None
    current_step_id: str | None
    modes: list[dict[str, Any]]
    guests: dict[str, dict[str, Any]]
    join_code: str | None
    focus: dict[str, list[str]]
    observers: list[str]
    version: int


@dataclass(frozen=True)
class NoteReceipt:
    """The acknowledgement of a note: stored (or already stored) at this position."""

    note_id: str
    position: int
    duplicate: bool
    note: dict[str, Any]
    nudge: str | None = None
    # What was stored, exactly as catch-up replays it (None for a duplicate): live
    # rooms are sent this, without reading the event back from the log.
    change: NoteChange | None = None


@dataclass(frozen=True)
class DiscussionView:
    id: str
    teaching_id: str
    lesson_id: str
    team_id: str
    phase: str
    phase_log: list[PhaseEntry]
    contributions: dict[str, dict[str, Any]]
    patterns: dict[str, dict[str, Any]]
    claims: dict[str, dict[str, Any]]
    confirmed: dict[str, dict[str, Any]]
    revisions: dict[str, dict[str, Any]]
    next_plan_version: int | None
    version: int


@dataclass(frozen=True)
class MisconceptionView:
    id: str
    statement: str
    task_id: str | None
    topic: str
    subject: str
    source: str
    taxonomy: str | None
    external_id: str | None
    examples: list[dict[str, Any]]
    merged_into: str | None
    absorbed: list[str]
    hidden_quotes: list[str]
    version: int


@dataclass(frozen=True)
class HistoryEntry:
    """One event of a lesson's history, readable by a person and by a machine."""

    position: int
    aggregate: str
    aggregate_id: str
    version: int
    event: str
    timestamp: dt.datetime
    by: str | None
    data: dict[str, Any] = field(default_factory=dict)


# Values that cannot change, so a copy may share them.
_IMMUTABLE = (str, int, float, bool, type(None), dt.datetime, dt.date)


def snapshot(value: Any) -> Any:
    """A deep copy, so callers can never reach into aggregate state.

    Aggregate state is plain data (dicts and lists of strings, numbers and times), which
    this copies directly: copy.deepcopy's memo and dispatch were most of the cost of a
    30-step plan's view. Anything else is handed to copy.deepcopy.
    """
    kind = type(value)
    if kind is dict:
        return {key: snapshot(item) for key, item in value.items()}
    if kind is list:
        return [snapshot(item) for item in value]
    if isinstance(value, _IMMUTABLE):
        return value
    return copy.deepcopy(value)

"""The baseline: a bare eventsourcing Application saving equivalent events.

It does what the library needs and nothing more: get the aggregate, call one event
method, save. It keeps the same state a log or a plan must keep (the notes by id,
the plan's fields and steps), so the events and the copies the repository makes
are the same size as the service's, and what separates the two rates is the
service's own work: authorisation loads, validation, the existence check, and so on.

The aggregates live here, not in the script run as ``__main__``, because event
topics are stored as ``module:QualName``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate, event

from lessonstudy.application.base import ServiceBase
from lessonstudy.domain.lesson import StudyLesson
from lessonstudy.domain.observation import ObservationLog
from lessonstudy.storage import parse_database_url

# The service's repository settings, copied so both sides cache and fast-forward alike.
REPOSITORY_SETTINGS = (
    "AGGREGATE_CACHE_MAXSIZE",
    "AGGREGATE_CACHE_FASTFORWARD",
    "AGGREGATE_CACHE_FASTFORWARD_SKIPPING",
    "DEEPCOPY_FROM_AGGREGATE_CACHE",
)


def log_id(teaching_id: str, observer_id: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"bench:log:{teaching_id}:{observer_id}")


class Log(Aggregate):
    """One observer's notes in one teaching."""

    @event("Opened")
    def __init__(self, teaching_id: str, observer_id: str) -> None:
        self.teaching_id = teaching_id
        self.observer_id = observer_id
        self.notes: dict[str, dict[str, Any]] = {}

    @classmethod
    def create_id(cls, teaching_id: str, observer_id: str) -> UUID:
        return log_id(teaching_id, observer_id)

    @event("NoteRecorded")
    def record(
        self, note_id: str, recorded_at: dt.datetime, offset_seconds: float, fields: dict[str, Any]
    ) -> None:
        self.notes[note_id] = {
            "recorded_at": recorded_at,
            "offset_seconds": offset_seconds,
            **fields,
        }


class Plan(Aggregate):
    """A plan's fields and steps, each edit its own event."""

    @event("Planned")
    def __init__(self, fields: dict[str, Any], steps: dict[str, dict[str, Any]]) -> None:
        self.fields = fields
        self.steps = steps

    @event("PlanFieldChanged")
    def change_field(
        self, field: str, value: Any, by: str, reason: str, revision_id: str | None
    ) -> None:
        self.fields[field] = value

    @event("StepFieldChanged")
    def change_step(
        self, step_id: str, field: str, value: Any, by: str, reason: str, revision_id: str | None
    ) -> None:
        self.steps[step_id][field] = value


class BareApp(Application[UUID]):
    """Get, command, save: the floor the service is measured against."""

    name = "Bare"
    # Mirrors the service's snapshot intervals, so both sides write the same snapshots.
    snapshotting_intervals: ClassVar[dict[Any, int]] = {
        Log: ServiceBase.snapshotting_intervals[ObservationLog],
        Plan: ServiceBase.snapshotting_intervals[StudyLesson],
    }

    def __init__(self, database_url: str, service_env: Mapping[str, str]) -> None:
        env = dict(parse_database_url(database_url).environment)
        env.update({k: service_env[k] for k in REPOSITORY_SETTINGS if k in service_env})
        super().__init__(env=env)

    def record_note(
        self,
        *,
        teaching_id: str,
        observer_id: str,
        started_at: dt.datetime,
        note_id: str,
        recorded_at: dt.datetime,
        fields: dict[str, Any],
    ) -> int:
        """Store a note in the observer's log (opened on the first note); its position."""
        try:
            log: Log = self.repository.get(log_id(teaching_id, observer_id))
        except AggregateNotFoundError:
            log = Log(teaching_id=teaching_id, observer_id=observer_id)
        offset = round((recorded_at - started_at).total_seconds(), 3)
        log.record(note_id=note_id, recorded_at=recorded_at, offset_seconds=offset, fields=fields)
        return self._save(log)

    def plan(self, fields: dict[str, Any], steps: dict[str, dict[str, Any]]) -> UUID:
        plan = Plan(fields=fields, steps=steps)
        self.save(plan)
        return plan.id

    def change_field(self, *, plan_id: UUID, by: str, field: str, value: Any) -> int:
        plan: Plan = self.repository.get(plan_id)
        plan.change_field(field=field, value=value, by=by, reason="", revision_id=None)
        self._save(plan)
        return plan.version

    def change_step(self, *, plan_id: UUID, by: str, step_id: str, field: str, value: Any) -> int:
        plan: Plan = self.repository.get(plan_id)
        plan.change_step(
            step_id=step_id, field=field, value=value, by=by, reason="", revision_id=None
        )
        self._save(plan)
        return plan.version

    def _save(self, aggregate: Aggregate) -> int:
        recordings = self.save(aggregate)
        position: int = recordings[-1].notification.id
        return position

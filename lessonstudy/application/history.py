"""A lesson's whole history: its plan, teachings, notes and discussions, in log order.

The history is read from the notification log (the one total order of everything
that happened), keeping the events of the lesson's own aggregates. Observation logs
are recognised by their Opened event, which names the teaching.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import UUID

from lessonstudy.application.base import ServiceBase
from lessonstudy.application.results import HistoryEntry
from lessonstudy.domain.discussion import discussion_id_for
from lessonstudy.domain.lesson import StudyLesson

PAGE = 500


class History(ServiceBase):
    def lesson_history(self, lesson_id: UUID | str) -> list[HistoryEntry]:
        lesson = self._load(StudyLesson, lesson_id, field="lesson_id")
        members = {lesson.id}
        teachings: set[str] = set()
        observers: dict[UUID, str] = {}  # observation log -> its observer, who wrote it
        entries = []
        for position, event in self._events():
            # The decorator-made event classes are found by name (mypy cannot see them).
            name = type(event).__qualname__
            if name == "StudyLesson.TeachingScheduled" and event.originator_id == lesson.id:
                teachings.add(event.teaching_id)
                members |= {UUID(event.teaching_id), discussion_id_for(event.teaching_id)}
            if name == "ObservationLog.Opened" and event.teaching_id in teachings:
                members.add(event.originator_id)
                observers[event.originator_id] = event.observer_id
            if event.originator_id in members:
                entries.append(history_entry(position, event, observers.get(event.originator_id)))
        return entries

    def _events(self) -> Iterator[tuple[int, Any]]:
        """Every stored event with its position, read a page at a time."""
        start = 1
        while True:
            page = self.recorder.select_notifications(start=start, limit=PAGE)
            for notification in page:
                yield notification.id, self.mapper.to_domain_event(notification)
            if len(page) < PAGE:
                return
            start = page[-1].id + 1


def history_entry(position: int, event: Any, author: str | None = None) -> HistoryEntry:
    qualname = type(event).__qualname__
    aggregate, _, name = qualname.rpartition(".")
    data = {
        k: v
        for k, v in event.__dict__.items()
        if k not in ("originator_id", "originator_version", "timestamp", "originator_topic")
    }
    return HistoryEntry(
        position=position,
        aggregate=aggregate or qualname,
        aggregate_id=str(event.originator_id),
        version=event.originator_version,
        event=name or qualname,
        timestamp=event.timestamp,
        # A note event names no author: it is the observer whose log it is in.
        by=data.get("by") or data.get("observer_id") or author,
        data=data,
    )

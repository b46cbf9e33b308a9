"""A lesson's history rendered for people (one line per event) and for machines (JSON).

A line reads: log position, when it was stored (UTC), who, and the event in words
with its key data, e.g. ``#70  2026-11-19 09:11  hannah  Note hannah-04 at 11:30 on
G5-S3 (student talk, s2): "Three whites in a row..."``; an event that says when it
happened (a note taken offline, a demo loaded later) adds "(at 09:11)". Lines are
grouped under headings: the plan, each teaching with its notes, each discussion.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable, Mapping
from typing import Any
from uuid import UUID

from lessonstudy.application import LessonStudy
from lessonstudy.application.results import HistoryEntry
from lessonstudy.cli.log.words import describe
from lessonstudy.domain.errors import DomainError

NOBODY = "-"


def entry_author(entry: HistoryEntry, observers: Mapping[str, str]) -> str:
    """Who did it; a note event is by the observer whose log it is in."""
    return entry.by or observers.get(entry.aggregate_id) or entry.data.get("person_id") or NOBODY


def _observers(entries: Iterable[HistoryEntry]) -> dict[str, str]:
    return {
        e.aggregate_id: e.data["observer_id"]
        for e in entries
        if e.aggregate == "ObservationLog" and e.event == "Opened"
    }


def _sections(entries: list[HistoryEntry]) -> list[str]:
    """The section heading of each entry: the plan, a teaching with its notes, a discussion."""
    titled: dict[str, str] = {}  # aggregate id -> its heading
    teachings = 0
    plan_version = 1
    headings = []
    for e in entries:
        if e.aggregate == "Teaching" and e.event == "Scheduled":
            teachings += 1
            titled[e.aggregate_id] = (
                f"Teaching {teachings}: class {e.data.get('class_label')},"
                f" plan version {e.data.get('plan_version')}"
            )
        elif e.event == "Opened" and e.aggregate in ("ObservationLog", "Discussion"):
            teaching = titled.get(str(e.data.get("teaching_id")), "Teaching")
            discussion = f"Post-lesson discussion of {teaching.split(':')[0].lower()}"
            titled[e.aggregate_id] = teaching if e.aggregate == "ObservationLog" else discussion
        if e.aggregate != "StudyLesson":
            headings.append(titled.get(e.aggregate_id, e.aggregate))
        elif e.data.get("revision_id") or e.event == "NextVersionStarted":
            headings.append(f"Plan version {plan_version + 1}: the accepted revisions")
        else:
            headings.append(f"Plan version {plan_version}")
        if e.event == "NextVersionStarted":
            plan_version = int(e.data.get("plan_version", plan_version + 1))
    return headings


def render_text(entries: list[HistoryEntry], *, labels: Mapping[str, str] | None = None) -> str:
    """The history as lines a person reads, with a heading for each section."""
    observers = _observers(entries)
    width = len(f"#{max((e.position for e in entries), default=0)}")
    who_width = max((len(entry_author(e, observers)) for e in entries), default=1)
    lines = [_title(entries)]
    seen: set[str] = set()
    previous = None
    for entry, section in zip(entries, _sections(entries), strict=True):
        if section != previous:
            lines += ["", f"== {section}{' (continued)' if section in seen else ''} =="]
            seen.add(section)
            previous = section
        when = entry.timestamp.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M")
        who = entry_author(entry, observers)
        words = describe(entry, labels or {})
        lines.append(f"{'#' + str(entry.position):>{width}}  {when}  {who:<{who_width}}  {words}")
    return "\n".join(lines)


def _title(entries: list[HistoryEntry]) -> str:
    planned = next((e for e in entries if e.event == "Planned"), None)
    if planned is None:
        return f"{len(entries)} events"
    title = planned.data.get("title", "")
    for e in entries:
        if e.event == "PlanFieldChanged" and e.data.get("field") == "title":
            title = e.data.get("value", title)
    return f'Lesson {planned.aggregate_id} "{title}": {len(entries)} events, times in UTC'


def entry_dict(
    entry: HistoryEntry, observers: Mapping[str, str], labels: Mapping[str, str]
) -> dict[str, Any]:
    record = dataclasses.asdict(entry)
    author = entry_author(entry, observers)
    record["by"] = None if author == NOBODY else author
    record["summary"] = describe(entry, labels)
    return record


def render_json(entries: list[HistoryEntry], *, labels: Mapping[str, str] | None = None) -> str:
    """The history as a JSON array: datetimes in ISO 8601, ids as strings."""
    observers = _observers(entries)
    records = [entry_dict(e, observers, labels or {}) for e in entries]
    return json.dumps(records, indent=2, ensure_ascii=False, default=_json_value)


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, set | frozenset | tuple):
        return sorted(value) if isinstance(value, set | frozenset) else list(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def misconception_ids(entries: Iterable[HistoryEntry]) -> set[str]:
    """Every misconception the entries refer to (responses, notes, confirmations)."""
    found: set[str] = set()
    for e in entries:
        if e.data.get("misconception_id"):
            found.add(str(e.data["misconception_id"]))
        fields = e.data.get("fields")
        if isinstance(fields, dict):
            found.update(str(m) for m in fields.get("misconception_ids") or [])
    return found


def misconception_labels(app: LessonStudy, entries: Iterable[HistoryEntry]) -> dict[str, str]:
    """Statements of the misconceptions the entries refer to, where the catalogue has them."""
    labels = {}
    for misconception_id in sorted(misconception_ids(entries)):
        try:
            labels[misconception_id] = app.get_misconception(misconception_id).statement
        except DomainError:
            continue  # a note may name an id the catalogue does not know: show the id
    return labels

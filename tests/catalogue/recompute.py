"""The catalogue's numbers recomputed the plain way: replay every event into dicts.

Deliberately written without the projection's code (only its time format), from the
definitions in lessonstudy/projections/catalogue_stats.py, for the property test.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from lessonstudy.application import LessonStudy
from lessonstudy.projections.base import stamp

Key = tuple[str, str]  # (task_id or "", root entry id)


@dataclass
class Facts:
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    lessons: dict[str, str] = field(default_factory=dict)  # lesson -> task
    responses: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    teachings: dict[str, dict[str, Any]] = field(default_factory=dict)
    logs: dict[str, str] = field(default_factory=dict)  # log -> teaching
    notes: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    discussions: dict[str, str] = field(default_factory=dict)  # discussion -> teaching
    confirmations: dict[tuple[str, str], str] = field(default_factory=dict)  # -> time
    # (discussion, revision) -> the entry ids it concerns and whether it is accepted
    revisions: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)

    def root(self, entry_id: str) -> str:
        while self.entries[entry_id]["merged_into"]:
            entry_id = self.entries[entry_id]["merged_into"]
        return entry_id


def replay(app: LessonStudy) -> Facts:
    facts = Facts()
    for notification in app.recorder.select_notifications(start=1, limit=1_000_000):
        event = app.mapper.to_domain_event(notification)
        name = notification.topic.rpartition(":")[2]
        apply(facts, name, str(event.originator_id), event)
    return facts


def apply(f: Facts, name: str, origin: str, e: Any) -> None:
    at = stamp(getattr(e, "timestamp", None))
    if name == "Misconception.Catalogued":
        f.entries[origin] = {"task_id": e.task_id, "at": at, "merged_into": None}
    elif name == "Misconception.MergedInto":
        f.entries[origin]["merged_into"] = e.target_id
    elif name == "StudyLesson.Planned":
        f.lessons[origin] = e.task_id
    elif name == "StudyLesson.ResponseAnticipated":
        f.responses[origin, e.response_id] = {"step": e.step_id, "mc": e.misconception_id, "at": at}
    elif name == "StudyLesson.ResponseChanged" and e.field == "misconception_id":
        f.responses[origin, e.response_id].update(mc=e.value, at=at)
    elif name == "StudyLesson.ResponseRemoved":
        del f.responses[origin, e.response_id]
    elif name == "StudyLesson.StepRemoved":
        for key in [k for k, r in f.responses.items() if k[0] == origin and r["step"] == e.step_id]:
            del f.responses[key]
    elif name == "Teaching.Scheduled":
        taught = {
            rid: f.responses[e.lesson_id, rid]["mc"]
            for rids in e.responses_by_step.values()
            for rid in rids
        }
        steps = {rid: step for step, rids in e.responses_by_step.items() for rid in rids}
        f.teachings[origin] = {"task": f.lessons[e.lesson_id], "taught": taught, "steps": steps}
    elif name == "ObservationLog.Opened":
        f.logs[origin] = e.teaching_id
    elif name == "ObservationLog.NoteRecorded":
        f.notes[origin, e.note_id] = {**e.fields, "at": stamp(e.recorded_at), "retracted": False}
    elif name == "ObservationLog.NoteAmended":
        f.notes[origin, e.note_id].update(e.changes)
    elif name == "ObservationLog.NoteRetracted":
        f.notes[origin, e.note_id]["retracted"] = True
    elif name == "Discussion.Opened":
        f.discussions[origin] = e.teaching_id
    elif name == "Discussion.MisconceptionConfirmed":
        f.confirmations[origin, e.misconception_id] = at
    elif name == "Discussion.RevisionProposed":
        f.revisions[origin, e.revision_id] = {
            "concerns": concerns(f, f.discussions[origin], e.changes, e.note_ids),
            "accepted": False,
        }
    elif name == "Discussion.RevisionDecided":
        f.revisions[origin, e.revision_id]["accepted"] = e.status == "accepted"


def concerns(
    f: Facts, teaching_id: str, changes: list[dict[str, Any]], cited: list[str]
) -> set[str]:
    """The entries a revision concerns, when proposed: a response it anticipates links
    one; a step it changes had a response (as taught) linking one; a cited live note
    counts for one."""
    teaching = f.teachings[teaching_id]
    found: set[str | None] = set()
    for change in changes:
        if change["op"] == "anticipate_response":
            found.add(change["misconception_id"])
        elif change["op"] == "change_step":
            found.update(
                mc for rid, mc in teaching["taught"].items()
                if teaching["steps"][rid] == change["step_id"]
            )  # fmt: skip
    for (log, note_id), note in f.notes.items():
        if f.logs[log] == teaching_id and note_id in cited and not note["retracted"]:
            found.update(_tags(teaching, note))
    return {mc for mc in found if mc}


def _tags(teaching: dict[str, Any], note: dict[str, Any]) -> list[str | None]:
    return [teaching["taught"].get(r) for r in note["response_ids"]] + note["misconception_ids"]


def accepted_revisions(f: Facts) -> dict[Key, set[tuple[str, str]]]:
    """(task, root) -> the accepted revisions concerning it, as (discussion, revision)."""
    found: dict[Key, set[tuple[str, str]]] = defaultdict(set)
    for (discussion, revision), r in f.revisions.items():
        task = f.teachings[f.discussions[discussion]]["task"]
        for mc in r["concerns"] if r["accepted"] else ():
            if mc in f.entries:
                found[task, f.root(mc)].add((discussion, revision))
    return dict(found)


def stats(f: Facts) -> dict[Key, tuple[Any, ...]]:
    """(task, root) -> (anticipated, observed, teachings, students, confirmed, first, last)."""
    sets: dict[Key, dict[str, set[Any]]] = defaultdict(lambda: defaultdict(set))
    for entry_id, entry in f.entries.items():
        if entry["task_id"]:
            sets[entry["task_id"], f.root(entry_id)]["at"].add(entry["at"])
    for (lesson, _), response in f.responses.items():
        if response["mc"] in f.entries:
            found = sets[f.lessons[lesson], f.root(response["mc"])]
            found["lessons"].add(lesson)
            found["at"].add(response["at"])
    for (log, note_id), note in f.notes.items():
        if note["retracted"]:
            continue
        teaching_id = f.logs[log]
        teaching = f.teachings[teaching_id]
        tags = _tags(teaching, note)
        for root in {f.root(t) for t in tags if t in f.entries}:
            found = sets[teaching["task"], root]
            found["notes"].add((log, note_id))
            found["teachings"].add(teaching_id)
            if note["subject_kind"] == "seat":
                found["students"].add((teaching_id, note["subject_code"]))
            found["at"].add(note["at"])
    for (discussion, entry_id), at in f.confirmations.items():
        if entry_id in f.entries:
            task = f.teachings[f.discussions[discussion]]["task"]
            found = sets[task, f.root(entry_id)]
            found["discussions"].add(discussion)
            found["at"].add(at)
    result = {key: _row(found) for key, found in sets.items()}
    for root in {f.root(e) for e in f.entries}:
        rows = [row for (task, r), row in result.items() if r == root]
        times = [e["at"] for e_id, e in f.entries.items() if f.root(e_id) == root]
        times += [t for row in rows for t in row[5:]]
        sums = [sum(row[i] for row in rows) for i in range(5)]
        result["", root] = (*sums, min(times), max(times))
    return result


def _row(found: dict[str, set[Any]]) -> tuple[Any, ...]:
    names = ("lessons", "notes", "teachings", "students", "discussions")
    return (*(len(found[n]) for n in names), min(found["at"]), max(found["at"]))

"""Each kind of history event in words, with the data a person needs from it.

An event nobody taught this module still gets a line: its name and its simple data.
``labels`` names misconceptions by (a short form of) their statement.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any

from lessonstudy.application.results import HistoryEntry

QUOTE_LENGTH = 72
LABEL_LENGTH = 48

Data = dict[str, Any]
Labels = Mapping[str, str]


def quote(text: object, length: int = QUOTE_LENGTH) -> str:
    """Text on one line, cut at a word near length; in quotes unless it holds quotes."""
    shown = " ".join(str(text).split())
    if len(shown) > length:
        shown = shown[: length - 3].rsplit(" ", 1)[0].rstrip(",;:") + "..."
    return shown if '"' in shown else f'"{shown}"'


def short_label(statement: str) -> str:
    """A misconception's statement up to its first colon or full stop, for a tag."""
    head = re.split(r"[:.;]", statement, maxsplit=1)[0]
    return quote(head, LABEL_LENGTH)


def words(name: object) -> str:
    return str(name).replace("_", " ")


def mmss(seconds: object) -> str:
    total = int(float(seconds))  # type: ignore[arg-type]
    return f"{total // 60}:{total % 60:02d}"


def misconception(misconception_id: object, labels: Labels) -> str:
    label = labels.get(str(misconception_id))
    if label:
        return f"misconception {short_label(label)}"
    return f"misconception {str(misconception_id)[:8]}"


def cites(note_ids: object) -> str:
    ids = list(note_ids) if isinstance(note_ids, list | tuple) else []
    return f" (notes {', '.join(ids)})" if ids else ""


def value(field: str, data: object) -> str:
    if field == "class_layout" and isinstance(data, dict):
        seats = sum(len(s) for s in data.values())
        return f"{len(data)} groups, {seats} seats ({', '.join(data)})"
    if field == "focus" and isinstance(data, dict):
        return "; ".join(f"{who}: {', '.join(codes)}" for who, codes in data.items())
    if isinstance(data, str) and (len(data) > 30 or " " in data):
        return quote(data)
    return "(none)" if data in (None, "") else str(data)


def _why(d: Data) -> str:
    revision = f" [revision {d['revision_id']}]" if d.get("revision_id") else ""
    reason = f" - {d['reason']}" if d.get("reason") and not d.get("revision_id") else ""
    return revision + reason


def _note(d: Data, labels: Labels) -> str:
    f = d.get("fields", {})
    about = f.get("subject_code") or f"the {words(f.get('subject_kind', '?'))}"
    tags = [f"matches {', '.join(f['response_ids'])}"] if f.get("response_ids") else []
    tags += [misconception(m, labels) for m in f.get("misconception_ids", [])]
    tags += ["unanticipated"] * bool(f.get("unanticipated")) + ["flagged"] * bool(f.get("flagged"))
    text = (
        f"Note {d['note_id']} at {mmss(d.get('offset_seconds', 0))} on {about}"
        f" ({words(f.get('kind', '?'))}, {f.get('step_id')}): {quote(f.get('text', ''))}"
    )
    return text + (f" [{'; '.join(tags)}]" if tags else "")


def _response(d: Data, labels: Labels) -> str:
    kind = "misconception" if d.get("kind") == "misconception" else "correct strategy"
    linked = (
        f" [{misconception(d['misconception_id'], labels)}]" if d.get("misconception_id") else ""
    )
    return (
        f"Anticipated {kind} {d['response_id']} in {d['step_id']}: {quote(d['text'])}"
        f"{linked}{_why(d)}"
    )


def _amended(d: Data, labels: Labels) -> str:
    changes = d.get("changes", {})
    shown = [
        f"{name} {quote(new) if name == 'text' else value(name, new)}"
        for name, new in changes.items()
    ]
    return f"Note {d['note_id']} amended: {'; '.join(shown)}"


Describe = Callable[[Data, Labels], str]

DESCRIBE: dict[str, Describe] = {
    "StudyLesson.Planned": lambda d, _: f"Lesson planned: {quote(d.get('title'))}",
    "StudyLesson.PlanFieldChanged": lambda d, _: (
        f"Plan {words(d['field'])} set to {value(d['field'], d['value'])}{_why(d)}"
    ),
    "StudyLesson.StepAdded": lambda d, _: (
        f"Step {d['step_id']} added at position {d['position'] + 1}"
        f" ({d['fields'].get('minutes', 0)} min): {quote(d['fields'].get('activity', ''))}"
        f"{_why(d)}"
    ),
    "StudyLesson.StepFieldChanged": lambda d, _: (
        f"Step {d['step_id']} {words(d['field'])} set to {value(d['field'], d['value'])}{_why(d)}"
    ),
    "StudyLesson.StepMoved": lambda d, _: (
        f"Step {d['step_id']} moved to position {d['position'] + 1}{_why(d)}"
    ),
    "StudyLesson.StepRemoved": lambda d, _: f"Step {d['step_id']} removed{_why(d)}",
    "StudyLesson.ResponseAnticipated": _response,
    "StudyLesson.ResponseChanged": lambda d, _: (
        f"Anticipated response {d['response_id']} {words(d['field'])} set to"
        f" {value(d['field'], d['value'])}{_why(d)}"
    ),
    "StudyLesson.ResponseRemoved": lambda d, _: (
        f"Anticipated response {d['response_id']} removed{_why(d)}"
    ),
    "StudyLesson.TeachingScheduled": lambda d, _: (
        f"Plan version {d['plan_version']} to be taught (teaching {str(d['teaching_id'])[:8]})"
    ),
    "StudyLesson.NextVersionStarted": lambda d, _: (
        f"Plan version {d['plan_version']} started from accepted revisions"
        f" {', '.join(d['revision_ids'])}"
    ),
    "Teaching.Scheduled": lambda d, _: (
        f"Teaching scheduled: class {d['class_label']}, instructor {d['instructor_id']},"
        f" plan version {d['plan_version']}"
    ),
    "Teaching.FocusChosen": lambda d, _: (
        f"{d['observer_id']} will follow {', '.join(d['codes']) or 'no one in particular'}"
    ),
    "Teaching.Started": lambda d, _: f"Lesson started ({words(d['mode'])}) at {d['step_id']}",
    "Teaching.ModeChanged": lambda d, _: f"Lesson mode: {words(d['mode'])}",
    "Teaching.StepChanged": lambda d, _: f"Lesson moved to step {d['step_id']}",
    "Teaching.Ended": lambda d, _: "Lesson ended",
    "Teaching.GuestsInvited": lambda d, _: "Guests invited with a join code",
    "Teaching.GuestAdmitted": lambda d, _: (
        f"Guest {d['name']} joined as {', '.join(words(r) for r in d['roles'])}"
    ),
    "ObservationLog.Opened": lambda d, _: f"{d['observer_id']} started taking notes",
    "ObservationLog.NoteRecorded": _note,
    "ObservationLog.NoteAmended": _amended,
    "ObservationLog.NoteRetracted": lambda d, _: (
        f"Note {d['note_id']} retracted" + (f": {d['reason']}" if d.get("reason") else "")
    ),
    "Discussion.Opened": lambda d, _: "Discussion opened: the instructor's reflection first",
    "Discussion.PhaseMoved": lambda d, _: (
        f"Discussion {'back to' if d.get('direction') == 'back' else 'moves to'}"
        f" {words(d['phase'])}"
    ),
    "Discussion.Contributed": lambda d, _: (
        f"Said{' about ' + d['step_id'] if d.get('step_id') else ''}"
        f" ({words(d['phase'])}): {quote(d['text'])}{cites(d.get('note_ids'))}"
    ),
    "Discussion.PatternCreated": lambda d, _: (
        f"Pattern {d['pattern_id']} {quote(d['name'])}{cites(d['note_ids'])}"
    ),
    "Discussion.PatternRenamed": lambda d, _: (
        f"Pattern {d['pattern_id']} renamed {quote(d['name'])}"
    ),
    "Discussion.NotePlaced": lambda d, _: (
        f"Note {d['note_id']} placed in {d['pattern_id'] or 'no pattern'}"
    ),
    "Discussion.ClaimMade": lambda d, _: (
        f"Claim {d['claim_id']} ({words(d['phase'])}): {quote(d['text'])}{cites(d['note_ids'])}"
    ),
    "Discussion.MisconceptionConfirmed": lambda d, labels: (
        f"Confirmed {misconception(d['misconception_id'], labels)}{cites(d['note_ids'])}"
        + (f"; helped: {quote(d['helpful_responses'], 50)}" if d.get("helpful_responses") else "")
    ),
    "Discussion.RevisionProposed": lambda d, _: (
        f"Revision {d['revision_id']} proposed: {quote(d['summary'])},"
        f" {len(d['changes'])} change(s){cites(d['note_ids'])}"
    ),
    "Discussion.RevisionDecided": lambda d, _: (
        f"Revision {d['revision_id']} {d['status']}"
        + (f": {d['reason']}" if d.get("reason") else "")
    ),
    "Discussion.Closed": lambda d, _: (
        f"Discussion closed; plan version {d['next_plan_version']} begins"
    ),
}


def happened(entry: HistoryEntry) -> str:
    """When the event says it happened, if that is not when it was stored."""
    at = entry.data.get("recorded_at") or entry.data.get("at")
    if not isinstance(at, dt.datetime) or abs(at - entry.timestamp) < dt.timedelta(minutes=1):
        return ""
    at = at.astimezone(dt.UTC)
    same_day = at.date() == entry.timestamp.astimezone(dt.UTC).date()
    return f" (at {at:%H:%M})" if same_day else f" (at {at:%Y-%m-%d %H:%M})"


def describe(entry: HistoryEntry, labels: Labels) -> str:
    """The event in words; an unknown event or shape falls back to its data."""
    describer = DESCRIBE.get(f"{entry.aggregate}.{entry.event}")
    if describer is not None:
        try:
            return describer(entry.data, labels) + happened(entry)
        except (KeyError, TypeError, AttributeError, ValueError):
            pass  # an older or newer shape of the event: show its data instead
    simple = [
        f"{k}={v}" for k, v in entry.data.items() if isinstance(v, str | int | float) and k != "by"
    ]
    return f"{entry.aggregate} {words(entry.event)}" + (f": {', '.join(simple)}" if simple else "")

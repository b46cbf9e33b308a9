"""What a post-lesson discussion's record shows, gathered once for the Markdown and the page.

The record holds the team's findings about student thinking, each beside the notes it
cites: what was said phase by phase, the patterns on the wall, claims, confirmed
misconceptions with the teacher responses that helped, the revisions (accepted,
proposed, declined) and the next plan version. Nothing in it scores the teacher.
Students appear only by their seat or group codes, as the notes name them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from lessonstudy.application import LessonStudy
from lessonstudy.application.planning import PLAN_FIELD_LABELS, STEP_FIELD_LABELS, lower
from lessonstudy.application.results import DiscussionView, TaskView, TeachingView, TeamView
from lessonstudy.domain.discussion import CLOSED, PHASES
from lessonstudy.domain.errors import DomainError
from lessonstudy.domain.observation import Note

PHASE_TITLES: dict[str, str] = {
    "instructor_reflection": "The instructor's reflection",
    "planning_team": "The planning team",
    "observations": "Observations, step by step",
    "patterns": "Patterns in the notes",
    "prediction": "Prediction",
    "evaluation": "Evaluation against the lesson goals",
    "knowledgeable_other": "The knowledgeable other's comments",
    "next_steps": "The next level of work",
    CLOSED: "Closed",
}
# A declined revision is stored as "rejected"; teams say declined.
STATUS_WORDS = {"accepted": "Accepted", "proposed": "Proposed", "rejected": "Declined"}
STATUS_ORDER = ("accepted", "proposed", "rejected")
SUBJECT_WORDS = {"teacher": "the teacher", "whole_class": "the whole class"}


@dataclass(frozen=True)
class CitedNote:
    note_id: str
    who: str  # the seat or group code, or "the whole class" / "the teacher"
    step: str  # "step 2", or "" when the note has no step
    text: str
    observer: str  # the observer's name (the record is for the team)
    retracted: bool  # retracted after it was cited: still shown, marked


@dataclass(frozen=True)
class RecordDocument:
    discussion: DiscussionView
    teaching: TeachingView
    team: TeamView
    task: TaskView
    title: str
    steps: dict[str, tuple[int, str]]  # step id -> (number, activity) as taught
    notes: dict[str, CitedNote]  # every note of the teaching, cited or not
    names: dict[str, str]  # person id -> name (team members and guests)
    misconceptions: dict[str, str]  # misconception id -> catalogue statement

    @property
    def closed(self) -> bool:
        return self.discussion.phase == CLOSED

    def phase_title(self, phase: str) -> str:
        return PHASE_TITLES.get(phase, phase.replace("_", " ").capitalize())

    def name(self, person_id: str | None) -> str:
        return self.names.get(person_id or "", person_id or "someone")

    def cited(self, note_ids: list[str]) -> list[CitedNote]:
        """The cited notes, in the order cited; a note id the teaching lacks is skipped."""
        return [self.notes[n] for n in note_ids if n in self.notes]

    def step_label(self, step_id: str | None) -> str:
        """ "Step 2", as the plan was taught; "" for no step or one the plan lacks."""
        if not step_id or step_id not in self.steps:
            return ""
        return f"Step {self.steps[step_id][0]}"

    def contributions_by_phase(self) -> list[tuple[str, list[dict[str, Any]]]]:
        """The phases in their order, each with what was said in it (empty ones left out)."""
        said: dict[str, list[dict[str, Any]]] = {p: [] for p in PHASES}
        for contribution in self.discussion.contributions.values():
            said.setdefault(contribution["phase"], []).append(contribution)
        return [(phase, items) for phase, items in said.items() if items]

    def claims_by_phase(self) -> list[tuple[str, list[dict[str, Any]]]]:
        found: dict[str, list[dict[str, Any]]] = {p: [] for p in PHASES}
        for claim in self.discussion.claims.values():
            found.setdefault(claim["phase"], []).append(claim)
        return [(phase, items) for phase, items in found.items() if items]

    def patterns(self) -> list[dict[str, Any]]:
        """Patterns with at least one note (an emptied cluster says nothing)."""
        return [p for p in self.discussion.patterns.values() if p["note_ids"]]

    def confirmed(self) -> list[tuple[str, dict[str, Any]]]:
        """(statement, confirmation) for each confirmed misconception."""
        return [
            (self.misconceptions.get(m, "(no longer in the catalogue)"), c)
            for m, c in self.discussion.confirmed.items()
        ]

    def revisions(self) -> list[tuple[str, dict[str, Any]]]:
        """(revision id, revision): accepted first, then proposed, then declined."""
        items = list(self.discussion.revisions.items())
        return sorted(items, key=lambda item: STATUS_ORDER.index(item[1]["status"]))

    def status_word(self, status: str) -> str:
        return STATUS_WORDS.get(status, status)

    def change_words(self, change: dict[str, Any]) -> str:
        """One plan change in plain words: 'Set the minutes of step 3 to 10'."""
        op = change["op"]
        if op == "change_field":
            value = change["value"]
            if change["field"] == "instructor_id":
                value = self.name(value)
            return f"Set the {lower(PLAN_FIELD_LABELS, change['field'])} to: {_short(value)}"
        step = self._step_words(change["step_id"])
        if op == "change_step":
            what = lower(STEP_FIELD_LABELS, change["field"])
            return f"Set the {what} of {step} to: {_short(change['value'])}"
        if op == "add_step":
            activity = (change.get("fields") or {}).get("activity", "")
            where = change.get("position")
            at = f"step {where + 1}" if isinstance(where, int) else "a step at the end"
            return f"Add {at}: {_short(activity)}"
        kind = "a misconception" if change.get("kind") == "misconception" else "a correct strategy"
        linked = self.misconceptions.get(change.get("misconception_id") or "")
        named = f" (catalogue: {linked})" if linked else ""
        return f"Anticipate {kind} in {step}{named}: {_short(change.get('text', ''))}"

    def _step_words(self, step_id: str) -> str:
        if step_id in self.steps:
            return f"step {self.steps[step_id][0]}"
        return "the new step"


def _short(value: Any) -> str:
    return str(value).strip() if value not in (None, "") else "(empty)"


def gather_record(service: LessonStudy, discussion_id: UUID | str) -> RecordDocument:
    discussion = service.get_discussion(discussion_id)
    teaching = service.get_teaching(discussion.teaching_id)
    # The plan as taught: its step numbers are the ones the notes and the talk refer to.
    taught = service.get_plan(discussion.lesson_id, revision=teaching.plan_revision)
    current = service.get_plan(discussion.lesson_id)
    steps = {s["id"]: (n, s["activity"]) for n, s in enumerate(taught.steps, 1)}
    people = _people(discussion)
    names = service.person_names(discussion.team_id, people - set(teaching.guests))
    names.update({pid: guest["name"] for pid, guest in teaching.guests.items()})
    raw_notes = service.get_notes(teaching.id, include_retracted=True)
    names.update(
        service.person_names(discussion.team_id, {n["observer_id"] for n in raw_notes} - set(names))
    )
    notes = {n["note_id"]: _cited_note(n, steps, names) for n in raw_notes}
    return RecordDocument(
        discussion=discussion,
        teaching=teaching,
        team=service.get_team(discussion.team_id),
        task=service.get_task(current.task_id),
        title=current.fields["title"],
        steps=steps,
        notes=notes,
        names=names,
        misconceptions=_statements(service, _misconception_ids(discussion)),
    )


def _people(d: DiscussionView) -> set[str]:
    parts = [*d.contributions.values(), *d.patterns.values(), *d.claims.values()]
    parts += [*d.confirmed.values(), *d.revisions.values()]
    people = {p["by"] for p in parts if p.get("by")}
    people |= {r["decided_by"] for r in d.revisions.values() if r.get("decided_by")}
    people |= {c["value"] for r in d.revisions.values() for c in r["changes"] if _is_person(c)}
    return people | {entry["by"] for entry in d.phase_log if entry.get("by")}


def _is_person(change: dict[str, Any]) -> bool:
    return change["op"] == "change_field" and change["field"] == "instructor_id"


def _misconception_ids(d: DiscussionView) -> set[str]:
    ids = set(d.confirmed)
    for revision in d.revisions.values():
        ids |= {c["misconception_id"] for c in revision["changes"] if c.get("misconception_id")}
    return ids


def _statements(service: LessonStudy, ids: set[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for misconception_id in ids:
        try:
            found[misconception_id] = service.get_misconception(misconception_id).statement
        except DomainError:
            continue  # shown as "no longer in the catalogue"
    return found


def _cited_note(
    note: Note, steps: dict[str, tuple[int, str]], names: dict[str, str]
) -> CitedNote:
    kind, code = note.get("subject_kind"), note.get("subject_code")
    who = code or SUBJECT_WORDS.get(kind or "", "the whole class")
    step_id = note.get("step_id")
    step = f"step {steps[step_id][0]}" if step_id in steps else ""
    return CitedNote(
        note_id=note["note_id"],
        who=who,
        step=step,
        text=note["text"],
        observer=names.get(note["observer_id"], note["observer_id"]),
        retracted=bool(note["retracted"]),
    )

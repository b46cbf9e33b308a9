"""The plan's own story: who changed which part, when and why; and what two revisions differ in.

Read from the lesson's own event stream (not the whole log, which the lesson history
in ``application/history.py`` walks), so the planning page can show "Ana changed the key question
of step 2" beside each part and compare any two revisions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any
from uuid import UUID

from lessonstudy.application.base import ServiceBase
from lessonstudy.application.planning.diff import PlanDifference, diff_plans
from lessonstudy.application.planning.plans import plan_view
from lessonstudy.application.planning.words import (
    PLAN_FIELD_LABELS,
    RESPONSE_FIELD_LABELS,
    RESPONSE_KIND_WORDS,
    STEP_FIELD_LABELS,
    lower,
)
from lessonstudy.application.results import PlanView, snapshot
from lessonstudy.domain.account import Account
from lessonstudy.domain.errors import DomainError, InvalidValueError
from lessonstudy.domain.lesson import StudyLesson
from lessonstudy.domain.part_key import PartKey
from lessonstudy.domain.plan_fields import RESPONSE_FIELDS, STEP_FIELDS
from lessonstudy.domain.team import Team


@dataclass(frozen=True)
class PlanDetail:
    """The plan at one revision, and who last changed each of its parts."""

    plan: PlanView
    # part key -> {"revision", "by", "by_name"}, only for parts the plan still has
    last_changed: dict[str, dict[str, Any]]


@dataclass(frozen=True)
class PlanHistoryEntry:
    revision: int
    event: str
    part: str
    summary: str
    by: str | None
    by_name: str | None
    at: dt.datetime
    reason: str
    revision_id: str | None  # the discussion revision the change came from, if any
    # The discussion that revision belongs to (and that started a plan version), if any.
    discussion_id: str | None = None


class PlanHistory(ServiceBase):
    def lesson_team_id(self, lesson_id: UUID | str) -> str:
        """The team a lesson belongs to (NotFoundError naming lesson_id when none)."""
        return self._read(StudyLesson, lesson_id, field="lesson_id").team_id

    def plan_detail(self, lesson_id: UUID | str, *, revision: int | None = None) -> PlanDetail:
        # The cached lesson itself when revision is None: what is handed out is copied.
        lesson = self._read_at(StudyLesson, lesson_id, revision, "lesson_id")
        plan = plan_view(lesson)
        live = _part_keys(plan)
        # Copy only the parts the plan still has (a long-edited plan remembers many more).
        changed = {k: snapshot(v) for k, v in lesson.last_changed.items() if k in live}
        names = self.person_names(plan.team_id, (v["by"] for v in changed.values()))
        for entry in changed.values():
            entry["by_name"] = names.get(entry["by"], entry["by"])
        return PlanDetail(plan=plan, last_changed=changed)

    def person_names(self, team_id: UUID | str, person_ids: Iterable[str]) -> dict[str, str]:
        """Display names: as the team knows them, else the account's, else the id itself."""
        members = self._read(Team, team_id, field="team_id").members
        names: dict[str, str] = {}
        for person_id in set(person_ids):
            if person_id in members:
                names[person_id] = members[person_id]["name"]
                continue
            try:  # someone who has left the team still has an account
                names[person_id] = self._read(Account, person_id).display_name
            except DomainError:
                names[person_id] = person_id
        return names

    def plan_events(self, lesson_id: UUID | str) -> list[Any]:
        """Every event of the lesson's own stream, oldest first."""
        lesson = self._read(StudyLesson, lesson_id, field="lesson_id")
        return list(self.events.get(lesson.id))

    def plan_history(self, lesson_id: UUID | str) -> list[PlanHistoryEntry]:
        lesson = self._read(StudyLesson, lesson_id, field="lesson_id")
        events: list[Any] = list(self.events.get(lesson.id))
        names = self.person_names(lesson.team_id, (e.by for e in events if getattr(e, "by", None)))
        story = _Story()
        return _with_discussions([story.entry(event, names) for event in events])

    def plan_diff(
        self, lesson_id: UUID | str, from_revision: int, to_revision: int
    ) -> list[PlanDifference]:
        latest = self._read(StudyLesson, lesson_id, field="lesson_id").version
        for name, revision in (("from", from_revision), ("to", to_revision)):
            if not 1 <= revision <= latest:
                raise InvalidValueError(f"{name} must be from 1 to {latest}", field=name)
        before = self._read_at(StudyLesson, lesson_id, from_revision, "lesson_id")
        after = self._read_at(StudyLesson, lesson_id, to_revision, "lesson_id")
        return diff_plans(plan_view(before), plan_view(after))


def _with_discussions(entries: list[PlanHistoryEntry]) -> list[PlanHistoryEntry]:
    """Name the discussion behind each change a revision made.

    A revision's changes are saved just before the NextVersionStarted event that names
    the discussion (one transaction), so reading backwards finds it first. Revision ids
    are chosen per discussion, so only the pair finds the revision and its evidence.
    """
    found: list[PlanHistoryEntry] = []
    discussion: str | None = None
    for entry in reversed(entries):
        if entry.event == "NextVersionStarted":
            discussion = entry.discussion_id
        elif entry.revision_id:
            entry = replace(entry, discussion_id=discussion)
        found.append(entry)
    return found[::-1]


def _part_keys(plan: PlanView) -> set[str]:
    keys = set(plan.fields)
    for step in plan.steps:
        keys.update(PartKey.texts("step", step["id"], STEP_FIELDS))
        for response in step["responses"]:
            keys.update(PartKey.texts("response", response["id"], RESPONSE_FIELDS))
    return keys


class _Story:
    """Replays the order of steps while reading events, to say 'step 2' as it was then."""

    def __init__(self) -> None:
        self.order: list[str] = []
        self.step_of: dict[str, str] = {}  # response id -> its step id

    def entry(self, event: Any, names: dict[str, str]) -> PlanHistoryEntry:
        name = type(event).__qualname__.rpartition(".")[2]
        part, summary = self._describe(name, event)
        by = getattr(event, "by", None)
        return PlanHistoryEntry(
            revision=event.originator_version,
            event=name,
            part=part,
            summary=summary,
            by=by,
            by_name=names.get(by, by) if by else None,
            at=event.timestamp,
            reason=getattr(event, "reason", "") or "",
            revision_id=getattr(event, "revision_id", None),
            discussion_id=getattr(event, "discussion_id", None),
        )

    def _number(self, step_id: str) -> int:
        return self.order.index(step_id) + 1 if step_id in self.order else 0

    def _describe(self, name: str, e: Any) -> tuple[str, str]:
        if name == "Planned":
            return "title", f"started the plan “{e.title}”"
        if name == "PlanFieldChanged":
            return e.field, f"changed the {lower(PLAN_FIELD_LABELS, e.field)}"
        if name == "StepFieldChanged":
            what = lower(STEP_FIELD_LABELS, e.field)
            return (
                PartKey.text("step", e.step_id, e.field),
                f"changed the {what} of step {self._number(e.step_id)}",
            )
        if name in ("StepAdded", "StepMoved", "StepRemoved"):
            return "steps", self._structure(name, e)
        if name in ("ResponseAnticipated", "ResponseChanged", "ResponseRemoved"):
            return self._response(name, e)
        if name == "TeachingScheduled":
            return "teachings", f"scheduled a teaching of plan version {e.plan_version}"
        if name == "NextVersionStarted":
            return "plan_version", f"started plan version {e.plan_version} from accepted revisions"
        return "plan", name  # an event this module does not know yet still gets a line

    def _structure(self, name: str, e: Any) -> str:
        if name == "StepAdded":
            self.order.insert(e.position, e.step_id)
            return f"added step {e.position + 1}"
        was = self._number(e.step_id)
        self.order.remove(e.step_id)
        if name == "StepRemoved":
            return f"removed step {was}"
        self.order.insert(e.position, e.step_id)
        return f"moved step {was} to position {e.position + 1}"

    def _response(self, name: str, e: Any) -> tuple[str, str]:
        if name == "ResponseAnticipated":
            self.step_of[e.response_id] = e.step_id
            kind = RESPONSE_KIND_WORDS.get(e.kind, e.kind)
            step = self._number(e.step_id)
            part = PartKey.text("step", e.step_id, "responses")
            return part, f"anticipated {kind} in step {step}"
        step_id = self.step_of.get(e.response_id, "")
        step = self._number(step_id)
        if name == "ResponseRemoved":
            part = PartKey.text("step", step_id, "responses")
            return part, f"removed an anticipated response from step {step}"
        what = lower(RESPONSE_FIELD_LABELS, e.field)
        return (
            PartKey.text("response", e.response_id, e.field),
            f"changed the {what} of an anticipated response in step {step}",
        )

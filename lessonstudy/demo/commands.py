"""The demo's commands, run through the LessonStudy service in the order a team works.

Every command is safe to run again: the service ignores a step, response, note,
contribution, pattern, claim or revision whose id it already has, and a value set
twice is no change. The few commands that are not (the lesson's clock, retracting a
note, moving the discussion on) check what is stored first, so an interrupted load
finishes where it stopped and a finished one adds nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from lessonstudy.application import LessonStudy
from lessonstudy.demo import discussion as talk
from lessonstudy.demo import notes, plan
from lessonstudy.domain.discussion import PHASES

LESSON_START = dt.datetime(2026, 11, 19, 9, 0, tzinfo=dt.UTC)
DEMO_NOW = dt.datetime(2026, 11, 19, 12, 0, tzinfo=dt.UTC)


@dataclass
class DemoIds:
    """The ids the service chose for the demo's aggregates, as found in the log."""

    team_id: UUID | None = None
    task_id: UUID | None = None
    lesson_id: UUID | None = None
    teaching_id: UUID | None = None
    discussion_id: UUID | None = None
    misconceptions: dict[str, UUID] = field(default_factory=dict)


def misconception_statements() -> dict[str, str]:
    key, statement = plan.OBSERVED_MISCONCEPTION
    return {**plan.ANTICIPATED_MISCONCEPTIONS, key: statement}


def lesson_time(offset: str) -> dt.datetime:
    """The time "mm:ss" after the lesson started."""
    minutes, seconds = offset.split(":")
    return LESSON_START + dt.timedelta(minutes=int(minutes), seconds=int(seconds))


def clock_time(hh_mm: str) -> dt.datetime:
    """A clock time ("10:18") on the day of the lesson."""
    hours, minutes = hh_mm.split(":")
    return LESSON_START.replace(hour=int(hours), minute=int(minutes))


def _need(value: UUID | None, what: str) -> UUID:
    if value is None:
        raise RuntimeError(f"the demo has no {what} yet")
    return value


class DemoLoader:
    def __init__(self, app: LessonStudy, ids: DemoIds) -> None:
        self.app = app
        self.ids = ids

    def run(self) -> None:
        self.team_and_task()
        for key in plan.ANTICIPATED_MISCONCEPTIONS:
            self.misconception(key)
        self.plan()
        self.teaching()
        self.discussion()

    # --- study and plan ------------------------------------------------------------

    def team_and_task(self) -> None:
        founder, name, roles = plan.MEMBERS[0]
        if self.ids.team_id is None:
            self.ids.team_id = self.app.form_team(
                actor_id=founder,
                actor_name=name,
                name=plan.TEAM_NAME,
                school=plan.SCHOOL,
                research_theme=plan.RESEARCH_THEME,
                roles=roles,
            )
        for person_id, person_name, person_roles in plan.MEMBERS[1:]:
            self.app.add_member(
                actor_id=founder,
                team_id=self.ids.team_id,
                person_id=person_id,
                name=person_name,
                roles=person_roles,
            )
        if self.ids.task_id is None:
            self.ids.task_id = self.app.define_task(
                actor_id="daniel", team_id=self.ids.team_id, **plan.TASK
            )

    def misconception(self, key: str) -> str:
        """The catalogue id of the misconception with this key, catalogued if new."""
        if key not in self.ids.misconceptions:
            observed = key == plan.OBSERVED_MISCONCEPTION[0]
            self.ids.misconceptions[key] = self.app.catalogue_misconception(
                actor_id="hannah" if observed else "sofia",
                team_id=_need(self.ids.team_id, "team"),
                statement=misconception_statements()[key],
                task_id=_need(self.ids.task_id, "task"),
                topic=plan.TASK["topic"],
                subject=plan.TASK["subject"],
                source="observed" if observed else "anticipated",
            )
        return str(self.ids.misconceptions[key])

    def plan(self) -> None:
        team_id, task_id = _need(self.ids.team_id, "team"), _need(self.ids.task_id, "task")
        if self.ids.lesson_id is None:
            self.ids.lesson_id = self.app.plan_lesson(
                actor_id="mei", team_id=team_id, task_id=task_id, title=plan.LESSON_TITLE
            )
        lesson: dict[str, Any] = {"lesson_id": self.ids.lesson_id, "base_revision": None}
        for by, name, value, reason in plan.PLAN_FIELDS:
            self.app.change_plan_field(
                actor_id=by, field=name, value=value, reason=reason, **lesson
            )
        for step_id, fields in plan.STEPS:
            self.app.add_step(
                actor_id="daniel", lesson_id=self.ids.lesson_id, step_id=step_id, fields=fields
            )
        for step_id, response_id, kind, text, key in plan.RESPONSES:
            self.app.anticipate_response(
                actor_id="sofia" if kind == "misconception" else "daniel",
                lesson_id=self.ids.lesson_id,
                step_id=step_id,
                response_id=response_id,
                kind=kind,
                text=text,
                misconception_id=self.misconception(key) if key else None,
            )
        for by, step_id, name, value, reason in plan.STEP_EDITS:
            self.app.change_step(
                actor_id=by, step_id=step_id, field=name, value=value, reason=reason, **lesson
            )

    # --- teach and observe ---------------------------------------------------------

    def teaching(self) -> None:
        lesson_id = _need(self.ids.lesson_id, "lesson")
        if self.ids.teaching_id is None:
            self.ids.teaching_id = self.app.schedule_teaching(
                actor_id="daniel",
                lesson_id=lesson_id,
                instructor_id=plan.INSTRUCTOR,
                class_label=notes.CLASS_LABEL,
            )
        for observer, codes in plan.FOCUS.items():
            self.app.choose_focus(actor_id=observer, teaching_id=self.ids.teaching_id, codes=codes)
        timeline: list[tuple[dt.datetime, int, Any, tuple[Any, ...]]] = []
        for offset, action, argument in notes.CLOCK:
            timeline.append((lesson_time(offset), 0, self._clock, (action, argument)))
        for observer, written in notes.NOTES.items():
            for note in written:
                timeline.append((lesson_time(note.at), 1, self._note, (observer, note)))
        for observer, note_id, offset, changes in notes.AMENDMENTS:
            timeline.append((lesson_time(offset), 2, self._amend, (observer, note_id, changes)))
        for observer, note_id, offset, reason in notes.RETRACTIONS:
            timeline.append((lesson_time(offset), 2, self._retract, (observer, note_id, reason)))
        for at, _, command, arguments in sorted(timeline, key=lambda item: item[:2]):
            command(at, *arguments)

    def _clock(self, at: dt.datetime, action: str, argument: str) -> None:
        """One move of the lesson's clock, unless the teaching is already past it."""
        teaching_id = _need(self.ids.teaching_id, "teaching")
        now = self.app.get_teaching(teaching_id)
        if now.status == "ended" or (action == "start") != (now.status == "scheduled"):
            return
        run: dict[str, Any] = {"actor_id": plan.INSTRUCTOR, "teaching_id": teaching_id, "at": at}
        if action == "start":
            self.app.start_teaching(mode=argument, **run)
        elif action == "mode" and all(mode["at"] < at for mode in now.modes):
            self.app.change_lesson_mode(mode=argument, **run)
        elif action == "step" and self._step_index(argument) > self._step_index(
            now.current_step_id
        ):
            self.app.move_to_step(step_id=argument, **run)
        elif action == "end":
            self.app.end_teaching(**run)

    @staticmethod
    def _step_index(step_id: str | None) -> int:
        order = [step_id for step_id, _ in plan.STEPS]
        return order.index(step_id) if step_id in order else -1

    def _note(self, at: dt.datetime, observer: str, note: notes.DemoNote) -> None:
        about = {"teacher": ("teacher", None), "class": ("whole_class", None)}
        kind, code = about.get(note.about, ("seat" if "-" in note.about else "group", note.about))
        self.app.record_note(
            actor_id=observer,
            teaching_id=_need(self.ids.teaching_id, "teaching"),
            note_id=note.note_id,
            recorded_at=at,
            subject_kind=kind,
            subject_code=code,
            kind=note.kind,
            text=note.text,
            step_id=note.step,
            response_ids=list(note.responses),
            misconception_ids=[self.misconception(key) for key in note.misconceptions],
            unanticipated=note.unanticipated,
            flagged=note.flagged,
        )

    def _amend(self, at: dt.datetime, observer: str, note_id: str, changes: Any) -> None:
        teaching_id = _need(self.ids.teaching_id, "teaching")
        self.app.amend_note(
            actor_id=observer, teaching_id=teaching_id, note_id=note_id, changes=changes, at=at
        )

    def _retract(self, at: dt.datetime, observer: str, note_id: str, reason: str) -> None:
        teaching_id = _need(self.ids.teaching_id, "teaching")
        stored = self.app.get_notes(teaching_id, include_retracted=True)
        if any(n["note_id"] == note_id and n["retracted"] for n in stored):
            return
        self.app.retract_note(
            actor_id=observer, teaching_id=teaching_id, note_id=note_id, reason=reason, at=at
        )

    # --- critique and revise -------------------------------------------------------

    def discussion(self) -> None:
        self.ids.discussion_id = self.app.open_discussion(
            actor_id=plan.FACILITATOR,
            teaching_id=_need(self.ids.teaching_id, "teaching"),
            at=clock_time(talk.OPENED_AT),
        )
        stored_phase = self.app.get_discussion(self.ids.discussion_id).phase
        script_phase = PHASES[0]
        for command, arguments in talk.DISCUSSION:
            if command == "move_discussion_phase":
                script_phase = arguments["phase"]
            # Phases only move on once their part is done: skip the parts before.
            if PHASES.index(script_phase) < PHASES.index(stored_phase):
                continue
            if command == "catalogue":
                self.misconception(arguments["key"])
                continue
            getattr(self.app, command)(
                discussion_id=self.ids.discussion_id, **self._resolve(arguments)
            )
        self.app.start_next_cycle(
            actor_id=plan.FACILITATOR,
            discussion_id=self.ids.discussion_id,
            at=clock_time(talk.NEXT_CYCLE_AT),
        )

    def _resolve(self, value: Any, key: str = "") -> Any:
        """Clock times to datetimes, "@key" to misconception ids, all the way down."""
        if isinstance(value, dict):
            return {k: self._resolve(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [self._resolve(v) for v in value]
        if key == "at" and isinstance(value, str):
            return clock_time(value)
        if isinstance(value, str) and value.startswith("@"):
            return self.misconception(value[1:])
        return value

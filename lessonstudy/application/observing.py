"""Commands and queries for teaching a lesson and recording what students do."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cached_property
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Recording

from lessonstudy.application.base import ServiceBase
from lessonstudy.application.codes import spoken_code
from lessonstudy.application.note_feed import (
    NOTE_TOPICS,
    CatchUp,
    NoteChange,
    change_at,
    change_of_event,
    note_as_change,
    read_changes,
)
from lessonstudy.application.positions import position_of
from lessonstudy.application.results import NoteReceipt, TeachingView, snapshot
from lessonstudy.domain.errors import InvalidValueError, NotFoundError
from lessonstudy.domain.lesson import StudyLesson
from lessonstudy.domain.misconception import Misconception
from lessonstudy.domain.observation import CLOCK_SKEW, Note, ObservationLog, observation_log_id
from lessonstudy.domain.permissions import Action, require
from lessonstudy.domain.teaching import Teaching
from lessonstudy.domain.wording import nudge_for


class Observing(ServiceBase):
    # --- teaching ------------------------------------------------------------------

    def schedule_teaching(
        self, *, actor_id: str, lesson_id: UUID | str, instructor_id: str, class_label: str
    ) -> UUID:
        """Fix the current plan version, its steps and class layout for one class."""

        def attempt() -> tuple[UUID, list[Any]]:
            lesson = self._load(StudyLesson, lesson_id, field="lesson_id")
            team = self.authorize(actor_id, lesson.team_id, Action.RUN_TEACHING)
            team.roles_of(instructor_id)  # the instructor must be on the team
            # A new teaching on every attempt: a failed save has already taken the
            # pending events of the last one, and it must match the fresh lesson.
            teaching = Teaching.schedule(
                lesson_id=str(lesson.id),
                team_id=lesson.team_id,
                plan_version=lesson.plan_version,
                plan_revision=lesson.version,
                instructor_id=instructor_id,
                class_label=class_label,
                class_layout=snapshot(lesson.fields["class_layout"]),
                responses_by_step={
                    s: list(lesson.steps[s]["responses"]) for s in lesson.step_order
                },
                by=actor_id,
            )
            lesson.record_teaching(by=actor_id, teaching_id=str(teaching.id))
            # The lesson's event first, so the log reads: scheduled on the lesson, then
            # the teaching itself (the history follows the log in this order).
            return teaching.id, [lesson, teaching]

        return self._transact(attempt)[0]

    def start_teaching(
        self,
        *,
        actor_id: str,
        teaching_id: UUID | str,
        at: dt.datetime | None = None,
        mode: str = "whole_class",
    ) -> int:
        return self._run_teaching(
            actor_id,
            teaching_id,
            lambda t: t.start(by=actor_id, at=at or self.clock(), first_mode=mode),
        )

    def change_lesson_mode(
        self, *, actor_id: str, teaching_id: UUID | str, mode: str, at: dt.datetime | None = None
    ) -> int:
        return self._run_teaching(
            actor_id,
            teaching_id,
            lambda t: t.change_mode(by=actor_id, mode=mode, at=at or self.clock()),
        )

    def move_to_step(
        self, *, actor_id: str, teaching_id: UUID | str, step_id: str, at: dt.datetime | None = None
    ) -> int:
        return self._run_teaching(
            actor_id,
            teaching_id,
            lambda t: t.move_to_step(by=actor_id, step_id=step_id, at=at or self.clock()),
        )

    def end_teaching(
        self, *, actor_id: str, teaching_id: UUID | str, at: dt.datetime | None = None
    ) -> int:
        return self._run_teaching(
            actor_id, teaching_id, lambda t: t.end(by=actor_id, at=at or self.clock())
        )

    def open_to_guests(self, *, actor_id: str, teaching_id: UUID | str) -> str:
        """A short code a guest (say, a knowledgeable other) types to join."""
        code = spoken_code(6)
        self._run_teaching(
            actor_id, teaching_id, lambda t: t.open_to_guests(by=actor_id, join_code=code)
        )
        return code

    def join_as_guest(
        self,
        *,
        teaching_id: UUID | str,
        join_code: str,
        person_id: str,
        name: str,
        roles: list[str] | None = None,
    ) -> int:
        roles = roles or ["observer"]

        def attempt() -> tuple[None, list[Any]]:
            teaching = self._load(Teaching, teaching_id, field="teaching_id")
            teaching.admit_guest(
                join_code=join_code.strip().upper(),
                person_id=person_id,
                name=name,
                roles=roles,
                discussion_open=self._discussion_open(teaching),
            )
            return None, [teaching]

        return self._transact(attempt)[1]

    def choose_focus(self, *, actor_id: str, teaching_id: UUID | str, codes: list[str]) -> int:
        def attempt() -> tuple[None, list[Any]]:
            teaching = self._load(Teaching, teaching_id, field="teaching_id")
            self._observer_roles(teaching, actor_id)
            teaching.choose_focus(observer_id=actor_id, codes=codes)
            return None, [teaching]

        return self._transact(attempt)[1]

    def get_teaching(self, teaching_id: UUID | str) -> TeachingView:
        t = self._load(Teaching, teaching_id, field="teaching_id")
        return TeachingView(
            id=str(t.id),
            lesson_id=t.lesson_id,
            team_id=t.team_id,
            plan_version=t.plan_version,
            plan_revision=t.plan_revision,
            instructor_id=t.instructor_id,
            class_label=t.class_label,
            class_layout=snapshot(t.class_layout),
            status=t.status,
            started_at=t.started_at,
            ended_at=t.ended_at,
            current_step_id=t.current_step_id,
            modes=snapshot(t.modes),
            guests=snapshot(t.guests),
            join_code=t.join_code,
            focus=snapshot(t.focus),
            observers=list(t.observers),
            version=t.version,
        )

    def _run_teaching(self, actor_id: str, teaching_id: UUID | str, command: Any) -> int:
        def attempt() -> tuple[None, list[Any]]:
            teaching = self._load(Teaching, teaching_id, field="teaching_id")
            self.authorize(actor_id, teaching.team_id, Action.RUN_TEACHING)
            command(teaching)
            return None, [teaching]

        return self._transact(attempt)[1]

    # --- notes ---------------------------------------------------------------------

    def record_note(
        self,
        *,
        actor_id: str,
        teaching_id: UUID | str,
        note_id: str,
        recorded_at: dt.datetime | None = None,
        **fields: Any,
    ) -> NoteReceipt:
        """Store a note once; a retry with the same id acknowledges the original."""

        def attempt() -> tuple[tuple[dict[str, Any], bool], list[Any]]:
            # Read-only on the hot path; a copy only for an observer's first note.
            teaching = self._read(Teaching, teaching_id, field="teaching_id", join_catch_up=True)
            # Who may observe first: an outsider hears 403 whatever the payload says.
            require(self._observer_roles(teaching, actor_id), Action.OBSERVE)
            at = self._note_time(recorded_at)
            context = teaching.note_context()
            log = self._observation_log(teaching, actor_id)
            note, new = log.record(note_id=note_id, at=at, context=context, fields=fields)
            if not new:
                return (snapshot(note), False), []
            # Refused here, the note recorded on this copy of the log is never saved.
            self._require_catalogued(note["misconception_ids"])
            if actor_id in teaching.observers:
                return (snapshot(note), True), [log]
            teaching = self._load(Teaching, teaching_id, field="teaching_id")
            teaching.register_observer(observer_id=actor_id)
            return (snapshot(note), True), [teaching, log]

        (note, new), position, recordings = self._transact_recorded(attempt)
        if not new:
            log_id = observation_log_id(str(teaching_id), actor_id)
            position = position_of(self.recorder, log_id, note["version"]) or position
        return NoteReceipt(
            note_id=note_id,
            position=position,
            duplicate=not new,
            note=note,
            nudge=nudge_for(note["text"]) if new else None,
            change=self._stored_change(recordings, teaching_id, actor_id),
        )

    def amend_note(
        self,
        *,
        actor_id: str,
        teaching_id: UUID | str,
        note_id: str,
        changes: dict[str, Any],
        at: dt.datetime | None = None,
    ) -> NoteReceipt:
        """Only the observer who recorded a note amends it: it is in their own log."""

        def attempt() -> tuple[tuple[dict[str, Any], bool], list[Any]]:
            teaching = self._load(Teaching, teaching_id, field="teaching_id")
            self._observer_roles(teaching, actor_id)
            log = self._existing_log(teaching, actor_id, note_id)
            before = log.notes[note_id]
            changed = log.amend(
                note_id=note_id,
                at=at or self.clock(),
                context=teaching.note_context(),
                changes=changes,
            )
            # Only the tags it adds: one it already had was checked when it was added.
            added = set(log.notes[note_id]["misconception_ids"]) - set(before["misconception_ids"])
            self._require_catalogued(added)
            return (snapshot(log.notes[note_id]), changed), [log] if changed else []

        (note, changed), position, recordings = self._transact_recorded(attempt)
        # An amendment that changes nothing (a resend) is acknowledged as a duplicate.
        return NoteReceipt(
            note_id=note_id,
            position=position,
            duplicate=not changed,
            note=note,
            nudge=nudge_for(note["text"]) if changed else None,
            change=self._stored_change(recordings, teaching_id, actor_id),
        )

    def retract_note(
        self,
        *,
        actor_id: str,
        teaching_id: UUID | str,
        note_id: str,
        reason: str = "",
        at: dt.datetime | None = None,
    ) -> int:
        return self.retract_note_once(
            actor_id=actor_id, teaching_id=teaching_id, note_id=note_id, reason=reason, at=at
        ).position

    def retract_note_once(
        self,
        *,
        actor_id: str,
        teaching_id: UUID | str,
        note_id: str,
        reason: str = "",
        at: dt.datetime | None = None,
    ) -> NoteReceipt:
        """Retract a note; a resent retraction stores nothing and is marked duplicate."""

        def attempt() -> tuple[tuple[dict[str, Any], bool], list[Any]]:
            teaching = self._load(Teaching, teaching_id, field="teaching_id")
            self._observer_roles(teaching, actor_id)
            log = self._existing_log(teaching, actor_id, note_id)
            changed = log.retract(note_id=note_id, at=at or self.clock(), reason=reason)
            return (snapshot(log.notes[note_id]), changed), [log] if changed else []

        (note, changed), position, recordings = self._transact_recorded(attempt)
        return NoteReceipt(
            note_id=note_id,
            position=position,
            duplicate=not changed,
            note=note,
            change=self._stored_change(recordings, teaching_id, actor_id),
        )

    def get_notes(
        self, teaching_id: UUID | str, *, include_retracted: bool = False
    ) -> list[Note]:
        """Every observer's notes in this teaching, in the order they were taken."""
        teaching = self._load(Teaching, teaching_id, field="teaching_id")
        return self._notes_of(teaching, include_retracted=include_retracted)

    def _notes_of(self, teaching: Teaching, *, include_retracted: bool) -> list[Note]:
        notes: list[Note] = []
        for log in self._logs_of(teaching):
            notes.extend(n for n in log.notes.values() if include_retracted or not n["retracted"])
        return snapshot(sorted(notes, key=lambda n: (n["recorded_at"], n["note_id"])))

    # --- catching up live clients ----------------------------------------------------

    def notes_since(self, teaching_id: UUID | str, position: int) -> CatchUp:
        """The note changes after position, read from the log; or, from 0, a long gap
        or a position this log never reached, every note as it stands (a snapshot)."""
        # Head first: everything up to it is in what follows, anything later reaches
        # the client as a broadcast or in its next catch-up.
        head = self._head()
        teaching = self._load(Teaching, teaching_id, field="teaching_id")
        if 0 < position <= head:
            logs = {observation_log_id(str(teaching.id), o): o for o in teaching.observers}
            changes = read_changes(self.recorder, self.mapper, logs, after=position, upto=head)
            if changes is not None:
                return CatchUp(changes, head, snapshot=False)
        notes = self._notes_of(teaching, include_retracted=True)
        return CatchUp([note_as_change(n) for n in notes], head, snapshot=True)

    def note_change_at(
        self, teaching_id: UUID | str, observer_id: str, position: int
    ) -> NoteChange | None:
        """The change an observer's command stored at position, exactly as catch-up
        will replay it (what live rooms are sent)."""
        log_id = observation_log_id(str(self._uuid(teaching_id, "teaching_id")), observer_id)
        return change_at(self.recorder, self.mapper, log_id, observer_id, position)

    def _stored_change(
        self, recordings: list[Recording[UUID]], teaching_id: UUID | str, observer_id: str
    ) -> NoteChange | None:
        """The note change a command just saved in the observer's log, built from the
        saved event and its position exactly as note_change_at reads it back later."""
        log_id = observation_log_id(str(self._uuid(teaching_id, "teaching_id")), observer_id)
        for recording in recordings:
            kind = NOTE_TOPICS.get(recording.notification.topic)
            if kind is not None and recording.domain_event.originator_id == log_id:
                position = recording.notification.id
                return change_of_event(kind, position, recording.domain_event, observer_id)
        return None

    def _logs_of(self, teaching: Teaching) -> list[ObservationLog]:
        log_ids = [observation_log_id(str(teaching.id), o) for o in teaching.observers]
        return [self._load(ObservationLog, log_id, field="observer_id") for log_id in log_ids]

    def _observation_log(self, teaching: Teaching, observer_id: str) -> ObservationLog:
        log_id = observation_log_id(str(teaching.id), observer_id)
        try:
            return self._load(ObservationLog, log_id, field="observer_id")
        except NotFoundError:
            return ObservationLog(teaching_id=str(teaching.id), observer_id=observer_id)

    def _existing_log(self, teaching: Teaching, observer_id: str, note_id: str) -> ObservationLog:
        log = self._observation_log(teaching, observer_id)
        if note_id not in log.notes:
            raise InvalidValueError(
                "you can amend or retract only notes you recorded", field="note_id"
            )
        return log

    @cached_property
    def _catalogued(self) -> set[str]:
        """Misconception ids known to be in this store's catalogue. An entry is never
        deleted (a merge keeps it, pointing to the other), so an id once found is not
        read again: notes tagged with the same few misconceptions all lesson long cost
        a set lookup, and untagged notes nothing."""
        return set()

    def _require_catalogued(self, misconception_ids: Iterable[str]) -> None:
        """A note's tags name entries of the catalogue (422 naming misconception_ids)."""
        for misconception_id in misconception_ids:
            if misconception_id in self._catalogued:
                continue
            try:
                self._read(Misconception, misconception_id, field="misconception_ids")
            except NotFoundError:
                raise InvalidValueError(
                    f"no misconception {misconception_id} in the catalogue",
                    field="misconception_ids",
                ) from None
            self._catalogued.add(misconception_id)

    def _note_time(self, recorded_at: dt.datetime | None) -> dt.datetime:
        now = self.clock()
        if recorded_at is None:
            return now
        if recorded_at.tzinfo is None:
            raise InvalidValueError("recorded_at needs a time zone", field="recorded_at")
        if recorded_at > now + CLOCK_SKEW:
            raise InvalidValueError("recorded_at is in the future", field="recorded_at")
        return recorded_at

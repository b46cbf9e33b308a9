"""A teaching: one plan version taught by one instructor to one class.

The teaching fixes what observers may refer to (the class layout's codes, the plan
steps and their anticipated responses, as they stood when it was scheduled) and
the clock that note offsets are measured against. Notes themselves live in each
observer's own ObservationLog so that observers never contend with each other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from eventsourcing.domain import Aggregate, event

from lessonstudy.domain.errors import InvalidValueError, LifecycleError, PermissionDeniedError
from lessonstudy.domain.values import LessonMode, Role, check_choice, check_code, check_text

SCHEDULED, STARTED, ENDED = "scheduled", "started", "ended"

# A join code is read aloud in a room, so whoever types it chooses their own roles:
# a guest may watch or comment as a knowledgeable other, never run the lesson or the
# discussion (those roles come only from the team).
GUEST_ROLES = frozenset({Role.OBSERVER, Role.KNOWLEDGEABLE_OTHER})


def _guest_roles(roles: list[str]) -> list[str]:
    if isinstance(roles, str) or not roles:
        raise InvalidValueError("a guest needs at least one role", field="roles")
    checked = sorted({check_choice(Role, role, "roles").value for role in roles})
    refused = [role for role in checked if role not in GUEST_ROLES]
    if refused:
        raise PermissionDeniedError(
            f"a guest may join as {' or '.join(sorted(GUEST_ROLES))}, not {refused[0]}",
            field="roles",
        )
    return checked


@dataclass(frozen=True)
class NoteContext:
    """What a note may refer to in this teaching, handed to the observer's log."""

    teaching_id: str
    started_at: dt.datetime
    codes: frozenset[str]
    responses_by_step: dict[str, frozenset[str]] = field(default_factory=dict)
    # The layout's groups and seats apart: a group's note names a group, a seat's a seat.
    groups: frozenset[str] = frozenset()
    seats: frozenset[str] = frozenset()

    def offset_seconds(self, at: dt.datetime) -> float:
        return round((at - self.started_at).total_seconds(), 3)


class Teaching(Aggregate):
    # The code that admits guests to the discussion once the lesson has ended. A class
    # default, not only set in __init__: a snapshot taken before discussions had guests
    # restores without it.
    discussion_join_code: str | None = None

    @event("Scheduled")
    def __init__(
        self,
        lesson_id: str,
        team_id: str,
        plan_version: int,
        plan_revision: int,
        instructor_id: str,
        class_label: str,
        class_layout: dict[str, list[str]],
        responses_by_step: dict[str, list[str]],
        by: str,
    ) -> None:
        self.lesson_id = lesson_id
        self.team_id = team_id
        self.plan_version = plan_version
        self.plan_revision = plan_revision
        self.instructor_id = instructor_id
        self.class_label = class_label
        self.class_layout = class_layout
        self.responses_by_step = responses_by_step
        self.status = SCHEDULED
        self.started_at: dt.datetime | None = None
        self.ended_at: dt.datetime | None = None
        self.current_step_id: str | None = None
        self.modes: list[dict[str, Any]] = []
        self.guests: dict[str, dict[str, Any]] = {}
        self.join_code: str | None = None
        self.focus: dict[str, list[str]] = {}
        self.observers: list[str] = []

    @classmethod
    def schedule(
        cls,
        *,
        lesson_id: str,
        team_id: str,
        plan_version: int,
        plan_revision: int,
        instructor_id: str,
        class_label: str,
        class_layout: dict[str, list[str]],
        responses_by_step: dict[str, list[str]],
        by: str,
    ) -> Teaching:
        if not responses_by_step:
            raise LifecycleError(
                "a plan needs at least one step before it is taught", field="steps"
            )
        return cls(
            lesson_id=lesson_id,
            team_id=team_id,
            plan_version=plan_version,
            plan_revision=plan_revision,
            instructor_id=check_text(instructor_id, "instructor_id", max_length=100),
            class_label=check_text(class_label, "class_label", max_length=100),
            class_layout=class_layout,
            responses_by_step=responses_by_step,
            by=by,
        )

    # --- the lesson's clock --------------------------------------------------------

    def start(self, *, by: str, at: dt.datetime, first_mode: str = "whole_class") -> None:
        if self.status != SCHEDULED:
            raise LifecycleError(f"this teaching has already {self.status}", field="status")
        mode = check_choice(LessonMode, first_mode, "mode").value
        self._started(at=at, mode=mode, step_id=next(iter(self.responses_by_step)), by=by)

    @event("Started")
    def _started(self, at: dt.datetime, mode: str, step_id: str, by: str) -> None:
        self.status = STARTED
        self.started_at = at
        self.current_step_id = step_id
        self.modes.append({"mode": mode, "at": at})

    def change_mode(self, *, by: str, mode: str, at: dt.datetime) -> None:
        self._require_running(at)
        mode = check_choice(LessonMode, mode, "mode").value
        if self.modes and self.modes[-1]["mode"] == mode:
            return
        self._mode_changed(mode=mode, at=at, by=by)

    @event("ModeChanged")
    def _mode_changed(self, mode: str, at: dt.datetime, by: str) -> None:
        self.modes.append({"mode": mode, "at": at})

    def move_to_step(self, *, by: str, step_id: str, at: dt.datetime) -> None:
        self._require_running(at)
        if step_id not in self.responses_by_step:
            raise InvalidValueError(f"the plan taught has no step {step_id}", field="step_id")
        if step_id != self.current_step_id:
            self._step_changed(step_id=step_id, at=at, by=by)

    @event("StepChanged")
    def _step_changed(self, step_id: str, at: dt.datetime, by: str) -> None:
        self.current_step_id = step_id

    def end(self, *, by: str, at: dt.datetime) -> None:
        self._require_running(at)
        self._ended(at=at, by=by)

    @event("Ended")
    def _ended(self, at: dt.datetime, by: str) -> None:
        self.status = ENDED
        self.ended_at = at

    # --- who is in the room --------------------------------------------------------

    def open_to_guests(self, *, by: str, join_code: str) -> None:
        if self.status == ENDED:
            raise LifecycleError("this teaching has ended", field="status")
        self._guests_invited(join_code=check_code(join_code, "join_code"), by=by)

    @event("GuestsInvited")
    def _guests_invited(self, join_code: str, by: str) -> None:
        self.join_code = join_code

    def open_discussion_to_guests(self, *, by: str, join_code: str, discussion_open: bool) -> None:
        """A code for the discussion, for someone who was not at the lesson (often the
        knowledgeable other from outside the school).

        It is a new code rather than the lesson's kept valid: the lesson's code was shown
        to a whole room and stops admitting when the lesson ends, so after the lesson
        only those the facilitator invites to the discussion join, and only while the
        discussion is open (the service says whether it is). Guests stay the teaching's,
        so who may take part in the discussion is still one rule (the team and its guests).
        """
        if self.status != ENDED:
            raise LifecycleError(
                "until the lesson ends, guests join with the lesson's own code", field="status"
            )
        if not discussion_open:
            raise LifecycleError("the discussion is not open", field="discussion")
        join_code = check_code(join_code, "join_code")
        if join_code != self.discussion_join_code:
            self._discussion_guests_invited(join_code=join_code, by=by)

    @event("DiscussionGuestsInvited")
    def _discussion_guests_invited(self, join_code: str, by: str) -> None:
        self.discussion_join_code = join_code

    def admit_guest(
        self,
        *,
        join_code: str,
        person_id: str,
        name: str,
        roles: list[str],
        discussion_open: bool = False,
    ) -> None:
        """Admit with the lesson's code while it runs, or with the discussion's code
        while the discussion is open."""
        for_discussion = join_code == self.discussion_join_code
        if not for_discussion and (self.join_code is None or join_code != self.join_code):
            raise InvalidValueError(
                "that join code is not valid for this lesson", field="join_code"
            )
        if for_discussion and not discussion_open:
            raise LifecycleError("the discussion this code was for is closed", field="discussion")
        if not for_discussion and self.status == ENDED:
            raise LifecycleError("this teaching has ended", field="status")
        if person_id not in self.guests:
            self._guest_admitted(
                person_id=person_id,
                name=check_text(name, "name", max_length=200),
                roles=_guest_roles(roles),
            )

    @event("GuestAdmitted")
    def _guest_admitted(self, person_id: str, name: str, roles: list[str]) -> None:
        self.guests[person_id] = {"name": name, "roles": list(roles)}

    def choose_focus(self, *, observer_id: str, codes: list[str]) -> None:
        codes = [check_code(code, "codes") for code in codes]
        unknown = sorted(set(codes) - self.codes())
        if unknown and self.class_layout:
            raise InvalidValueError(f"not in the class layout: {', '.join(unknown)}", field="codes")
        if self.focus.get(observer_id) != codes:
            self._focus_chosen(observer_id=observer_id, codes=codes)

    @event("FocusChosen")
    def _focus_chosen(self, observer_id: str, codes: list[str]) -> None:
        self.focus[observer_id] = list(codes)

    def register_observer(self, *, observer_id: str) -> bool:
        """Remember who took notes, once each, so their notes are found even if they
        later leave the team. Saved with the observer's first note only, so observers
        still never contend note by note."""
        if observer_id in self.observers:
            return False
        self._observer_registered(observer_id=observer_id)
        return True

    @event("ObserverRegistered")
    def _observer_registered(self, observer_id: str) -> None:
        self.observers.append(observer_id)

    # --- reading -------------------------------------------------------------------

    def codes(self) -> frozenset[str]:
        groups = self.class_layout
        return frozenset(groups) | frozenset(s for seats in groups.values() for s in seats)

    def note_context(self) -> NoteContext:
        """What notes may refer to; refuses before the lesson has started."""
        if self.status == SCHEDULED or self.started_at is None:
            raise LifecycleError(
                "notes can be recorded once the teaching has started", field="teaching_id"
            )
        groups = frozenset(self.class_layout)
        seats = frozenset(s for members in self.class_layout.values() for s in members)
        return NoteContext(
            teaching_id=str(self.id),
            started_at=self.started_at,
            codes=groups | seats,
            responses_by_step={s: frozenset(r) for s, r in self.responses_by_step.items()},
            groups=groups,
            seats=seats,
        )

    def _require_running(self, at: dt.datetime) -> None:
        if self.status != STARTED:
            raise LifecycleError(f"this teaching is {self.status}, not under way", field="status")
        if self.started_at is not None and at < self.started_at:
            raise InvalidValueError("that time is before the lesson started", field="at")

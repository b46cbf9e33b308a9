"""An observer's notes during one teaching: their own stream, never shared.

One ObservationLog per (teaching, observer), with a deterministic id, so observers
never contend for a version number. A note's id comes from the observer's device:
recording the same id again is a retry and changes nothing. Notes are amended or
retracted by later events, never deleted.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, TypedDict, cast
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from lessonstudy.domain.copying import copy_with
from lessonstudy.domain.errors import InvalidValueError, LifecycleError, NotFoundError
from lessonstudy.domain.teaching import NoteContext
from lessonstudy.domain.values import NoteKind, SubjectKind, check_choice, check_code, check_text

NOTE_TEXT_LIMIT = 5000
# Devices disagree about the time: a note may claim to be this far before the lesson's
# start (and, checked by the service against its clock, this far in the future).
CLOCK_SKEW = dt.timedelta(minutes=5)


class NoteFields(TypedDict):
    """What an observer says in a note, as checked against the teaching."""

    subject_kind: str  # a SubjectKind value
    subject_code: str | None  # the seat or group, for a seat's or group's note
    kind: str  # a NoteKind value
    text: str
    step_id: str
    response_ids: list[str]
    misconception_ids: list[str]
    unanticipated: bool
    photo_id: str | None
    flagged: bool


# The fields an observer sets and amends: NoteFields' keys, so they are written once.
NOTE_FIELDS = frozenset(NoteFields.__annotations__)


class Note(NoteFields):
    """A note as the log keeps it and the service hands it out."""

    note_id: str
    version: int  # the stream version that recorded it
    observer_id: str
    recorded_at: dt.datetime
    offset_seconds: float
    retracted: bool
    amendments: int


def observation_log_id(teaching_id: str, observer_id: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"lessonstudy:observation-log:{teaching_id}:{observer_id}")


def check_note_fields(fields: dict[str, Any], context: NoteContext) -> NoteFields:
    """Every note field checked against the teaching; errors name the field."""
    subject_kind = check_choice(SubjectKind, fields.get("subject_kind"), "subject_kind").value
    subject_code = fields.get("subject_code")
    if subject_kind in (SubjectKind.SEAT, SubjectKind.GROUP):
        subject_code = check_code(subject_code or "", "subject_code")
        if context.codes and subject_code not in context.codes:
            raise InvalidValueError(
                f"{subject_code} is not in the class layout", field="subject_code"
            )
        # A group's note names a group and a seat's a seat: the catalogue counts
        # students by seat, and a seat filed as a group would be counted as none.
        named = context.groups if subject_kind == SubjectKind.GROUP else context.seats
        if context.codes and subject_code not in named:
            raise InvalidValueError(
                f"{subject_code} is not a {subject_kind} of the class layout",
                field="subject_code",
            )
    else:
        subject_code = None
    step_id = fields.get("step_id")
    # A list or dict here would otherwise escape as a TypeError from the lookup.
    if not isinstance(step_id, str) or step_id not in context.responses_by_step:
        raise InvalidValueError("step_id must be a step of the plan taught", field="step_id")
    response_ids = _string_list(fields.get("response_ids", []), "response_ids")
    if set(response_ids) - context.responses_by_step[step_id]:
        raise InvalidValueError(
            "response_ids must be anticipated responses of that step", field="response_ids"
        )
    unanticipated = fields.get("unanticipated", False)
    if not isinstance(unanticipated, bool):
        raise InvalidValueError("unanticipated must be true or false", field="unanticipated")
    if unanticipated and response_ids:
        raise InvalidValueError(
            "a note is either unanticipated or matches a response", field="unanticipated"
        )
    flagged = fields.get("flagged", False)
    if not isinstance(flagged, bool):
        raise InvalidValueError("flagged must be true or false", field="flagged")
    photo_id = fields.get("photo_id")
    if photo_id is not None:
        photo_id = check_text(photo_id, "photo_id", max_length=100)
    return {
        "subject_kind": subject_kind,
        "subject_code": subject_code,
        "kind": check_choice(NoteKind, fields.get("kind"), "kind").value,
        "text": check_text(fields.get("text"), "text", max_length=NOTE_TEXT_LIMIT),
        "step_id": step_id,
        "response_ids": response_ids,
        "misconception_ids": _string_list(fields.get("misconception_ids", []), "misconception_ids"),
        "unanticipated": unanticipated,
        "photo_id": photo_id,
        "flagged": flagged,
    }


def _string_list(value: Any, field: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise InvalidValueError(f"{field} must be a list of ids", field=field)
    return list(dict.fromkeys(value))


class ObservationLog(Aggregate):
    @event("Opened")
    def __init__(self, teaching_id: str, observer_id: str) -> None:
        self.teaching_id = teaching_id
        self.observer_id = observer_id
        self.notes: dict[str, Note] = {}

    def __deepcopy__(self, memo: dict[int, Any]) -> ObservationLog:
        # Note dicts are replaced, never edited in place, so they can be shared.
        return copy_with(self, memo, shallow=["notes"])

    @classmethod
    def create_id(cls, teaching_id: str, observer_id: str) -> UUID:
        return observation_log_id(teaching_id, observer_id)

    class NoteRecorded(Aggregate.Event):
        """Version 2 added the optional photo and the flag (v1 notes had neither)."""

        class_version: ClassVar[int] = 2
        note_id: str
        recorded_at: dt.datetime
        offset_seconds: float
        fields: dict[str, Any]

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["fields"].setdefault("photo_id", None)
            state["fields"].setdefault("flagged", False)

    def record(
        self, *, note_id: str, at: dt.datetime, context: NoteContext, fields: dict[str, Any]
    ) -> tuple[Note, bool]:
        """Record a note; returns (the note, True) or (the original, False) for a retry."""
        note_id = check_text(note_id, "note_id", max_length=64)
        if note_id in self.notes:
            return self.notes[note_id], False
        if str(context.teaching_id) != self.teaching_id:
            raise InvalidValueError("that context is for another teaching", field="teaching_id")
        if at < context.started_at - CLOCK_SKEW:
            # A note is taken during the lesson: a date before it is a wrong clock or a
            # made-up time, and would place the note far outside the lesson's timeline.
            raise InvalidValueError(
                "recorded_at is before the lesson started", field="recorded_at"
            )
        checked = check_note_fields(fields, context)
        self._note_recorded(
            note_id=note_id,
            recorded_at=at,
            offset_seconds=context.offset_seconds(at),
            fields=checked,
        )
        return self.notes[note_id], True

    @event(NoteRecorded)
    def _note_recorded(
        self,
        note_id: str,
        recorded_at: dt.datetime,
        offset_seconds: float,
        fields: NoteFields,
    ) -> None:
        self.notes[note_id] = {
            "note_id": note_id,
            # The stream version that recorded it, to find its log position for a retry.
            "version": self.version + 1,
            "observer_id": self.observer_id,
            "recorded_at": recorded_at,
            "offset_seconds": offset_seconds,
            "retracted": False,
            "amendments": 0,
            **fields,
        }

    def amend(
        self, *, note_id: str, at: dt.datetime, context: NoteContext, changes: dict[str, Any]
    ) -> bool:
        note = self._open_note(note_id)
        unknown = set(changes) - NOTE_FIELDS
        if unknown:
            raise InvalidValueError(
                f"notes have no field {sorted(unknown)[0]!r}", field=sorted(unknown)[0]
            )
        current = {k: note.get(k) for k in NOTE_FIELDS}
        merged = check_note_fields({**current, **changes}, context)
        changed = {k: v for k, v in merged.items() if note.get(k) != v}
        if not changed:
            return False
        self._note_amended(note_id=note_id, at=at, changes=changed)
        return True

    @event("NoteAmended")
    def _note_amended(self, note_id: str, at: dt.datetime, changes: dict[str, Any]) -> None:
        # A new dict, never an edit in place: copies of this log share note dicts.
        note = self.notes[note_id]
        self.notes[note_id] = cast(
            Note, {**note, **changes, "amendments": note["amendments"] + 1}
        )

    def retract(self, *, note_id: str, at: dt.datetime, reason: str = "") -> bool:
        """Retract a note; False when it was already retracted (a resent request)."""
        note = self.notes.get(note_id)
        if note is not None and note["retracted"]:
            return False
        self._open_note(note_id)
        self._note_retracted(
            note_id=note_id,
            at=at,
            reason=check_text(reason, "reason", max_length=500, required=False),
        )
        return True

    @event("NoteRetracted")
    def _note_retracted(self, note_id: str, at: dt.datetime, reason: str) -> None:
        self.notes[note_id] = {**self.notes[note_id], "retracted": True}

    def live_notes(self) -> list[Note]:
        return [n for n in self.notes.values() if not n["retracted"]]

    def _open_note(self, note_id: str) -> Note:
        note = self.notes.get(note_id)
        if note is None:
            raise NotFoundError(
                f"{self.observer_id} has no note {note_id} in this lesson", field="note_id"
            )
        if note["retracted"]:
            raise LifecycleError("that note was retracted; record a new one", field="note_id")
        return note

"""A recorded note as the views read it: one flat tuple, and how it crosses processes.

Notes are nearly all of a log. A rebuild that applies the views in a second process
(rebuild.apart) hands each note over as this tuple, packed as plain values, rather
than as the decoded event: cheaper to carry, and nothing to remake on the other side.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any, NamedTuple
from uuid import UUID

from lessonstudy.projections.base import LoggedEvent, Packing, stamp, uuid_from_bytes


class RecordedNote(NamedTuple):
    """What the catalogue reads of an ObservationLog.NoteRecorded, in one flat tuple.

    The catalogue's handler works from this, made from the event (recorded_note) or
    unpacked from what a rebuild applying the views in a second process handed over
    (NOTE_PACKING). Notes are nearly all of a log, and this crosses between processes
    at a fraction of the cost of the event itself (bench/README.md)."""

    position: int
    event_name: str
    originator_id: UUID  # the observation log's
    version: int
    note_id: str
    step_id: str | None
    subject_kind: str
    subject_code: str | None
    kind: str
    text: str
    response_ids: list[str] | None
    misconception_ids: list[str] | None
    unanticipated: bool
    recorded_at: str | None  # as stamp() writes it


def recorded_note(logged: LoggedEvent | RecordedNote) -> RecordedNote:
    if isinstance(logged, RecordedNote):  # unpacked in a rebuild's second process
        return logged
    return tuple.__new__(RecordedNote, _note_values(logged, logged.originator_id))


def _note_values(logged: LoggedEvent, originator: Any) -> tuple[Any, ...]:
    e = logged.event
    f: dict[str, Any] = e.fields
    at = e.recorded_at
    return (
        logged.position,
        logged.event_name,
        originator,
        logged.version,
        e.note_id,
        f["step_id"],
        f["subject_kind"],
        f.get("subject_code"),
        f["kind"],
        f["text"],
        f.get("response_ids"),
        f.get("misconception_ids"),
        bool(f.get("unanticipated")),
        # stamp(at), without its call for the log's UTC times
        at.isoformat(timespec="microseconds") if at is not None and at.tzinfo is UTC else stamp(at),
    )


def _pack_note(logged: LoggedEvent) -> tuple[Any, ...]:
    return _note_values(logged, logged.originator_id.bytes)  # marshal carries no UUID


def _unpack_note(values: tuple[Any, ...]) -> RecordedNote:
    return tuple.__new__(RecordedNote, (*values[:2], uuid_from_bytes(values[2]), *values[3:]))


NOTE_PACKING = Packing(pack=_pack_note, unpack=_unpack_note)

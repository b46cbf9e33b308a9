"""What changed in a teaching's notes, read from the event log itself.

A live client that was offline asks for everything after the last position it has.
Socket.IO keeps nothing for it (python-socketio has no connection-state recovery),
and the read models may lag behind the log, so the log is the replay: the note
events after that position, of this teaching's observation logs, in log order.
Each change carries the position it was stored at, which is what the client keeps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder, Mapper
from eventsourcing.utils import get_topic

from lessonstudy.domain.observation import ObservationLog

RECORDED, AMENDED, RETRACTED = "recorded", "amended", "retracted"

NOTE_TOPICS: dict[str, str] = {
    get_topic(ObservationLog.NoteRecorded): RECORDED,
    get_topic(ObservationLog.NoteAmended): AMENDED,  # type: ignore[attr-defined]
    get_topic(ObservationLog.NoteRetracted): RETRACTED,  # type: ignore[attr-defined]
}

# A scan reads note events of every teaching; past this many, the current notes
# (one read per observer) are cheaper than replaying the gap.
SCAN_LIMIT = 5000
SCAN_PAGE = 500


@dataclass(frozen=True)
class NoteChange:
    """One stored change to a note: recorded (the whole note), amended or retracted."""

    type: str
    position: int | None
    note_id: str
    observer_id: str
    at: dt.datetime
    note: dict[str, Any] | None = None
    changes: dict[str, Any] | None = None
    reason: str | None = None


@dataclass(frozen=True)
class CatchUp:
    """The changes after a position, up to head.

    With ``snapshot`` the changes are instead every note as it stands (retracted ones
    included, marked), each as a "recorded" change without a position: the client
    replaces what it holds. Head was read before the notes, so a change landing
    meanwhile may be in the snapshot and arrive again later; clients apply changes
    idempotently (by note id and position).
    """

    changes: list[NoteChange]
    head: int
    snapshot: bool


def note_of_event(event: Any, observer_id: str) -> dict[str, Any]:
    """A NoteRecorded event as the note it created (the shape ObservationLog keeps)."""
    return {
        "note_id": event.note_id,
        "observer_id": observer_id,
        "recorded_at": event.recorded_at,
        "offset_seconds": event.offset_seconds,
        "retracted": False,
        "amendments": 0,
        **event.fields,
    }


def change_of_event(kind: str, position: int | None, event: Any, observer_id: str) -> NoteChange:
    if kind == RECORDED:
        return NoteChange(
            RECORDED,
            position,
            event.note_id,
            observer_id,
            event.recorded_at,
            note=note_of_event(event, observer_id),
        )
    if kind == AMENDED:
        return NoteChange(
            AMENDED, position, event.note_id, observer_id, event.at, changes=dict(event.changes)
        )
    return NoteChange(
        RETRACTED, position, event.note_id, observer_id, event.at, reason=event.reason
    )


def note_as_change(note: Mapping[str, Any]) -> NoteChange:
    """A note as it stands, for a snapshot: a "recorded" change with no position."""
    body = {k: v for k, v in note.items() if k != "version"}
    return NoteChange(
        RECORDED, None, body["note_id"], body["observer_id"], body["recorded_at"], note=body
    )


def read_changes(
    recorder: ApplicationRecorder,
    mapper: Mapper[UUID],
    observers_by_log: Mapping[UUID, str],
    *,
    after: int,
    upto: int,
    limit: int | None = None,
) -> list[NoteChange] | None:
    """The note changes of these logs in (after, upto]; None if more than limit to scan."""
    limit = SCAN_LIMIT if limit is None else limit
    changes: list[NoteChange] = []
    start, scanned = after + 1, 0
    while start <= upto:
        page: Sequence[Any] = recorder.select_notifications(
            start=start, limit=SCAN_PAGE, stop=upto, topics=list(NOTE_TOPICS)
        )
        scanned += len(page)
        if scanned > limit:
            return None
        for notification in page:
            observer_id = observers_by_log.get(notification.originator_id)
            if observer_id is not None:
                event = mapper.to_domain_event(notification)
                changes.append(
                    change_of_event(
                        NOTE_TOPICS[notification.topic], notification.id, event, observer_id
                    )
                )
        if len(page) < SCAN_PAGE:
            break
        start = page[-1].id + 1
    return changes


def change_at(
    recorder: ApplicationRecorder,
    mapper: Mapper[UUID],
    log_id: UUID,
    observer_id: str,
    position: int,
) -> NoteChange | None:
    """The note change stored at position by this log, or None if that is something else."""
    found = recorder.select_notifications(start=position, limit=1, stop=position)
    if not found or found[0].originator_id != log_id or found[0].topic not in NOTE_TOPICS:
        return None
    event = mapper.to_domain_event(found[0])
    return change_of_event(NOTE_TOPICS[found[0].topic], position, event, observer_id)

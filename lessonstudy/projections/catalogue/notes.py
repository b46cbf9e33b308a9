"""The catalogue's handlers for teachings, notes and discussions (what was observed)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any
from uuid import UUID
from zlib import crc32

from sqlalchemy import Connection, select

from lessonstudy.projections.base import LoggedEvent, handles, stamp
from lessonstudy.projections.catalogue.facts import (
    DiscussedTeaching,
    TaughtLesson,
    log_key,
    note_key,
)
from lessonstudy.projections.catalogue.plans import CatalogueState
from lessonstudy.projections.catalogue.tables import LINK_ROW
from lessonstudy.projections.recorded_note import RecordedNote, recorded_note
from lessonstudy.projections.row_buffer import Row

LIST_FIELDS = ("response_ids", "misconception_ids")
NOTE_COLUMNS = ("step_id", "subject_kind", "subject_code", "kind", "text", "unanticipated")


class NoteHandlers(CatalogueState):
    # --- teachings -----------------------------------------------------------------

    @handles("Teaching.Scheduled")
    def _scheduled(self, db: Connection, e: LoggedEvent) -> None:
        """Fix each anticipated response as the plan stood: notes match these."""
        teaching_id, lesson_id = str(e.originator_id), e.lesson_id
        task_id = self.task_of(db, lesson_id)
        stored = lesson_id not in self.batch.new_lessons
        responses = self.batch.responses.load_where(db, "lesson_id", lesson_id, stored=stored)
        current = {r["response_id"]: r for r in responses}
        taught: list[dict[str, Any]] = []
        for step_id, response_ids in e.responses_by_step.items():
            for response_id in response_ids:
                response = self.must(current.get(response_id), f"response {response_id}")
                taught.append(
                    {"teaching_id": teaching_id, "response_id": response_id, "seq": len(taught)}
                    | {"step_id": step_id}
                    | {k: response[k] for k in ("kind", "text", "misconception_id")}
                )
        self.batch.taught.set(teaching_id, taught, stored=False)
        self.batch.teachings.add(
            {
                "teaching_id": teaching_id,
                "lesson_id": lesson_id,
                "task_id": task_id,
                "plan_version": e.plan_version,
                "status": "scheduled",
                "scheduled_at": stamp(e.timestamp),
                "started_at": None,
                "ended_at": None,
            }
        )
        links = {r["response_id"]: r["misconception_id"] for r in taught}
        self.facts.teachings.put(teaching_id, TaughtLesson(teaching_id, lesson_id, task_id, links))

    @handles("Teaching.Started", "Teaching.Ended")
    def _clock(self, db: Connection, e: LoggedEvent) -> None:
        teaching_id = str(e.originator_id)
        teaching = self.must(self.batch.teachings.get(db, teaching_id), f"teaching {teaching_id}")
        if e.event_name.endswith("Started"):
            teaching.update(status="started", started_at=stamp(e.at))
        else:
            teaching.update(status="ended", ended_at=stamp(e.at))
        self.batch.teachings.changed(teaching)

    def taught(self, db: Connection, teaching_id: str) -> TaughtLesson:
        found = self.facts.teachings.get(teaching_id)
        if found is not None:
            return found
        teaching = self.must(self.batch.teachings.get(db, teaching_id), f"teaching {teaching_id}")
        rows = self.batch.taught.get(teaching_id)
        if rows is None:
            t = self.t.taught
            query = select(t).where(t.c.teaching_id == teaching_id)
            rows = [dict(r) for r in db.execute(query).mappings()]
        links = {r["response_id"]: r["misconception_id"] for r in rows}
        found = TaughtLesson(teaching_id, teaching["lesson_id"], teaching["task_id"], links)
        self.facts.teachings.put(teaching_id, found)
        return found

    # --- notes ---------------------------------------------------------------------

    @handles("ObservationLog.Opened")
    def _log_opened(self, db: Connection, e: LoggedEvent) -> None:
        log_id = str(e.originator_id)
        self.batch.logs.add({"log_id": log_id, "teaching_id": e.teaching_id})
        self.facts.logs.put(e.originator_id, (log_id, e.teaching_id, log_key(log_id)))

    @handles("ObservationLog.NoteRecorded")
    def _note_recorded(self, db: Connection, logged: LoggedEvent | RecordedNote) -> None:
        # A rebuild's hottest path (a million calls): tuples and local names only.
        note = recorded_note(logged)
        (position, _, log_uuid, _, note_id, step_id, subject_kind, code, kind, text,
         response_ids, misconception_ids, unanticipated, recorded_at) = note  # fmt: skip
        log_id, teaching_id, high = self.facts.logs.get(log_uuid) or self._log(db, log_uuid)
        teaching = self.facts.teachings.get(teaching_id) or self.taught(db, teaching_id)
        # The row is a tuple in NOTE_ROW's order, its links in LINK_ROW's: see
        # row_buffer.KeyedRows.append.
        batch = self.batch
        batch.notes.append(
            (position,),
            (
                position,
                high | crc32(note_id.encode()),
                log_id,
                note_id,
                teaching_id,
                step_id,
                subject_kind,
                code,
                kind,
                text,
                _json_list(response_ids) if response_ids else "[]",
                _json_list(misconception_ids) if misconception_ids else "[]",
                unanticipated,
                recorded_at,
                False,
            ),
        )
        batch.note_index[(log_id, note_id)] = position
        if response_ids or misconception_ids:  # about half the notes match or tag nothing
            student = f"{teaching_id}:{code}" if code and subject_kind == "seat" else None
            tags = _link_rows(
                position, recorded_at, student, teaching, response_ids, misconception_ids
            )
            batch.links.append(position, tags)
            if batch.track_touched:
                batch.touch(*(link[5] for link in tags))

    @handles("ObservationLog.NoteAmended", "ObservationLog.NoteRetracted")
    def _note_changed(self, db: Connection, e: LoggedEvent) -> None:
        note = self._note(db, str(e.originator_id), e.note_id)
        teaching = self.taught(db, note["teaching_id"])
        if self.batch.track_touched:  # a rebuild counts everything at the end instead
            self.batch.touch(*self._tags(note, teaching))
        if e.event_name.endswith("NoteRetracted"):
            note["retracted"] = True
        else:
            for name, value in e.changes.items():
                if name in LIST_FIELDS:
                    note[name] = _json_list(value)
                elif name in NOTE_COLUMNS:
                    note[name] = bool(value) if name == "unanticipated" else value
        self.batch.notes.changed(note)
        self._relink(note, teaching, stored=True)

    def _relink(self, note: Row, teaching: TaughtLesson, *, stored: bool) -> None:
        """A note's links as it now stands: none once retracted."""
        tags = [] if note["retracted"] else _stored_links(note, teaching)
        self.batch.links.set(note["note_pos"], tags, stored=stored)
        if self.batch.track_touched:
            self.batch.touch(*(link["misconception_id"] for link in tags))

    def _tags(self, note: Row, teaching: TaughtLesson) -> list[str | None]:
        if note["retracted"]:
            return []
        return [link["misconception_id"] for link in _stored_links(note, teaching)]

    def _log(self, db: Connection, log_uuid: UUID) -> tuple[str, str, int]:
        """An observation log's id as text, its teaching's id, its notes' key prefix."""
        found = self.facts.logs.get(log_uuid)
        if found is None:
            log_id = str(log_uuid)
            log = self.must(self.batch.logs.get(db, log_id), f"observation log {log_id}")
            found = (log_id, str(log["teaching_id"]), log_key(log_id))
            self.facts.logs.put(log_uuid, found)
        return found

    def _note(self, db: Connection, log_id: str, note_id: str) -> Row:
        notes = self.batch.notes
        position = self.batch.note_index.get((log_id, note_id))
        if position is None:
            c = notes.table.c
            found = (
                db.execute(
                    select(notes.table).where(
                        (c.note_key == note_key(log_id, note_id))
                        & (c.log_id == log_id)
                        & (c.note_id == note_id)
                    )
                )
                .mappings()
                .first()
            )
            note = self.must(dict(found) if found else None, f"note {note_id} in log {log_id}")
            notes.adopt(note)
            position = note["note_pos"]
            self.batch.note_index[(log_id, note_id)] = position
        return self.must(notes.get(db, position), f"note {note_id}")

    # --- discussions ---------------------------------------------------------------

    @handles("Discussion.Opened")
    def _discussion_opened(self, db: Connection, e: LoggedEvent) -> None:
        discussed = DiscussedTeaching(e.teaching_id, e.lesson_id, self.task_of(db, e.lesson_id))
        discussion_id = str(e.originator_id)
        self.batch.discussions.add({"discussion_id": discussion_id, **vars(discussed)})
        self.facts.discussions.put(discussion_id, discussed)

    @handles("Discussion.MisconceptionConfirmed")
    def _confirmed(self, db: Connection, e: LoggedEvent) -> None:
        discussion_id = str(e.originator_id)
        discussed = self.facts.discussions.get(discussion_id)
        if discussed is None:
            row = self.batch.discussions.get(db, discussion_id)
            row = self.must(row, f"discussion {discussion_id}")
            discussed = DiscussedTeaching(row["teaching_id"], row["lesson_id"], row["task_id"])
        self.batch.confirmations.put(
            {
                "discussion_id": discussion_id,
                "misconception_id": e.misconception_id,
                **vars(discussed),
                "note_ids": json.dumps(e.note_ids),
                "helpful": e.helpful_responses,
                "confirmed_at": stamp(e.timestamp),
            }
        )
        self.batch.touch(e.misconception_id)


def _json_list(value: list[str] | None) -> str:
    """JSON for a list of ids; plain ids (nearly all) skip the json module, 10x faster."""
    if not value:
        return "[]"
    joined = '","'.join(value)
    # Every id is printable with no quote or backslash (checked on the joined text in
    # one pass: its only quotes are then the separators').
    if joined.isprintable() and "\\" not in joined and joined.count('"') == 2 * len(value) - 2:
        return f'["{joined}"]'
    return json.dumps(value)


def _ids(stored: str) -> list[str]:
    ids: list[str] = json.loads(stored) if stored != "[]" else []
    return ids


def _stored_links(note: Row, teaching: TaughtLesson) -> list[Row]:
    return _links(note, teaching, _ids(note["response_ids"]), _ids(note["misconception_ids"]))


def _links(
    note: Row,
    teaching: TaughtLesson,
    response_ids: Iterable[str],
    misconception_ids: Iterable[str],
) -> list[Row]:
    """A stored note's links, as dicts (see _link_rows)."""
    code = note["subject_code"]
    student = f"{teaching.teaching_id}:{code}" if code and note["subject_kind"] == "seat" else None
    rows = _link_rows(
        note["note_pos"], note["recorded_at"], student, teaching, response_ids, misconception_ids
    )
    return [dict(zip(LINK_ROW, row, strict=True)) for row in rows]


def _link_rows(
    position: int,
    recorded_at: str | None,
    student: str | None,
    teaching: TaughtLesson,
    response_ids: Iterable[str] | None,
    misconception_ids: Iterable[str] | None,
) -> list[tuple[Any, ...]]:
    """What a note counts for, as tuples in LINK_ROW's order: each response it matched
    (and the misconception that response linked when taught), and each misconception
    it was tagged with."""
    teaching_id, task_id, links = teaching.teaching_id, teaching.task_id, teaching.responses
    rows: list[tuple[Any, ...]] = [
        (position, seq, teaching_id, task_id, r, links.get(r), student, recorded_at)
        for seq, r in enumerate(response_ids or ())
    ]
    if misconception_ids:
        rows += [
            (position, seq, teaching_id, task_id, None, m, student, recorded_at)
            for seq, m in enumerate(misconception_ids, len(rows))
        ]
    return rows

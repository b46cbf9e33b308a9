"""The catalogue's handlers for teachings, notes and discussions (what was observed)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, select

from lessonstudy.projections.base import LoggedEvent, handles
from lessonstudy.projections.catalogue_buffer import Row
from lessonstudy.projections.catalogue_facts import DiscussedTeaching, TaughtLesson, note_key
from lessonstudy.projections.catalogue_plans import CatalogueState
from lessonstudy.projections.catalogue_tables import stamp

LIST_FIELDS = ("response_ids", "misconception_ids")
NOTE_COLUMNS = ("step_id", "subject_kind", "subject_code", "kind", "text", "unanticipated")


class NoteHandlers(CatalogueState):
    # --- teachings -----------------------------------------------------------------

    @handles("Teaching.Scheduled")
    def _scheduled(self, db: Connection, e: LoggedEvent) -> None:
        """Fix each anticipated response as the plan stood: notes match these."""
        teaching_id, lesson_id = str(e.originator_id), e.lesson_id
        task_id = self.task_of(db, lesson_id)
        current = {
            r["response_id"]: r for r in self.batch.responses.load_where(db, "lesson_id", lesson_id)
        }
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
            rows = [dict(r) for r in db.execute(select(t).where(t.c.teaching_id == teaching_id))]
        links = {r["response_id"]: r["misconception_id"] for r in rows}
        found = TaughtLesson(teaching_id, teaching["lesson_id"], teaching["task_id"], links)
        self.facts.teachings.put(teaching_id, found)
        return found

    # --- notes ---------------------------------------------------------------------

    @handles("ObservationLog.Opened")
    def _log_opened(self, db: Connection, e: LoggedEvent) -> None:
        log_id = str(e.originator_id)
        self.batch.logs.add({"log_id": log_id, "teaching_id": e.teaching_id})
        self.facts.logs.put(log_id, e.teaching_id)

    @handles("ObservationLog.NoteRecorded")
    def _note_recorded(self, db: Connection, e: LoggedEvent) -> None:
        log_id = str(e.originator_id)
        teaching = self.taught(db, self._teaching_of(db, log_id))
        f: dict[str, Any] = e.fields
        note = {
            "note_pos": e.position,
            "note_key": note_key(log_id, e.note_id),
            "log_id": log_id,
            "note_id": e.note_id,
            "teaching_id": teaching.teaching_id,
            **{name: f.get(name) for name in NOTE_COLUMNS},
            "response_ids": json.dumps(f.get("response_ids", [])),
            "misconception_ids": json.dumps(f.get("misconception_ids", [])),
            "recorded_at": stamp(e.recorded_at),
            "retracted": False,
        }
        note["unanticipated"] = bool(note["unanticipated"])
        self.batch.notes.add(note)
        self.batch.note_index[(log_id, e.note_id)] = e.position
        self._relink(note, teaching, stored=False)

    @handles("ObservationLog.NoteAmended", "ObservationLog.NoteRetracted")
    def _note_changed(self, db: Connection, e: LoggedEvent) -> None:
        note = self._note(db, str(e.originator_id), e.note_id)
        teaching = self.taught(db, note["teaching_id"])
        self.batch.touch(*self._tags(note, teaching))
        if e.event_name.endswith("NoteRetracted"):
            note["retracted"] = True
        else:
            for name, value in e.changes.items():
                if name in LIST_FIELDS:
                    note[name] = json.dumps(value)
                elif name in NOTE_COLUMNS:
                    note[name] = bool(value) if name == "unanticipated" else value
        self.batch.notes.changed(note)
        self._relink(note, teaching, stored=True)

    def _relink(self, note: Row, teaching: TaughtLesson, *, stored: bool) -> None:
        """A note's links as it now stands: none once retracted."""
        tags = [] if note["retracted"] else self._links(note, teaching)
        self.batch.links.set(note["note_pos"], tags, stored=stored)
        self.batch.touch(*(link["misconception_id"] for link in tags))

    def _links(self, note: Row, teaching: TaughtLesson) -> list[Row]:
        code = note["subject_code"]
        base = {
            "note_pos": note["note_pos"],
            "teaching_id": teaching.teaching_id,
            "task_id": teaching.task_id,
            "student": f"{teaching.teaching_id}:{code}"
            if note["subject_kind"] == "seat" and code
            else None,
            "recorded_at": note["recorded_at"],
        }
        pairs = [(r, teaching.responses.get(r)) for r in json.loads(note["response_ids"])]
        pairs += [(None, m) for m in json.loads(note["misconception_ids"])]
        return [
            {**base, "seq": seq, "response_id": response_id, "misconception_id": misconception_id}
            for seq, (response_id, misconception_id) in enumerate(pairs)
        ]

    def _tags(self, note: Row, teaching: TaughtLesson) -> list[str | None]:
        if note["retracted"]:
            return []
        return [link["misconception_id"] for link in self._links(note, teaching)]

    def _teaching_of(self, db: Connection, log_id: str) -> str:
        teaching_id = self.facts.logs.get(log_id)
        if teaching_id is None:
            log = self.must(self.batch.logs.get(db, log_id), f"observation log {log_id}")
            teaching_id = str(log["teaching_id"])
            self.facts.logs.put(log_id, teaching_id)
        return teaching_id

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
        return self.must(notes.rows.get((position,)), f"note {note_id}")

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

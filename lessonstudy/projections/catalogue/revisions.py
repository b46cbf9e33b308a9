"""The catalogue's handlers for revisions: the team's accepted change of teaching.

A revision proposed in a discussion concerns an entry when one of its changes touches
an anticipated response linked to it (it anticipates a response linking the entry, or
changes a step whose responses, as taught, link it) or when a note it cites is tagged
with it (directly, or by matching a response that linked it when taught). Which
entries it concerns is fixed when it is proposed, from the notes as they then stood:
that is the evidence the team looked at, and a revision's changes and citations never
change afterwards. The catalogue shows it once accepted (``RevisionDecided``), with its
summary and the new teacher support its changes set, at once and not only when the
next cycle's plan is made; a revision rejected again leaves it.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, select

from lessonstudy.projections.base import LoggedEvent, handles, stamp
from lessonstudy.projections.catalogue.facts import DiscussedTeaching
from lessonstudy.projections.catalogue.notes import NoteHandlers


class RevisionHandlers(NoteHandlers):
    @handles("Discussion.RevisionProposed")
    def _revision_proposed(self, db: Connection, e: LoggedEvent) -> None:
        discussion_id = str(e.originator_id)
        discussed = self._discussed(db, discussion_id)
        concerned = self._answered_by_changes(db, discussed.teaching_id, e.changes)
        concerned |= self._tagged_in(db, discussed.teaching_id, set(e.note_ids))
        row = {
            "discussion_id": discussion_id,
            "revision_id": e.revision_id,
            **vars(discussed),
            "summary": e.summary,
            "teacher_support": json.dumps(new_support(e.changes), ensure_ascii=False),
            "status": "proposed",
            "proposed_at": stamp(e.timestamp),
            "decided_at": None,
        }
        for misconception_id in sorted(concerned):
            self.batch.revisions.put({**row, "misconception_id": misconception_id})

    @handles("Discussion.RevisionDecided")
    def _revision_decided(self, db: Connection, e: LoggedEvent) -> None:
        rows = self.batch.revisions.load_where(db, "discussion_id", str(e.originator_id))
        for row in rows:
            if row["revision_id"] == e.revision_id:
                row.update(status=e.status, decided_at=stamp(e.timestamp))
                self.batch.revisions.changed(row)

    def _discussed(self, db: Connection, discussion_id: str) -> DiscussedTeaching:
        found = self.facts.discussions.get(discussion_id)
        if found is None:
            row = self.must(self.batch.discussions.get(db, discussion_id), "discussion")
            found = DiscussedTeaching(row["teaching_id"], row["lesson_id"], row["task_id"])
        return found

    def _answered_by_changes(
        self, db: Connection, teaching_id: str, changes: list[dict[str, Any]]
    ) -> set[str]:
        """Entries whose anticipated response a change makes or whose step it changes."""
        found = {
            c["misconception_id"]
            for c in changes
            if c["op"] == "anticipate_response" and c.get("misconception_id")
        }
        steps = {c["step_id"] for c in changes if c["op"] == "change_step"}
        if steps:
            rows = self.batch.taught.get(teaching_id)
            if rows is None:
                t = self.t.taught
                query = select(t).where(t.c.teaching_id == teaching_id)
                rows = [dict(r) for r in db.execute(query).mappings()]
            found |= {
                r["misconception_id"]
                for r in rows
                if r["step_id"] in steps and r["misconception_id"]
            }
        return found

    def _tagged_in(self, db: Connection, teaching_id: str, note_ids: set[str]) -> set[str]:
        """Entries the cited live notes count for."""
        teaching = self.taught(db, teaching_id)
        notes = self.batch.notes.load_where(db, "teaching_id", teaching_id)
        return {
            tag
            for note in notes
            if note["note_id"] in note_ids
            for tag in self._tags(note, teaching)
            if tag
        }


def new_support(changes: list[dict[str, Any]]) -> list[str]:
    """The teacher support a revision's changes set, in their order."""
    found: list[str] = []
    for change in changes:
        if change["op"] == "change_step" and change["field"] == "teacher_support":
            found.append(str(change["value"]))
        elif change["op"] == "add_step" and change["fields"].get("teacher_support"):
            found.append(str(change["fields"]["teacher_support"]))
    return [text for text in dict.fromkeys(found) if text.strip()]

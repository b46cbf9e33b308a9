"""Everything one batch of events changes in the catalogue, and writing it in one go."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Connection, select

import lessonstudy.projections.catalogue.search as search
from lessonstudy.projections.catalogue.tables import CatalogueTables
from lessonstudy.projections.row_buffer import GroupedRows, KeyedRows, Row


@dataclass
class Batch:
    t: CatalogueTables
    tasks: KeyedRows = field(init=False)
    entries: KeyedRows = field(init=False)
    hidden: KeyedRows = field(init=False)
    lessons: KeyedRows = field(init=False)
    steps: KeyedRows = field(init=False)
    responses: KeyedRows = field(init=False)
    teachings: KeyedRows = field(init=False)
    taught: GroupedRows = field(init=False)
    logs: KeyedRows = field(init=False)
    notes: KeyedRows = field(init=False)
    links: GroupedRows = field(init=False)
    discussions: KeyedRows = field(init=False)
    confirmations: KeyedRows = field(init=False)
    revisions: KeyedRows = field(init=False)
    docs: KeyedRows = field(init=False)
    # Lessons planned in this batch: the tables hold nothing of theirs yet.
    new_lessons: set[str] = field(default_factory=set)
    # (log_id, note_id) -> note_pos for the notes this batch has read or recorded.
    note_index: dict[tuple[str, str], int] = field(default_factory=dict)
    # Raw misconception ids whose numbers this batch may have changed.
    touched: set[str] = field(default_factory=set)
    # Merges, in order: every entry counting for the first now counts for the second.
    reroots: list[tuple[str, str]] = field(default_factory=list)
    # Root entries whose search document must be made again from their entries, and
    # the documents of entries merged away.
    redocument: set[str] = field(default_factory=set)
    unindexed: list[int] = field(default_factory=list)
    # Off in a rebuild, which computes every entry's numbers once at the end.
    track_touched: bool = True

    def __post_init__(self) -> None:
        t = self.t
        for name in ("tasks", "entries", "hidden", "lessons", "steps", "responses"):
            setattr(self, name, KeyedRows(getattr(t, name)))
        for name in ("teachings", "logs", "notes", "discussions", "confirmations", "revisions"):
            setattr(self, name, KeyedRows(getattr(t, name)))
        self.docs = KeyedRows(t.docs)
        self.taught = GroupedRows(t.taught, "teaching_id")
        self.links = GroupedRows(t.links, "note_pos")

    def buffers(self) -> list[KeyedRows | GroupedRows]:
        return [
            self.tasks,
            self.entries,
            self.hidden,
            self.lessons,
            self.steps,
            self.responses,
            self.teachings,
            self.taught,
            self.logs,
            self.notes,
            self.links,
            self.discussions,
            self.confirmations,
            self.revisions,
            self.docs,
        ]

    def touch(self, *misconception_ids: str | None) -> None:
        if self.track_touched:
            self.touched.update(m for m in misconception_ids if m)

    def reroot(self, old_root: str, new_root: str) -> None:
        for row in self.entries.cached():
            if row["root_id"] == old_root:
                row["root_id"] = new_root
        self.reroots.append((old_root, new_root))

    def write(self, db: Connection, document: Callable[[Row], str]) -> None:
        self.entries.flush(db)
        entries = self.t.entries
        for old_root, new_root in self.reroots:
            db.execute(
                entries.update().where(entries.c.root_id == old_root).values(root_id=new_root)
            )
        self._redocument(db, document)
        search.sync(db, self.t.docs, self._doc_changes())
        for buffer in self.buffers():
            buffer.flush(db)

    def clear(self) -> None:
        for buffer in self.buffers():
            buffer.clear()
        self.note_index.clear()
        self.new_lessons.clear()
        self.touched.clear()
        self.reroots.clear()
        self.redocument.clear()
        self.unindexed.clear()

    def _redocument(self, db: Connection, document: Callable[[Row], str]) -> None:
        """One document per root entry: the words of every entry that counts for it."""
        e = self.t.entries.c
        for root in sorted(self.redocument):
            members = db.execute(
                select(self.t.entries).where(e.root_id == root).order_by(e.catalogued_at)
            ).mappings()
            words = " ".join(document(dict(m)) for m in members)
            doc = self.docs.get(db, root)
            if doc is not None:
                doc["document"] = words
                self.docs.changed(doc)

    def _doc_changes(self) -> list[tuple[int, str | None, bool]]:
        docs = self.docs
        changes: list[tuple[int, str | None, bool]] = [(d, None, True) for d in self.unindexed]
        for key in docs.dirty:
            row: Row | None = docs.rows[key]
            if row is not None:
                changes.append((row["doc_id"], row["document"], key in docs.stored))
        return changes

"""The misconception picker's index: every catalogue entry, searchable by its words.

A planner anticipating a response types a few words and picks the entry it names;
the entries the task already has come first, and entries merged into another are
left out (the picker offers the entry they point at instead).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Column, Connection, Engine, MetaData, String, Table, Text, case, select

from lessonstudy.projections.base import LoggedEvent, Projection, handles
from lessonstudy.projections.row_buffer import insert_many

ID = String(36)


class MisconceptionIndex(Projection):
    name = "misconception_index"
    rebuilt_apart = True  # with the catalogue: see rebuild.apart

    def define_tables(self, metadata: MetaData, prefix: str) -> None:
        self.entries = Table(
            f"{prefix}misconception_index",
            metadata,
            Column("id", ID, primary_key=True),
            Column("statement", Text, nullable=False),
            Column("task_id", ID, nullable=True, index=True),
            Column("topic", Text, nullable=False),
            Column("subject", Text, nullable=False),
            Column("source", String(20), nullable=False),
            Column("merged_into", ID, nullable=True),
            # Folded by Python, not by SQL: SQLite's lower() knows only ASCII, so
            # "Élève" would not be found by "élève" on the embedded default.
            Column("folded", Text, nullable=False),
        )

    @handles("Misconception.Catalogued")
    def _catalogued(self, db: Connection, e: LoggedEvent) -> None:
        insert_many(db, self.entries, [self._row(e)])

    def _row(self, e: LoggedEvent) -> dict[str, Any]:
        return {
            "id": str(e.originator_id),
            "statement": e.statement,
            "task_id": e.task_id,
            "topic": e.topic,
            "subject": e.subject,
            "source": e.source,
            "merged_into": None,
            "folded": e.statement.casefold(),
        }

    def apply(self, connection: Connection, events: Iterable[LoggedEvent]) -> None:
        # A rebuild hands over thousands of events at once: new entries are inserted
        # together, before any later event of the batch changes one of them.
        new: list[dict[str, Any]] = []
        for logged in events:
            if logged.event_name == "Misconception.Catalogued":
                new.append(self._row(logged))
                continue
            insert_many(connection, self.entries, new)
            new.clear()
            super().apply(connection, [logged])
        insert_many(connection, self.entries, new)

    @handles("Misconception.StatementEdited")
    def _edited(self, db: Connection, e: LoggedEvent) -> None:
        self._update(db, e, statement=e.statement, folded=e.statement.casefold())

    @handles("Misconception.MergedInto")
    def _merged(self, db: Connection, e: LoggedEvent) -> None:
        self._update(db, e, merged_into=e.target_id)

    def _update(self, db: Connection, e: LoggedEvent, **values: Any) -> None:
        db.execute(
            self.entries.update().where(self.entries.c.id == str(e.originator_id)).values(**values)
        )


class MisconceptionSearch:
    """Read-only questions the picker asks of the index."""

    def __init__(self, engine: Engine, index: MisconceptionIndex) -> None:
        self.engine = engine
        self.index = index

    def search(
        self, *, text: str = "", task_id: str | None = None, limit: int = 20
    ) -> list[dict[str, Any]]:
        """Entries whose statement contains text (any case); the task's own first."""
        c = self.index.entries.c
        query = select(c.id, c.statement, c.task_id, c.topic, c.subject, c.source).where(
            c.merged_into.is_(None)
        )
        if text:
            # autoescape: a typed "%" or "_" is a character to find, not a wildcard.
            query = query.where(c.folded.contains(text.casefold(), autoescape=True))
        own_first = case((c.task_id == task_id, 0), else_=1) if task_id else None
        order = [c.statement, c.id] if own_first is None else [own_first, c.statement, c.id]
        with self.engine.connect() as db:
            rows = db.execute(query.order_by(*order).limit(limit))
            return [dict(row._mapping) for row in rows]

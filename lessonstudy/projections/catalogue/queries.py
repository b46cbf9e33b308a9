"""Read-only questions the catalogue's pages, API and exports ask of its tables.

Browsing filters by subject, grade, topic and task; ``q`` adds a full-text search
(search). The most observed come first: what students actually did is what
teachers most need to know before teaching the task.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Select, func, or_, select

import lessonstudy.projections.catalogue.search as search
from lessonstudy.projections.catalogue.cards import QUOTE_KINDS, Cards, stats_rows
from lessonstudy.projections.catalogue.projection import Catalogue
from lessonstudy.projections.catalogue.tables import ALL_TASKS, CatalogueTables

EXPORT_CHUNK = 500


@dataclass(frozen=True)
class Filters:
    q: str = ""
    subject: str | None = None
    grade: str | None = None
    topic: str | None = None
    task_id: str | None = None


class CatalogueQueries:
    def __init__(self, engine: Engine, catalogue: Catalogue) -> None:
        self.engine = engine
        self.t: CatalogueTables = catalogue.t
        self.cards = Cards(self.t)

    # --- browsing ------------------------------------------------------------------

    def facets(self) -> dict[str, list[dict[str, Any]]]:
        """The subjects, grades and topics to browse by, with how many tasks each has."""
        k = self.t.tasks.c
        with self.engine.connect() as db:
            return {
                name: [
                    {"value": value, "tasks": count}
                    for value, count in db.execute(
                        select(k[name], func.count()).group_by(k[name]).order_by(k[name])
                    )
                ]
                for name in ("subject", "grade", "topic")
            }

    def tasks(self, filters: Filters, *, limit: int = 50, offset: int = 0) -> dict[str, Any]:
        k, s = self.t.tasks.c, self.t.stats.c
        numbers = (
            select(
                s.task_id,
                func.count().label("misconceptions"),
                func.sum(s.observed).label("observed"),
                func.sum(s.confirmed).label("confirmed"),
            )
            .where(s.task_id != ALL_TASKS)
            .group_by(s.task_id)
            .subquery("numbers")
        )
        query = select(
            self.t.tasks,
            func.coalesce(numbers.c.misconceptions, 0).label("misconceptions"),
            func.coalesce(numbers.c.observed, 0).label("observed"),
            func.coalesce(numbers.c.confirmed, 0).label("confirmed"),
        ).join(numbers, numbers.c.task_id == k.task_id, isouter=True)
        for name in ("subject", "grade", "topic", "task_id"):
            value = getattr(filters, name)
            if value:
                query = query.where(k[name] == value)
        with self.engine.connect() as db:
            total = db.execute(select(func.count()).select_from(query.subquery())).scalar_one()
            page = query.order_by(k.topic, k.statement, k.task_id).limit(limit).offset(offset)
            return {"total": total, "items": [dict(row._mapping) for row in db.execute(page)]}

    def task_page(self, task_id: str, *, quotes: int = 5) -> dict[str, Any] | None:
        """A task and its misconceptions ranked, each with its numbers, quotes and help."""
        k, s = self.t.tasks.c, self.t.stats.c
        with self.engine.connect() as db:
            task = db.execute(select(self.t.tasks).where(k.task_id == task_id)).mappings().first()
            if task is None:
                return None
            ranked = db.execute(_ranked(select(self.t.stats).where(s.task_id == task_id), self.t))
            found = self.cards.build(db, list(ranked), task_id=task_id, quotes=quotes)
        return {"task": dict(task), "misconceptions": found}

    def misconceptions(
        self, filters: Filters, *, limit: int = 20, offset: int = 0, detail: bool = False
    ) -> dict[str, Any]:
        """Entries matching the filters (numbers within filters.task_id, if given); with
        detail, each with two quotes, the helpful responses and its lessons."""
        with self.engine.connect() as db:
            rows, total = self._select(db, filters, limit=limit, offset=offset)
            found = self.cards.build(
                db, rows, task_id=filters.task_id, quotes=2, detail=detail, examples=False
            )
        return {"total": total, "items": found}

    def misconception(self, misconception_id: str, *, quotes: int = 20) -> dict[str, Any] | None:
        """An entry (or the entry it was merged into) over all tasks, and per task."""
        e, s, k = self.t.entries.c, self.t.stats.c, self.t.tasks.c
        with self.engine.connect() as db:
            entry = db.execute(
                select(e.root_id).where(e.misconception_id == misconception_id)
            ).first()
            if entry is None:
                return None
            root = entry.root_id
            found = self.cards.build(
                db, stats_rows(db, self.t, [root], ALL_TASKS), task_id=None, quotes=quotes
            )
            if not found:
                return None
            card = found[0]
            per_task = db.execute(
                select(
                    self.t.stats, k.statement.label("task_statement"), k.subject, k.grade, k.topic
                )
                .join(self.t.tasks, k.task_id == s.task_id)
                .where(s.misconception_id == root, s.task_id != ALL_TASKS)
                .order_by(s.observed.desc(), s.task_id)
            )
            card["tasks"] = [dict(row._mapping) for row in per_task]
        card["requested_id"] = misconception_id
        return card

    def quotes_note(self, misconception_id: str, note_id: str) -> bool:
        """Whether the entry may quote the note: a student note linked to it, to the
        entry it was merged into, or to one merged into either. Hidden ones count."""
        e, links, n = self.t.entries.c, self.t.links.c, self.t.notes.c
        root = select(e.root_id).where(e.misconception_id == misconception_id).scalar_subquery()
        query = (
            select(n.note_pos)
            .select_from(self.t.links)
            .join(self.t.entries, e.misconception_id == links.misconception_id)
            .join(self.t.notes, n.note_pos == links.note_pos)
            .where(e.root_id == root, n.note_id == note_id, n.kind.in_(QUOTE_KINDS))
            .limit(1)
        )
        with self.engine.connect() as db:
            return db.execute(query).first() is not None

    # --- exports -------------------------------------------------------------------

    def export(self, filters: Filters, *, quotes: int = 3) -> Iterator[dict[str, Any]]:
        """Every matching entry as a full card, read in chunks (for CSV and JSON files)."""
        offset = 0
        while True:
            with self.engine.connect() as db:
                rows, _ = self._select(db, filters, limit=EXPORT_CHUNK, offset=offset, count=False)
                chunk = self.cards.build(db, rows, task_id=filters.task_id, quotes=quotes)
            yield from chunk
            if len(rows) < EXPORT_CHUNK:
                return
            offset += EXPORT_CHUNK

    # --- the shared selection ------------------------------------------------------

    def _select(
        self, db: Connection, f: Filters, *, limit: int, offset: int, count: bool = True
    ) -> tuple[list[Any], int]:
        """Stats rows of the matching root entries: most observed first, or with q the
        newest entry first (see search); and how many match in all."""
        s, k = self.t.stats.c, self.t.tasks.c
        query = select(self.t.stats).where(s.task_id == (f.task_id or ALL_TASKS))
        filtered = bool(f.task_id)
        for name in ("subject", "topic"):
            value = getattr(f, name)
            if value:
                in_tasks = s.misconception_id.in_(_in_tasks(self.t, k[name] == value))
                query = query.where(or_(_entry(self.t, name, value), in_tasks))
                filtered = True
        if f.grade:
            query = query.where(s.misconception_id.in_(_in_tasks(self.t, k.grade == f.grade)))
            filtered = True
        terms = search.query_terms(f.q)
        if not terms:
            if f.q.strip():  # only punctuation: nothing to look for
                return [], 0
            total = _count(db, query, {}) if count else 0
            return list(db.execute(_ranked(query, self.t).limit(limit).offset(offset))), total
        params = {"q": search.match_parameter(db.dialect.name, terms)}
        hits = search.hits(db.dialect.name, self.t.docs)
        query = query.join(hits, hits.c.misconception_id == s.misconception_id)
        total = 0
        if count:
            total = (
                _count(db, query, params)
                if filtered
                else search.count_hits(db, self.t.docs, params["q"])
            )
        page = query.order_by(hits.c.doc_id.desc()).limit(limit).offset(offset)
        return list(db.execute(page, params)), total


def _count(db: Connection, query: Select[Any], params: dict[str, Any]) -> int:
    counted: int = db.execute(
        select(func.count()).select_from(query.subquery()), params
    ).scalar_one()
    return counted


def _entry(t: CatalogueTables, column: str, value: str) -> Any:
    """The root entry itself is filed under value."""
    e = t.entries.c
    return t.stats.c.misconception_id.in_(select(e.misconception_id).where(e[column] == value))


def _ranked(query: Select[Any], t: CatalogueTables) -> Select[Any]:
    s = t.stats.c
    return query.order_by(
        s.observed.desc(),
        s.confirmed.desc(),
        s.students.desc(),
        s.anticipated.desc(),
        s.first_seen,
        s.misconception_id,
    )


def _in_tasks(t: CatalogueTables, condition: Any) -> Select[Any]:
    s, k = t.stats.c, t.tasks.c
    return select(s.misconception_id).join(t.tasks, k.task_id == s.task_id).where(condition)

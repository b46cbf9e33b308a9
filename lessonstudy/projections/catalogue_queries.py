"""Read-only questions the catalogue's pages, API and exports ask of its tables.

Browsing filters by subject, grade, topic and task; ``q`` adds a full-text search
(catalogue_search), whose relevance then orders the results. Without ``q`` the most
observed come first: what students actually did is what teachers most need to know.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Select, func, or_, select

from lessonstudy.projections import catalogue_search as search
from lessonstudy.projections.catalogue import Catalogue
from lessonstudy.projections.catalogue_cards import cards, stats_rows
from lessonstudy.projections.catalogue_tables import ALL_TASKS, CatalogueTables

SEARCH_CAP = 1000  # matches considered before filters; more than anyone pages through
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
            found = cards(db, self.t, list(ranked), task_id=task_id, quotes=quotes)
        return {"task": dict(task), "misconceptions": found}

    def misconceptions(
        self, filters: Filters, *, limit: int = 20, offset: int = 0, quotes: int = 2
    ) -> dict[str, Any]:
        """Entries matching the filters (numbers within filters.task_id, if given)."""
        with self.engine.connect() as db:
            rows, total = self._select(db, filters, limit=limit, offset=offset)
            found = cards(db, self.t, rows, task_id=filters.task_id, quotes=quotes, examples=False)
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
            found = cards(
                db, self.t, stats_rows(db, self.t, [root], ALL_TASKS), task_id=None, quotes=quotes
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

    # --- exports -------------------------------------------------------------------

    def export(self, filters: Filters, *, quotes: int = 3) -> Iterator[dict[str, Any]]:
        """Every matching entry as a full card, read in chunks (for CSV and JSON files)."""
        offset = 0
        while True:
            with self.engine.connect() as db:
                rows, _ = self._select(db, filters, limit=EXPORT_CHUNK, offset=offset, count=False)
                chunk = cards(db, self.t, rows, task_id=filters.task_id, quotes=quotes)
            yield from chunk
            if len(rows) < EXPORT_CHUNK:
                return
            offset += EXPORT_CHUNK

    # --- the shared selection ------------------------------------------------------

    def _select(
        self, db: Connection, f: Filters, *, limit: int, offset: int, count: bool = True
    ) -> tuple[list[Any], int]:
        s, e, k = self.t.stats.c, self.t.entries.c, self.t.tasks.c
        query = select(self.t.stats).where(s.task_id == (f.task_id or ALL_TASKS))
        query = query.join(self.t.entries, e.misconception_id == s.misconception_id)
        for name in ("subject", "topic"):
            value = getattr(f, name)
            if value:
                query = query.where(
                    or_(
                        e[name] == value,
                        s.misconception_id.in_(_in_tasks(self.t, k[name] == value)),
                    )
                )
        if f.grade:
            query = query.where(s.misconception_id.in_(_in_tasks(self.t, k.grade == f.grade)))
        order: Sequence[str] | None = None
        if f.q.strip():
            order = _roots(db, self.t, search.match(db, self.t.docs, f.q, SEARCH_CAP))
            query = query.where(s.misconception_id.in_(order))
        total = 0
        if count:
            total = db.execute(select(func.count()).select_from(query.subquery())).scalar_one()
        if order is None:
            rows = list(db.execute(_ranked(query, self.t).limit(limit).offset(offset)))
        else:
            place = {root: i for i, root in enumerate(order)}
            rows = sorted(db.execute(query), key=lambda row: place[row.misconception_id])
            rows = rows[offset : offset + limit]
        return rows, total


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


def _roots(db: Connection, t: CatalogueTables, ids: list[str]) -> list[str]:
    """The root entries of ids, in the order of their first match."""
    if not ids:
        return []
    e = t.entries.c
    query = select(e.misconception_id, e.root_id).where(e.misconception_id.in_(ids))
    root_of = dict(db.execute(query).all())
    return list(dict.fromkeys(root_of[i] for i in ids if i in root_of))

"""Anticipated against observed: per teaching, per lesson (plan version) and per task.

An anticipated response *occurred* in a teaching when a live note of that teaching
matched it. The responses are those of the plan as taught (fixed when the teaching
was scheduled), so a later edit of the plan does not rewrite what a past lesson was
compared against. What nobody anticipated is the teaching's live notes flagged
"unanticipated".
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Engine, and_, distinct, func, select

from lessonstudy.projections.catalogue.projection import Catalogue
from lessonstudy.projections.catalogue.tables import CatalogueTables

LATEST_UNANTICIPATED = 20


class Comparisons:
    def __init__(self, engine: Engine, catalogue: Catalogue) -> None:
        self.engine = engine
        self.t: CatalogueTables = catalogue.t

    def teaching(self, teaching_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as db:
            found = self._teachings(db, self.t.teachings.c.teaching_id == teaching_id)
            return found[0] if found else None

    def lesson(self, lesson_id: str) -> dict[str, Any] | None:
        lessons = self.t.lessons.c
        with self.engine.connect() as db:
            lesson = db.execute(select(self.t.lessons).where(lessons.lesson_id == lesson_id))
            row = lesson.mappings().first()
            if row is None:
                return None
            versions: dict[int, list[dict[str, Any]]] = defaultdict(list)
            for taught in self._teachings(db, self.t.teachings.c.lesson_id == lesson_id):
                versions[taught["plan_version"]].append(taught)
        return {
            **dict(row),
            "versions": [{"plan_version": v, "teachings": versions[v]} for v in sorted(versions)],
        }

    def task(self, task_id: str) -> dict[str, Any] | None:
        """Every lesson's anticipated responses over all its teachings, and the surprises."""
        k, tg = self.t.tasks.c, self.t.teachings.c
        with self.engine.connect() as db:
            task = db.execute(select(self.t.tasks).where(k.task_id == task_id)).mappings().first()
            if task is None:
                return None
            teachings = self._teachings(db, tg.task_id == task_id)
            titles = dict(
                db.execute(
                    select(self.t.lessons.c.lesson_id, self.t.lessons.c.title).where(
                        self.t.lessons.c.task_id == task_id
                    )
                ).all()
            )
            unanticipated = self._unanticipated_tags(db, [t["teaching_id"] for t in teachings])
        return {
            "task": dict(task),
            "teachings": len(teachings),
            "responses": _over_teachings(teachings, titles),
            "unanticipated": {
                "notes": sum(t["counts"]["unanticipated"] for t in teachings),
                "latest": sorted(
                    (n for t in teachings for n in t["unanticipated"]),
                    key=lambda n: n["recorded_at"],
                    reverse=True,
                )[:LATEST_UNANTICIPATED],
                "misconceptions": unanticipated,
            },
        }

    # --- one teaching at a time ----------------------------------------------------

    def _teachings(self, db: Connection, condition: Any) -> list[dict[str, Any]]:
        tg = self.t.teachings.c
        rows = db.execute(
            select(self.t.teachings).where(condition).order_by(tg.scheduled_at, tg.teaching_id)
        ).mappings()
        return [self._compare(db, dict(row)) for row in rows]

    def _compare(self, db: Connection, teaching: dict[str, Any]) -> dict[str, Any]:
        teaching_id = teaching["teaching_id"]
        tr, links, n = self.t.taught.c, self.t.links.c, self.t.notes.c
        taught = list(
            db.execute(
                select(self.t.taught).where(tr.teaching_id == teaching_id).order_by(tr.seq)
            ).mappings()
        )
        occurred = {
            row.response_id: (row.notes, row.students)
            for row in db.execute(
                select(
                    links.response_id,
                    func.count(distinct(links.note_pos)).label("notes"),
                    func.count(distinct(links.student)).label("students"),
                )
                .where(links.teaching_id == teaching_id, links.response_id.is_not(None))
                .group_by(links.response_id)
            )
        }
        surprises = list(
            db.execute(
                select(
                    n.note_id, n.step_id, n.text, n.subject_code, n.misconception_ids, n.recorded_at
                )
                .where(n.teaching_id == teaching_id, n.unanticipated, ~n.retracted)
                .order_by(n.recorded_at, n.note_pos)
            ).mappings()
        )
        mentioned = [r["misconception_id"] for r in taught]
        mentioned += [m for note in surprises for m in json.loads(note["misconception_ids"])]
        names = statements(db, self.t, mentioned)
        anticipated = [
            {
                "response_id": r["response_id"],
                "step_id": r["step_id"],
                "kind": r["kind"],
                "text": r["text"],
                "misconception": names.get(r["misconception_id"]),
                "occurred": r["response_id"] in occurred,
                "notes": occurred.get(r["response_id"], (0, 0))[0],
                "students": occurred.get(r["response_id"], (0, 0))[1],
            }
            for r in taught
        ]
        return {
            **teaching,
            "counts": {
                "anticipated": len(anticipated),
                "occurred": sum(1 for a in anticipated if a["occurred"]),
                "not_occurred": sum(1 for a in anticipated if not a["occurred"]),
                "unanticipated": len(surprises),
            },
            "anticipated": anticipated,
            "unanticipated": [
                {
                    "note_id": note["note_id"],
                    "step_id": note["step_id"],
                    "text": note["text"],
                    "code": note["subject_code"],
                    "recorded_at": note["recorded_at"],
                    "misconceptions": [
                        names[m] for m in json.loads(note["misconception_ids"]) if m in names
                    ],
                }
                for note in surprises
            ],
        }

    def _unanticipated_tags(self, db: Connection, teaching_ids: list[str]) -> list[dict[str, Any]]:
        """Misconceptions tagged on unanticipated notes: what to anticipate next time."""
        if not teaching_ids:
            return []
        links, n, e = self.t.links.c, self.t.notes.c, self.t.entries.c
        rows = db.execute(
            select(e.root_id, func.count(distinct(links.note_pos)).label("notes"))
            .select_from(self.t.links)
            .join(self.t.notes, n.note_pos == links.note_pos)
            .join(self.t.entries, e.misconception_id == links.misconception_id)
            .where(links.teaching_id.in_(teaching_ids), n.unanticipated)
            .group_by(e.root_id)
            .order_by(func.count(distinct(links.note_pos)).desc(), e.root_id)
        ).all()
        names = statements(db, self.t, [row.root_id for row in rows])
        return [{"misconception": names[row.root_id], "notes": row.notes} for row in rows]


def _over_teachings(
    teachings: Sequence[dict[str, Any]], titles: dict[str, str]
) -> list[dict[str, Any]]:
    """Per (lesson, response): in how many teachings it was taught and occurred."""
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for teaching in teachings:  # in order of scheduling, so the latest wording wins
        for a in teaching["anticipated"]:
            key = (teaching["lesson_id"], a["response_id"])
            row = merged.setdefault(
                key,
                {
                    "lesson_id": key[0],
                    "title": titles.get(key[0], ""),
                    "taught": 0,
                    "occurred_in": 0,
                    "notes": 0,
                    "students": 0,
                },
            )
            row.update({k: a[k] for k in ("response_id", "step_id", "kind", "text")})
            row["misconception"] = a["misconception"]
            row["taught"] += 1
            row["occurred_in"] += int(a["occurred"])
            row["notes"] += a["notes"]
            row["students"] += a["students"]
    return sorted(merged.values(), key=lambda r: (-r["occurred_in"], -r["notes"], r["text"]))


def statements(
    db: Connection, t: CatalogueTables, ids: Iterable[str | None]
) -> dict[str, dict[str, Any]]:
    """Each id's root entry: {"id", "statement"} (ids never catalogued are left out)."""
    wanted = sorted({i for i in ids if i})
    if not wanted:
        return {}
    e = t.entries
    root = e.alias("root")
    rows = db.execute(
        select(e.c.misconception_id, root.c.misconception_id.label("root_id"), root.c.statement)
        .join(root, and_(root.c.misconception_id == e.c.root_id))
        .where(e.c.misconception_id.in_(wanted))
    )
    return {row.misconception_id: {"id": row.root_id, "statement": row.statement} for row in rows}

"""Cycle 2 against cycle 1: what changed in student thinking when the revised lesson was taught.

Each cycle is one teaching of the lesson (its plan version fixed when scheduled), in
the order they were scheduled. From the catalogue's views, per cycle: each
misconception's live notes and distinct students (through a matched anticipated
response, a tag, or a confirmation citing the note), whether the discussion confirmed
it, which anticipated responses occurred, and the unanticipated notes. The latest
taught cycle is set against the one before it: a misconception seen in fewer students
is "less", an anticipated response that occurred now and not before "now occurred".

Counts of students are distinct seat codes per teaching: another class, other
children, so the numbers say how widespread a way of thinking was, not who improved.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, Engine, select

from lessonstudy.projections.catalogue.compare import Comparisons, statements
from lessonstudy.projections.catalogue.projection import Catalogue
from lessonstudy.projections.catalogue.tables import CatalogueTables

TAUGHT = ("teaching", "ended")  # a scheduled teaching has nothing to compare yet


class CycleComparison:
    def __init__(self, engine: Engine, catalogue: Catalogue) -> None:
        self.engine = engine
        self.t: CatalogueTables = catalogue.t
        self.comparisons = Comparisons(engine, catalogue)

    def lesson(self, lesson_id: str) -> dict[str, Any] | None:
        found = self.comparisons.lesson(lesson_id)
        if found is None:
            return None
        teachings = [t for version in found["versions"] for t in version["teachings"]]
        teachings.sort(key=lambda t: (t["scheduled_at"], t["teaching_id"]))
        with self.engine.connect() as db:
            seen = self._misconceptions_seen(db, [t["teaching_id"] for t in teachings])
            confirmed = self._confirmed(db, [t["teaching_id"] for t in teachings])
        cycles = [
            _cycle(number, t, seen.get(t["teaching_id"], {}), confirmed.get(t["teaching_id"], {}))
            for number, t in enumerate(teachings, 1)
        ]
        taught = [c for c in cycles if c["status"] in TAUGHT]
        latest = taught[-1]["number"] if taught else None
        previous = taught[-2]["number"] if len(taught) > 1 else None
        return {
            "lesson_id": found["lesson_id"],
            "task_id": found["task_id"],
            "title": found["title"],
            "plan_version": found["plan_version"],
            "latest": latest,
            "previous": previous,
            "cycles": cycles,
            "misconceptions": _misconceptions(cycles, latest, previous),
            "responses": _responses(teachings, cycles, latest, previous),
        }

    def _misconceptions_seen(
        self, db: Connection, teaching_ids: list[str]
    ) -> dict[str, dict[str, dict[str, Any]]]:
        """teaching -> root entry -> {statement, notes, students}: the live notes that
        matched or were tagged with it, and the notes its confirmation cited (a
        misconception named only in the discussion was still seen in the lesson)."""
        if not teaching_ids:
            return {}
        links, e = self.t.links.c, self.t.entries.c
        found: dict[tuple[str, str], tuple[set[int], set[str]]] = defaultdict(
            lambda: (set(), set())
        )
        tagged = db.execute(
            select(links.teaching_id, e.root_id, links.note_pos, links.student)
            .join_from(self.t.links, self.t.entries, e.misconception_id == links.misconception_id)
            .where(links.teaching_id.in_(teaching_ids))
        )
        for row in tagged:
            notes, students = found[(row.teaching_id, row.root_id)]
            notes.add(row.note_pos)
            if row.student:
                students.add(row.student)
        for teaching_id, root_id, position, student in self._cited(db, teaching_ids):
            notes, students = found[(teaching_id, root_id)]
            notes.add(position)
            if student:
                students.add(student)
        names = statements(db, self.t, [root for _, root in found])
        seen: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
        for (teaching_id, root_id), (notes, students) in found.items():
            seen[teaching_id][root_id] = {
                "statement": names[root_id]["statement"],
                "notes": len(notes),
                "students": len(students),
            }
        return seen

    def _cited(
        self, db: Connection, teaching_ids: list[str]
    ) -> list[tuple[str, str, int, str | None]]:
        """(teaching, root entry, note position, student) for each live note a
        confirmation cites; a student is "<teaching>:<seat code>", as in the links."""
        c, n = self.t.confirmations.c, self.t.notes.c
        confirmations = db.execute(
            select(c.teaching_id, c.misconception_id, c.note_ids).where(
                c.teaching_id.in_(teaching_ids)
            )
        ).all()
        if not confirmations:
            return []
        roots = statements(db, self.t, [row.misconception_id for row in confirmations])
        notes = {
            (row.teaching_id, row.note_id): (
                row.note_pos,
                f"{row.teaching_id}:{row.subject_code}"
                if row.subject_kind == "seat" and row.subject_code
                else None,
            )
            for row in db.execute(
                select(n.teaching_id, n.note_id, n.note_pos, n.subject_kind, n.subject_code).where(
                    n.teaching_id.in_(teaching_ids), ~n.retracted
                )
            )
        }
        cited = []
        for row in confirmations:
            if row.misconception_id not in roots:
                continue
            for note_id in json.loads(row.note_ids):
                if (row.teaching_id, note_id) in notes:
                    position, student = notes[(row.teaching_id, note_id)]
                    root = roots[row.misconception_id]["id"]
                    cited.append((row.teaching_id, root, position, student))
        return cited

    def _confirmed(self, db: Connection, teaching_ids: list[str]) -> dict[str, dict[str, str]]:
        """teaching -> root entry -> statement, for misconceptions its discussion confirmed."""
        if not teaching_ids:
            return {}
        c = self.t.confirmations.c
        rows = db.execute(
            select(c.teaching_id, c.misconception_id).where(c.teaching_id.in_(teaching_ids))
        ).all()
        names = statements(db, self.t, [row.misconception_id for row in rows])
        confirmed: dict[str, dict[str, str]] = defaultdict(dict)
        for row in rows:
            if row.misconception_id in names:
                root = names[row.misconception_id]
                confirmed[row.teaching_id][root["id"]] = root["statement"]
        return confirmed


def _cycle(
    number: int,
    teaching: dict[str, Any],
    seen: dict[str, dict[str, Any]],
    confirmed: dict[str, str],
) -> dict[str, Any]:
    return {
        "number": number,
        "teaching_id": teaching["teaching_id"],
        "plan_version": teaching["plan_version"],
        "status": teaching["status"],
        "started_at": teaching["started_at"],
        "ended_at": teaching["ended_at"],
        "counts": teaching["counts"],
        "unanticipated": teaching["unanticipated"],
        "seen": seen,
        "confirmed": confirmed,
    }


def _change(before: dict[str, int] | None, after: dict[str, int] | None) -> str:
    """'less', 'more', 'same', 'new' or 'gone', by students (by notes when no seats)."""
    if before is None and after is None:
        return "same"
    if before is None:
        return "new"
    if after is None:
        return "gone"
    key = "students" if before["students"] or after["students"] else "notes"
    if after[key] == before[key]:
        return "same"
    return "more" if after[key] > before[key] else "less"


def _misconceptions(
    cycles: list[dict[str, Any]], latest: int | None, previous: int | None
) -> list[dict[str, Any]]:
    statements: dict[str, str] = {}
    for cycle in cycles:
        statements.update({m: s["statement"] for m, s in cycle["seen"].items()})
        statements.update(cycle["confirmed"])
    rows = []
    for misconception_id, statement in statements.items():
        per_cycle = [
            {
                "number": c["number"],
                "notes": c["seen"].get(misconception_id, {}).get("notes", 0),
                "students": c["seen"].get(misconception_id, {}).get("students", 0),
                "confirmed": misconception_id in c["confirmed"],
            }
            for c in cycles
        ]
        by_number = {c["number"]: c for c in per_cycle if c["notes"]}
        change = (
            _change(by_number.get(previous), by_number.get(latest))
            if latest is not None and previous is not None
            else "same"
        )
        rows.append(
            {
                "misconception_id": misconception_id,
                "statement": statement,
                "cycles": per_cycle,
                "change": change,
            }
        )
    # Most widespread in the latest cycle first, then in any cycle.
    return sorted(
        rows,
        key=lambda r: (
            -next((c["students"] for c in r["cycles"] if c["number"] == latest), 0),
            -max((c["notes"] for c in r["cycles"]), default=0),
            r["statement"],
        ),
    )


def _responses(
    teachings: list[dict[str, Any]],
    cycles: list[dict[str, Any]],
    latest: int | None,
    previous: int | None,
) -> list[dict[str, Any]]:
    """Each anticipated response in any cycle's plan, in the latest plan's order."""
    rows: dict[str, dict[str, Any]] = {}
    for number, teaching in enumerate(teachings, 1):
        for a in teaching["anticipated"]:
            row = rows.setdefault(a["response_id"], {"response_id": a["response_id"], "at": {}})
            row.update({k: a[k] for k in ("step_id", "kind", "text", "misconception")})
            row["at"][number] = {
                "taught": True,
                "occurred": a["occurred"],
                "notes": a["notes"],
                "students": a["students"],
            }
    found = []
    for row in rows.values():
        at = row.pop("at")
        row["cycles"] = [
            {"number": c["number"], **at.get(c["number"], _NOT_TAUGHT)} for c in cycles
        ]
        compared = latest is not None and previous is not None
        row["change"] = _response_change(at.get(previous), at.get(latest)) if compared else ""
        found.append(row)
    order = {a["response_id"]: i for t in teachings for i, a in enumerate(t["anticipated"])}
    return sorted(found, key=lambda r: order[r["response_id"]])


_NOT_TAUGHT = {"taught": False, "occurred": False, "notes": 0, "students": 0}


def _response_change(before: dict[str, Any] | None, after: dict[str, Any] | None) -> str:
    """How the latest cycle differs: 'now occurred', 'no longer occurred', 'still
    occurred', 'still not', 'new, occurred', 'new, not occurred', 'dropped' or ''."""
    if after is None:
        return "dropped" if before is not None else ""
    if before is None:
        return "new, occurred" if after["occurred"] else "new, not occurred"
    if after["occurred"] and not before["occurred"]:
        return "now occurred"
    if before["occurred"] and not after["occurred"]:
        return "no longer occurred"
    return "still occurred" if after["occurred"] else "still not"

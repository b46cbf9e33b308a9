"""The catalogue's numbers, recomputed from the fact tables by SQL.

One query serves both paths: live, after each batch, for the root entries the batch
touched; and once at the end of a rebuild, for every entry. The two cannot drift apart
because they are the same statement with and without a filter.

Per task and root entry (an entry not merged into another; the facts of every entry
merged into it, along any chain of merges, count for it):

- anticipated: distinct lessons of the task whose *current* plan has a response
  linking it;
- observed: distinct live notes in teachings of the task tagged with it directly, or
  matching an anticipated response that linked it when the plan was taught;
- teachings: distinct teachings with such notes; students: distinct (teaching, seat)
  among them (notes about a group, the teacher or the class count no student);
- confirmed: distinct post-lesson discussions that confirmed it;
- first_seen / last_seen: the earliest and latest of the entry's cataloguing (if
  filed under the task), the response links' times, the notes' recorded_at and the
  confirmations' times.

The row for all tasks (task_id "") sums the task rows, which is exact because every
fact belongs to exactly one task, and also counts entries filed under no task (an
imported taxonomy's entries) in first and last seen, so every root entry has it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import (
    BigInteger,
    Connection,
    Select,
    String,
    cast,
    distinct,
    func,
    literal,
    null,
    select,
    union_all,
)

from lessonstudy.projections.catalogue.tables import ALL_TASKS, CatalogueTables

CHUNK = 500  # ids per IN (...) list


def recompute(db: Connection, t: CatalogueTables, ids: Iterable[str] | None) -> None:
    """Rewrite the stats of the root entries among ids and of the roots of ids (None: all)."""
    if ids is None:
        db.execute(t.stats.delete())
        _insert(db, t, None)
        return
    wanted = set(ids)
    if not wanted:
        return
    roots = set(wanted)
    for chunk in _chunks(wanted):
        query = select(t.entries.c.root_id).where(t.entries.c.misconception_id.in_(chunk))
        roots.update(db.execute(query).scalars())
    for chunk in _chunks(roots):
        db.execute(t.stats.delete().where(t.stats.c.misconception_id.in_(chunk)))
        _insert(db, t, chunk)


def _insert(db: Connection, t: CatalogueTables, roots: list[str] | None) -> None:
    columns = [c.name for c in t.stats.columns]
    db.execute(t.stats.insert().from_select(columns, _per_task(t, roots)))
    db.execute(t.stats.insert().from_select(columns, _all_tasks(t, roots)))


def _per_task(t: CatalogueTables, roots: list[str] | None) -> Select[Any]:
    facts = union_all(*_facts(t, roots)).subquery("facts")
    f = facts.c
    return (
        select(
            f.task_id,
            f.root_id,
            func.count(distinct(f.lesson_id)),
            func.count(distinct(f.note_pos)),
            func.count(distinct(f.teaching_id)),
            func.count(distinct(f.student)),
            func.count(distinct(f.discussion_id)),
            func.min(f.at),
            func.max(f.at),
        )
        .where(f.task_id.is_not(None))
        .group_by(f.task_id, f.root_id)
    )


def _facts(t: CatalogueTables, roots: list[str] | None) -> list[Select[Any]]:
    """(task, root, lesson, note, teaching, student, discussion, at) from every source."""
    e, r, n, c = t.entries.c, t.responses.c, t.links.c, t.confirmations.c
    text_, int_ = cast(null(), String), cast(null(), BigInteger)

    def fact(*columns: Any) -> Select[Any]:
        names = (
            "task_id",
            "root_id",
            "lesson_id",
            "note_pos",
            "teaching_id",
            "student",
            "discussion_id",
            "at",
        )
        query = select(*(col.label(name) for col, name in zip(columns, names, strict=True)))
        return query if roots is None else query.where(e.root_id.in_(roots))

    on = e.misconception_id
    return [
        fact(e.task_id, e.root_id, text_, int_, text_, text_, text_, e.catalogued_at).where(
            e.task_id.is_not(None)
        ),
        fact(r.task_id, e.root_id, r.lesson_id, int_, text_, text_, text_, r.linked_at)
        .select_from(t.responses)
        .join(t.entries, on == r.misconception_id),
        fact(
            n.task_id, e.root_id, text_, n.note_pos, n.teaching_id, n.student, text_, n.recorded_at
        )
        .select_from(t.links)
        .join(t.entries, on == n.misconception_id),
        fact(c.task_id, e.root_id, text_, int_, text_, text_, c.discussion_id, c.confirmed_at)
        .select_from(t.confirmations)
        .join(t.entries, on == c.misconception_id),
    ]


def _all_tasks(t: CatalogueTables, roots: list[str] | None) -> Select[Any]:
    s, e = t.stats.c, t.entries.c
    zero = literal(0)
    task_rows = select(
        s.misconception_id.label("root_id"),
        s.anticipated,
        s.observed,
        s.teachings,
        s.students,
        s.confirmed,
        s.first_seen,
        s.last_seen,
    ).where(s.task_id != ALL_TASKS)
    entry_rows = select(e.root_id, zero, zero, zero, zero, zero, e.catalogued_at, e.catalogued_at)
    if roots is not None:
        task_rows = task_rows.where(s.misconception_id.in_(roots))
        entry_rows = entry_rows.where(e.root_id.in_(roots))
    rows = union_all(task_rows, entry_rows).subquery("rows")
    r = rows.c
    return select(
        literal(ALL_TASKS),
        r.root_id,
        func.sum(r.anticipated),
        func.sum(r.observed),
        func.sum(r.teachings),
        func.sum(r.students),
        func.sum(r.confirmed),
        func.min(r.first_seen),
        func.max(r.last_seen),
    ).group_by(r.root_id)


def _chunks(values: Iterable[str]) -> list[list[str]]:
    ordered = sorted(values)
    return [ordered[i : i + CHUNK] for i in range(0, len(ordered), CHUNK)]

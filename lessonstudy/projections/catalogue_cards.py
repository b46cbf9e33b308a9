"""One entry as a reader sees it: numbers, quotes, helpful responses, sources, examples.

A card is built for root entries (entries merged into one count for it), either within
one task (a task's page) or over every task (an entry's page, exports). Quotes are
anonymised by construction: the note's words and its seat or group code, never who
wrote it, which class, teacher or school. Helpful teacher responses are what the post-
lesson discussion recorded as helping when it confirmed the misconception ("from":
"discussion"), then the teacher support the plan set beside a step whose anticipated
response links it ("from": "plan").
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, and_, exists, func, select

from lessonstudy.projections.catalogue_tables import ALL_TASKS, CatalogueTables

QUOTE_KINDS = ("student_talk", "student_work")
NUMBERS = ("anticipated", "observed", "teachings", "students", "confirmed")


def cards(
    db: Connection,
    t: CatalogueTables,
    stats: Sequence[Any],
    *,
    task_id: str | None,
    quotes: int = 5,
    examples: bool = True,
) -> list[dict[str, Any]]:
    """Cards for stats rows (of one task, or of all tasks when task_id is None), in order."""
    roots = [row.misconception_id for row in stats]
    if not roots:
        return []
    members = _members(db, t, roots)
    found = {
        "quotes": _quotes(db, t, roots, task_id, quotes),
        "helpful": _helpful(db, t, roots, task_id),
        "lessons": _lessons(db, t, roots, task_id),
    }
    result = []
    for row in stats:
        root = row.misconception_id
        own = members[root]
        entry = next(m for m in own if m["misconception_id"] == root)
        card: dict[str, Any] = {
            "id": root,
            "statement": entry["statement"],
            "topic": entry["topic"],
            "subject": entry["subject"],
            "source": entry["source"],
            "task_id": entry["task_id"],
            "merged": sorted(m["misconception_id"] for m in own if m["misconception_id"] != root),
            "numbers": {name: getattr(row, name) for name in NUMBERS},
            "first_seen": row.first_seen,
            "last_seen": row.last_seen,
            "taxonomies": [
                {"taxonomy": m["taxonomy"], "external_id": m["external_id"]}
                for m in own
                if m["taxonomy"]
            ],
            "quotes": found["quotes"].get(root, []),
            "helpful_responses": found["helpful"].get(root, []),
            "lessons": found["lessons"].get(root, []),
        }
        if examples:
            card["examples"] = [x for m in own for x in json.loads(m["examples"])]
        result.append(card)
    return result


def stats_rows(db: Connection, t: CatalogueTables, roots: Sequence[str], task_id: str) -> list[Any]:
    s = t.stats.c
    query = select(t.stats).where(s.task_id == task_id, s.misconception_id.in_(roots))
    by_root = {row.misconception_id: row for row in db.execute(query)}
    return [by_root[r] for r in roots if r in by_root]


def _members(db: Connection, t: CatalogueTables, roots: Sequence[str]) -> dict[str, list[Any]]:
    e = t.entries.c
    query = select(t.entries).where(e.root_id.in_(roots)).order_by(e.catalogued_at)
    members: dict[str, list[Any]] = defaultdict(list)
    for row in db.execute(query).mappings():
        members[row["root_id"]].append(dict(row))
    return members


def _quotes(
    db: Connection, t: CatalogueTables, roots: Sequence[str], task_id: str | None, limit: int
) -> dict[str, list[dict[str, Any]]]:
    """The latest live student notes per root, one per note, none a curator hid."""
    if limit <= 0:
        return {}
    e, links, n, h = t.entries.c, t.links.c, t.notes.c, t.hidden.c
    hider = t.entries.alias("hider")
    hidden = exists(
        select(h.note_id)
        .join(hider, hider.c.misconception_id == h.misconception_id)
        .where(h.note_id == n.note_id, hider.c.root_id == e.root_id)
    )
    tagged = (
        select(e.root_id, n.note_pos, n.note_id, n.text, n.subject_code, n.kind, n.recorded_at)
        .distinct()
        .select_from(t.links)
        .join(t.entries, e.misconception_id == links.misconception_id)
        .join(t.notes, n.note_pos == links.note_pos)
        .where(e.root_id.in_(roots), n.kind.in_(QUOTE_KINDS), ~hidden)
    )
    if task_id is not None:
        tagged = tagged.where(links.task_id == task_id)
    inner = tagged.subquery("tagged")
    ranked = select(
        inner,
        func.row_number()
        .over(
            partition_by=inner.c.root_id,
            order_by=(inner.c.recorded_at.desc(), inner.c.note_pos.desc()),
        )
        .label("rank"),
    ).subquery("ranked")
    query = select(ranked).where(ranked.c.rank <= limit).order_by(ranked.c.root_id, ranked.c.rank)
    quotes: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in db.execute(query):
        quotes[row.root_id].append(
            {"note_id": row.note_id, "text": row.text, "code": row.subject_code, "kind": row.kind}
        )
    return quotes


def _helpful(
    db: Connection, t: CatalogueTables, roots: Sequence[str], task_id: str | None
) -> dict[str, list[dict[str, Any]]]:
    e, c, r, s = t.entries.c, t.confirmations.c, t.responses.c, t.steps.c
    said = (
        select(e.root_id, c.helpful.label("text"), c.lesson_id, c.confirmed_at.label("at"))
        .join_from(t.confirmations, t.entries, e.misconception_id == c.misconception_id)
        .where(e.root_id.in_(roots), c.helpful != "")
    )
    planned = (
        select(e.root_id, s.teacher_support.label("text"), r.lesson_id, r.linked_at.label("at"))
        .select_from(t.responses)
        .join(t.entries, e.misconception_id == r.misconception_id)
        .join(t.steps, and_(s.lesson_id == r.lesson_id, s.step_id == r.step_id))
        .where(e.root_id.in_(roots), s.teacher_support != "")
    )
    if task_id is not None:
        said, planned = said.where(c.task_id == task_id), planned.where(r.task_id == task_id)
    helpful: dict[str, list[dict[str, Any]]] = defaultdict(list)
    seen: set[tuple[str, str]] = set()
    for origin, query in (("discussion", said), ("plan", planned)):
        for row in db.execute(query.order_by(e.root_id, query.selected_columns.at.desc())):
            if (row.root_id, row.text) not in seen:
                seen.add((row.root_id, row.text))
                helpful[row.root_id].append(
                    {"text": row.text, "from": origin, "lesson_id": row.lesson_id}
                )
    return helpful


def _lessons(
    db: Connection, t: CatalogueTables, roots: Sequence[str], task_id: str | None
) -> dict[str, list[dict[str, Any]]]:
    """The study lessons it came from, and how: anticipated, observed, confirmed."""
    e, r, links, c, tg = t.entries.c, t.responses.c, t.links.c, t.confirmations.c, t.teachings.c
    sources = {
        "anticipated": select(e.root_id, r.lesson_id).join_from(
            t.responses, t.entries, e.misconception_id == r.misconception_id
        ),
        "observed": select(e.root_id, tg.lesson_id)
        .select_from(t.links)
        .join(t.entries, e.misconception_id == links.misconception_id)
        .join(t.teachings, tg.teaching_id == links.teaching_id),
        "confirmed": select(e.root_id, c.lesson_id).join_from(
            t.confirmations, t.entries, e.misconception_id == c.misconception_id
        ),
    }
    if task_id is not None:
        sources["anticipated"] = sources["anticipated"].where(r.task_id == task_id)
        sources["observed"] = sources["observed"].where(links.task_id == task_id)
        sources["confirmed"] = sources["confirmed"].where(c.task_id == task_id)
    how: dict[tuple[str, str], set[str]] = defaultdict(set)
    for name, query in sources.items():
        for root, lesson_id in db.execute(query.where(e.root_id.in_(roots)).distinct()):
            how[(root, lesson_id)].add(name)
    titles = _titles(db, t, {lesson for _, lesson in how})
    lessons: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for (root, lesson_id), ways in sorted(how.items()):
        lessons[root].append(
            {"lesson_id": lesson_id, "title": titles.get(lesson_id, ""), "how": sorted(ways)}
        )
    return lessons


def _titles(db: Connection, t: CatalogueTables, lesson_ids: set[str]) -> dict[str, str]:
    if not lesson_ids:
        return {}
    l = t.lessons.c  # noqa: E741
    query = select(l.lesson_id, l.title).where(l.lesson_id.in_(sorted(lesson_ids)))
    return {row.lesson_id: row.title for row in db.execute(query)}


__all__ = ["ALL_TASKS", "cards", "stats_rows"]

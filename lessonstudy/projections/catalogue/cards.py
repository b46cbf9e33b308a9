"""One entry as a reader sees it: numbers, quotes, helpful responses, sources, examples.

A card is built for root entries (entries merged into one count for it), either within
one task (a task's page) or over every task (an entry's page, exports). Quotes are
anonymised by construction: the note's words and its seat or group code, never who
wrote it, which class, teacher or school. Helpful teacher responses are what the post-
lesson discussion recorded as helping when it confirmed the misconception ("from":
"discussion"), then the teacher support the plan set beside a step whose anticipated
response links it ("from": "plan"). Apart from both, ``accepted_revisions``: what a
team decided to change in its teaching because of the entry (revisions),
which is a plan for teaching, not yet a response seen to help.

The statements are built once per set of tables and take their ids as parameters:
building and caching a SQLAlchemy statement costs more than running it here.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import (
    BindParameter,
    Connection,
    Select,
    and_,
    bindparam,
    exists,
    func,
    literal,
    select,
    union_all,
)

from lessonstudy.projections.catalogue.tables import CatalogueTables

QUOTE_KINDS = ("student_talk", "student_work")
NUMBERS = ("anticipated", "observed", "teachings", "students", "confirmed")
ROOTS: BindParameter[Any] = bindparam("roots", expanding=True)
TASK: BindParameter[Any] = bindparam("task_id")


class Cards:
    def __init__(self, t: CatalogueTables) -> None:
        self.t = t
        self._built: dict[tuple[str, bool], Select[Any]] = {}

    def build(
        self,
        db: Connection,
        stats: Sequence[Any],
        *,
        task_id: str | None,
        quotes: int = 5,
        detail: bool = True,
        examples: bool = True,
    ) -> list[dict[str, Any]]:
        """Cards for stats rows (of task_id, or of all tasks when None), in their order.

        Without detail a card has its numbers and filing but no quotes, helpful
        responses or lessons (search results and lists).
        """
        roots = [row.misconception_id for row in stats]
        if not roots:
            return []
        params = {"roots": roots, "task_id": task_id, "limit": quotes}
        members: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in db.execute(self._statement("members", False), params).mappings():
            members[row["root_id"]].append(dict(row))
        found: dict[str, dict[str, list[dict[str, Any]]]] = {}
        if detail:
            scoped = task_id is not None
            found["quotes"] = self._quotes(db, scoped, params) if quotes > 0 else {}
            found["helpful_responses"] = self._helpful(db, scoped, params)
            found["accepted_revisions"] = self._revisions(db, scoped, params)
            found["lessons"] = self._lessons(db, scoped, params)
        return [self._card(row, members[row.misconception_id], found, examples) for row in stats]

    def _card(
        self,
        row: Any,
        own: list[dict[str, Any]],
        found: dict[str, dict[str, list[dict[str, Any]]]],
        examples: bool,
    ) -> dict[str, Any]:
        root = row.misconception_id
        entry = next(m for m in own if m["misconception_id"] == root)
        card: dict[str, Any] = {
            "id": root,
            **{k: entry[k] for k in ("statement", "topic", "subject", "source", "task_id")},
            "merged": sorted(m["misconception_id"] for m in own if m["misconception_id"] != root),
            "numbers": {name: getattr(row, name) for name in NUMBERS},
            "first_seen": row.first_seen,
            "last_seen": row.last_seen,
            "taxonomies": [
                {"taxonomy": m["taxonomy"], "external_id": m["external_id"]}
                for m in own
                if m["taxonomy"]
            ],
        }
        for name, per_root in found.items():
            card[name] = per_root.get(root, [])
        if examples:
            card["examples"] = [x for m in own for x in json.loads(m["examples"])]
        return card

    # --- the parts -----------------------------------------------------------------

    def _quotes(
        self, db: Connection, scoped: bool, params: dict[str, Any]
    ) -> dict[str, list[dict[str, Any]]]:
        quotes: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in db.execute(self._statement("quotes", scoped), params):
            quotes[row.root_id].append(
                {
                    "note_id": row.note_id,
                    "text": row.text,
                    "code": row.subject_code,
                    "kind": row.kind,
                }
            )
        return quotes

    def _helpful(
        self, db: Connection, scoped: bool, params: dict[str, Any]
    ) -> dict[str, list[dict[str, Any]]]:
        helpful: dict[str, list[dict[str, Any]]] = defaultdict(list)
        seen: set[tuple[str, str]] = set()
        for row in db.execute(self._statement("helpful", scoped), params):
            if (row.root_id, row.text) not in seen:
                seen.add((row.root_id, row.text))
                helpful[row.root_id].append(
                    {"text": row.text, "from": row.origin, "lesson_id": row.lesson_id}
                )
        return helpful

    def _revisions(
        self, db: Connection, scoped: bool, params: dict[str, Any]
    ) -> dict[str, list[dict[str, Any]]]:
        """The team's accepted changes of teaching, newest first, once per revision."""
        revisions: dict[str, list[dict[str, Any]]] = defaultdict(list)
        seen: set[tuple[str, str, str]] = set()
        for row in db.execute(self._statement("revisions", scoped), params):
            if (row.root_id, row.discussion_id, row.revision_id) not in seen:
                seen.add((row.root_id, row.discussion_id, row.revision_id))
                revisions[row.root_id].append(
                    {
                        "summary": row.summary,
                        "teacher_support": json.loads(row.teacher_support),
                        "lesson_id": row.lesson_id,
                        "title": row.title or "",
                        "accepted_at": row.decided_at,
                    }
                )
        return revisions

    def _lessons(
        self, db: Connection, scoped: bool, params: dict[str, Any]
    ) -> dict[str, list[dict[str, Any]]]:
        """The study lessons it came from, and how: anticipated, observed, confirmed."""
        how: dict[tuple[str, str], set[str]] = defaultdict(set)
        titles: dict[str, str] = {}
        for row in db.execute(self._statement("lessons", scoped), params):
            how[(row.root_id, row.lesson_id)].add(row.how)
            titles[row.lesson_id] = row.title or ""
        lessons: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for (root, lesson_id), ways in sorted(how.items()):
            lessons[root].append(
                {"lesson_id": lesson_id, "title": titles[lesson_id], "how": sorted(ways)}
            )
        return lessons

    # --- statements ----------------------------------------------------------------

    def _statement(self, name: str, scoped: bool) -> Select[Any]:
        key = (name, scoped)
        if key not in self._built:
            builders: dict[str, Callable[[bool], Select[Any]]] = {
                "members": self._members_statement,
                "quotes": self._quotes_statement,
                "helpful": self._helpful_statement,
                "revisions": self._revisions_statement,
                "lessons": self._lessons_statement,
            }
            self._built[key] = builders[name](scoped)
        return self._built[key]

    def _members_statement(self, _scoped: bool) -> Select[Any]:
        e = self.t.entries.c
        return select(self.t.entries).where(e.root_id.in_(ROOTS)).order_by(e.catalogued_at)

    def _quotes_statement(self, scoped: bool) -> Select[Any]:
        """The latest live student notes per root, one per note, none a curator hid."""
        t = self.t
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
            .where(e.root_id.in_(ROOTS), n.kind.in_(QUOTE_KINDS), ~hidden)
        )
        if scoped:
            tagged = tagged.where(links.task_id == TASK)
        inner = tagged.subquery("tagged")
        order = (inner.c.recorded_at.desc(), inner.c.note_pos.desc())
        rank = func.row_number().over(partition_by=inner.c.root_id, order_by=order)
        ranked = select(inner, rank.label("rank")).subquery("ranked")
        return (
            select(ranked)
            .where(ranked.c.rank <= bindparam("limit"))
            .order_by(ranked.c.root_id, ranked.c.rank)
        )

    def _helpful_statement(self, scoped: bool) -> Select[Any]:
        t = self.t
        e, c, r, s = t.entries.c, t.confirmations.c, t.responses.c, t.steps.c
        said = (
            select(e.root_id, c.helpful.label("text"), c.lesson_id, c.confirmed_at.label("at"),
                   literal("discussion").label("origin"), literal(0).label("rank"))
            .join_from(t.confirmations, t.entries, e.misconception_id == c.misconception_id)
            .where(e.root_id.in_(ROOTS), c.helpful != "")
        )  # fmt: skip
        planned = (
            select(e.root_id, s.teacher_support, r.lesson_id, r.linked_at,
                   literal("plan"), literal(1))
            .select_from(t.responses)
            .join(t.entries, e.misconception_id == r.misconception_id)
            .join(t.steps, and_(s.lesson_id == r.lesson_id, s.step_id == r.step_id))
            .where(e.root_id.in_(ROOTS), s.teacher_support != "")
        )  # fmt: skip
        if scoped:
            said, planned = said.where(c.task_id == TASK), planned.where(r.task_id == TASK)
        both = union_all(said, planned).subquery("helpful")
        return select(both).order_by(both.c.root_id, both.c.rank, both.c.at.desc())

    def _revisions_statement(self, scoped: bool) -> Select[Any]:
        t = self.t
        e, v, lessons = t.entries.c, t.revisions.c, t.lessons.c
        query = (
            select(e.root_id, v.discussion_id, v.revision_id, v.summary, v.teacher_support,
                   v.lesson_id, v.decided_at, lessons.title)
            .join_from(t.revisions, t.entries, e.misconception_id == v.misconception_id)
            .join(t.lessons, lessons.lesson_id == v.lesson_id, isouter=True)
            .where(e.root_id.in_(ROOTS), v.status == "accepted")
        )  # fmt: skip
        if scoped:
            query = query.where(v.task_id == TASK)
        return query.order_by(e.root_id, v.decided_at.desc(), v.discussion_id, v.revision_id)

    def _lessons_statement(self, scoped: bool) -> Select[Any]:
        t = self.t
        e, r, links, c, tg = t.entries.c, t.responses.c, t.links.c, t.confirmations.c, t.teachings.c
        anticipated = select(e.root_id, r.lesson_id, literal("anticipated").label("how")).join_from(
            t.responses, t.entries, e.misconception_id == r.misconception_id
        )
        observed = (
            select(e.root_id, tg.lesson_id, literal("observed"))
            .select_from(t.links)
            .join(t.entries, e.misconception_id == links.misconception_id)
            .join(t.teachings, tg.teaching_id == links.teaching_id)
        )
        confirmed = select(e.root_id, c.lesson_id, literal("confirmed")).join_from(
            t.confirmations, t.entries, e.misconception_id == c.misconception_id
        )
        if scoped:
            anticipated = anticipated.where(r.task_id == TASK)
            observed = observed.where(links.task_id == TASK)
            confirmed = confirmed.where(c.task_id == TASK)
        parts = [
            q.where(e.root_id.in_(ROOTS)).distinct() for q in (anticipated, observed, confirmed)
        ]
        sources = union_all(*parts).subquery("sources")
        lessons = t.lessons.c
        return select(sources, lessons.title).join(
            t.lessons, lessons.lesson_id == sources.c.lesson_id, isouter=True
        )


def stats_rows(db: Connection, t: CatalogueTables, roots: Sequence[str], task_id: str) -> list[Any]:
    s = t.stats.c
    query = select(t.stats).where(s.task_id == task_id, s.misconception_id.in_(roots))
    by_root = {row.misconception_id: row for row in db.execute(query)}
    return [by_root[r] for r in roots if r in by_root]

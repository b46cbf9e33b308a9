"""Where each change of a revised plan came from: the revision and the notes it cites.

The plan's history names a discussion revision beside each change it made; this
finds that revision's summary, its place in the discussion's record and its evidence.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import url_for

from lessonstudy.application.planning import PlanHistoryEntry
from lessonstudy.domain.errors import DomainError
from lessonstudy.exports.discussion_record import CitedNote, gather_record
from lessonstudy.server.context import services


def revision_sources(entries: Iterable[PlanHistoryEntry]) -> dict[tuple[str, str], dict[str, Any]]:
    """(discussion id, revision id) -> the revision's summary, record link and cited notes,
    for the plan history: each change a revision made shows the evidence behind it."""
    wanted: dict[str, set[str]] = {}
    for entry in entries:
        if entry.discussion_id and entry.revision_id:
            wanted.setdefault(entry.discussion_id, set()).add(entry.revision_id)
    sources: dict[tuple[str, str], dict[str, Any]] = {}
    for discussion_id, revision_ids in wanted.items():
        try:
            doc = gather_record(services().service, discussion_id)
        except DomainError:
            continue  # the history still names the revision
        record = url_for("pages.discussion_record", discussion_id=discussion_id)
        for revision_id in revision_ids & set(doc.discussion.revisions):
            revision = doc.discussion.revisions[revision_id]
            notes: list[CitedNote] = doc.cited(revision["note_ids"])
            sources[(discussion_id, revision_id)] = {
                "summary": revision["summary"],
                "url": f"{record}#revision-{revision_id}",
                "notes": notes,
            }
    return sources

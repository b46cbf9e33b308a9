"""Teachings as the pages link to them, and the banner of lessons under way.

A teaching is reached three ways (run it, observe it, put it on the projector); every
page that links to one says which class and when, so a team that taught the lesson
twice picks the right one. The banner tells a signed-in member, on the pages they pass
through, that a lesson they may observe is being taught now, with the one tap to it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask import request
from flask_login import current_user
from sqlalchemy.exc import DBAPIError

from lessonstudy.server.context import services
from lessonstudy.server.pages.common import bp, links_by_id, when

# The pages of one teaching: the banner would only point at what is already open (or,
# on the observe page, push the note box around), so they go without it.
PAGES_OF_A_TEACHING = frozenset(
    {"pages.teach", "pages.observe", "pages.facilitate", "pages.join_lesson"}
)


@dataclass(frozen=True)
class TeachingLinks:
    """One teaching's class, when it was taught, and its three pages."""

    teaching_id: str
    lesson_id: str
    class_label: str
    status: str  # scheduled, started or ended
    when: str  # "not started yet", "started 8 Dec 2026, 09:05 UTC", "taught ..."
    observe: str
    projector: str
    run: str | None  # only for those who may run it (instructor, facilitator)

    @property
    def label(self) -> str:
        """What tells two teachings of a lesson apart: the class and the date."""
        return f"{self.class_label}, {self.when}"

    @property
    def under_way(self) -> bool:
        return self.status == "started"


def taught_when(status: str, started_at: Any) -> str:
    if status == "scheduled" or started_at is None:
        return "not started yet"
    return f"{'started' if status == 'started' else 'taught'} {when(started_at)}"


def teaching_links(rows: Iterable[dict[str, Any]], *, may_run: bool) -> list[TeachingLinks]:
    """Links for teachings as the dashboard view lists them (its dash_teachings rows)."""
    run = links_by_id("pages.teach", "teaching_id")
    observe = links_by_id("pages.observe", "teaching_id")
    projector = links_by_id("pages.facilitate", "teaching_id")
    return [
        TeachingLinks(
            teaching_id=row["teaching_id"],
            lesson_id=row["lesson_id"],
            class_label=row["class_label"],
            status=row["status"],
            when=taught_when(row["status"], row["started_at"]),
            observe=observe(row["teaching_id"]),
            projector=projector(row["teaching_id"]),
            run=run(row["teaching_id"]) if may_run else None,
        )
        for row in rows
    ]


@dataclass(frozen=True)
class UnderWay:
    """A lesson being taught now in one of the person's teams."""

    title: str
    team_name: str
    teaching: TeachingLinks


def lessons_under_way() -> list[UnderWay]:
    """For the banner: the lessons the signed-in person may observe now (none on the
    pages of a teaching, and none for someone not signed in)."""
    if not current_user.is_authenticated or request.endpoint in PAGES_OF_A_TEACHING:
        return []
    try:
        rows = services().queries.under_way_for(current_user.id)
    except DBAPIError:
        # The banner is an aid: an error page shown while the database is away must
        # still render, and the page's own reads report the outage.
        return []
    links = teaching_links(rows, may_run=False)
    return [
        UnderWay(title=row["title"], team_name=row["team_name"], teaching=link)
        for row, link in zip(rows, links, strict=True)
    ]


@bp.app_context_processor
def under_way_banner() -> dict[str, Any]:
    # A function, not its answer: only base.html's banner calls it, once per page.
    return {"lessons_under_way": lessons_under_way}

"""A study lesson's pages: the live plan editor, its history, and the printable plan."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask import render_template, request

from lessonstudy.application.planning import PLAN_FIELD_LABELS, STEP_FIELD_LABELS
from lessonstudy.application.results import PlanView, TaskView, TeamView
from lessonstudy.domain.errors import DomainError, InvalidValueError
from lessonstudy.domain.permissions import Action, may
from lessonstudy.server.context import services
from lessonstudy.server.pages.common import bp, me, signed_in
from lessonstudy.server.pages.plan_form import KIND_LABELS, PLAN_FIELDS, focus_text, layout_text
from lessonstudy.server.pages.revision_evidence import revision_sources
from lessonstudy.server.pages.teams import member_team


@dataclass
class LessonPage:
    plan: PlanView
    team: TeamView
    task: TaskView
    names: dict[str, str]  # person id -> display name
    misconceptions: dict[str, str]  # misconception id -> statement

    def context(self) -> dict[str, Any]:
        return {
            "plan": self.plan,
            "team": self.team,
            "task": self.task,
            "names": self.names,
            "misconceptions": self.misconceptions,
            "plan_fields": PLAN_FIELDS,
            "hints": {name: (label, hint) for name, label, hint in PLAN_FIELDS},
            "step_labels": STEP_FIELD_LABELS,
            "plan_labels": PLAN_FIELD_LABELS,
            "kind_labels": KIND_LABELS,
            "lesson_id": self.plan.lesson_id,
        }


def load_lesson(lesson_id: str, revision: int | None = None) -> LessonPage:
    service = services().service
    plan = service.get_plan(lesson_id, revision=revision)
    team = member_team(plan.team_id)
    names = {pid: member["name"] for pid, member in team.members.items()}
    return LessonPage(
        plan=plan,
        team=team,
        task=service.get_task(plan.task_id),
        names=names,
        misconceptions=misconception_statements(
            r.get("misconception_id") for step in plan.steps for r in step["responses"]
        ),
    )


def misconception_statements(ids: Iterable[str | None]) -> dict[str, str]:
    found: dict[str, str] = {}
    for misconception_id in {i for i in ids if i}:
        try:
            entry = services().service.get_misconception(misconception_id)
            found[misconception_id] = entry.statement
        except DomainError:
            continue  # a dangling link shows as "a catalogued misconception"
    return found


def _revision_arg() -> int | None:
    raw = request.args.get("revision", "")
    if not raw:
        return None
    if not raw.isdigit() or int(raw) < 1:
        raise InvalidValueError("revision must be a whole number from 1", field="revision")
    return int(raw)


@bp.get("/lessons/<uuid:lesson_id>/plan")
@signed_in
def plan(lesson_id: Any) -> str:
    page = load_lesson(str(lesson_id))
    roles = page.team.members[me().id]["roles"]
    return render_template(
        "plan.html", **page.context(), may_edit=may(roles, Action.EDIT_PLAN), person=me()
    )


@bp.get("/lessons/<uuid:lesson_id>/print")
@signed_in
def print_plan(lesson_id: Any) -> str:
    revision = _revision_arg()
    page = load_lesson(str(lesson_id), revision)
    latest = services().service.get_plan(str(lesson_id)).revision if revision else None
    return render_template(
        "print.html",
        **page.context(),
        at_revision=revision,
        latest_revision=latest,
        layout_text=layout_text(page.plan.fields.get("class_layout") or {}),
        focus_text=focus_text(page.plan.fields.get("focus") or {}, page.names),
    )


@bp.get("/lessons/<uuid:lesson_id>/history")
@signed_in
def history(lesson_id: Any) -> str:
    page = load_lesson(str(lesson_id))
    # The lesson's own stream, described by the service (the names the diff uses too).
    entries = services().service.plan_history(str(lesson_id))
    # Names for the ids a diff shows (instructor, focus), including people who left.
    names = services().service.person_names(
        page.plan.team_id, [*page.names, *(e.by for e in entries if e.by)]
    )
    return render_template(
        "history.html",
        **page.context() | {"names": names},
        entries=list(reversed(entries)),
        sources=revision_sources(entries),
    )

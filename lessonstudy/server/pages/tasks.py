"""The task editor: an academic task's statement, materials and cognitive demand."""

from __future__ import annotations

from typing import Any

from flask import render_template, request

from lessonstudy.domain.errors import DomainError
from lessonstudy.domain.task import TASK_FIELDS
from lessonstudy.domain.values import CognitiveDemand
from lessonstudy.projections.catalogue import Filters
from lessonstudy.server.api.catalogue import queries as catalogue_queries
from lessonstudy.server.context import services
from lessonstudy.server.pages.common import bp, me, page_redirect, settle, signed_in
from lessonstudy.server.pages.teams import member_team

# What each level of the revised Bloom's taxonomy asks of students, for the chooser.
DEMANDS: list[tuple[str, str]] = [
    (CognitiveDemand.REMEMBER, "recall facts and procedures"),
    (CognitiveDemand.UNDERSTAND, "explain ideas in their own words"),
    (CognitiveDemand.APPLY, "use a method in a familiar situation"),
    (CognitiveDemand.ANALYSE, "compare, relate and find structure"),
    (CognitiveDemand.EVALUATE, "judge and justify a choice"),
    (CognitiveDemand.CREATE, "design or produce something new"),
]


def _task_form() -> dict[str, str]:
    return {name: request.form.get(name, "").strip() for name in TASK_FIELDS}


def _render(team: Any, task: dict[str, str], *, task_id: str | None = None, **extra: Any) -> str:
    lessons = []
    if task_id:
        lessons = [
            lesson
            for lesson in services().queries.lessons_of(team.id)
            if lesson["task_id"] == task_id
        ]
    return render_template(
        "task.html",
        team=team,
        task=task,
        task_id=task_id,
        demands=DEMANDS,
        lessons=lessons,
        **extra,
    )


@bp.get("/teams/<uuid:team_id>/tasks/new")
@signed_in
def new_task(team_id: Any) -> str:
    team = member_team(str(team_id))
    return _render(team, {"subject": "", "grade": "", "cognitive_demand": ""})


@bp.post("/teams/<uuid:team_id>/tasks")
@signed_in
def create_task(team_id: Any) -> Any:
    team = member_team(str(team_id))
    form = _task_form()
    try:
        task_id = services().service.define_task(actor_id=me().id, team_id=team_id, **form)
    except DomainError as error:
        return _render(team, form, error=error.message, error_field=error.field), 422
    settle()
    return page_redirect("pages.task", task_id=task_id, saved="defined")


def catalogued_misconceptions(task_id: str) -> int:
    """How many misconceptions the catalogue knows for the task (0: nothing to link to)."""
    found = catalogue_queries().tasks(Filters(task_id=task_id), limit=1)["items"]
    return int(found[0]["misconceptions"]) if found else 0


@bp.get("/tasks/<uuid:task_id>")
@signed_in
def task(task_id: Any) -> str:
    found = services().service.get_task(task_id)
    team = member_team(found.team_id)
    values = {name: getattr(found, name) for name in TASK_FIELDS}
    return _render(
        team,
        values,
        task_id=found.id,
        saved=request.args.get("saved"),
        catalogued=catalogued_misconceptions(found.id),
    )


@bp.post("/tasks/<uuid:task_id>")
@signed_in
def revise_task(task_id: Any) -> Any:
    found = services().service.get_task(task_id)
    team = member_team(found.team_id)
    form = _task_form()
    try:
        services().service.revise_task(actor_id=me().id, task_id=task_id, **form)
    except DomainError as error:
        return _render(
            team, form, task_id=found.id, error=error.message, error_field=error.field
        ), 422
    settle()
    return page_redirect("pages.task", task_id=task_id, saved="revised")

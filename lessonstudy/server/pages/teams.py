"""The home page (my teams) and a team's dashboard: its lessons and where each stands."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import render_template, request, url_for

from lessonstudy.application.results import TeamView
from lessonstudy.domain.errors import DomainError
from lessonstudy.domain.permissions import Action, may
from lessonstudy.domain.values import Role
from lessonstudy.server.context import services
from lessonstudy.server.pages.common import (
    CycleStage,
    bp,
    cycle_stage,
    links_by_id,
    me,
    page_redirect,
    settle,
    signed_in,
)
from lessonstudy.server.pages.teaching_links import TeachingLinks, teaching_links

INVITABLE_ROLES = [Role.PLANNER, Role.OBSERVER, Role.INSTRUCTOR, Role.KNOWLEDGEABLE_OTHER]
# A lesson card's links, in the order the card shows them.
CARD_LINKS = {
    "plan": "pages.plan",
    "history": "pages.history",
    "print": "pages.print_plan",
    "discussion": "pages.lesson_discussion",
    "cycles": "pages.lesson_cycles",
}


@dataclass(frozen=True)
class LessonCard:
    """A dashboard row with what its card shows worked out in Python, once: with 50
    lessons, per-card url_for calls and an included cycle template were most of the
    page's time."""

    lesson: dict[str, Any]
    stage: CycleStage
    links: dict[str, str]
    # Its teachings that have not ended, under way first: the one tap to observe one.
    teachings: list[TeachingLinks]


def lesson_cards(lessons: list[dict[str, Any]], teachings: list[TeachingLinks]) -> list[LessonCard]:
    link_of = {name: links_by_id(endpoint, "lesson_id") for name, endpoint in CARD_LINKS.items()}
    by_lesson: dict[str, list[TeachingLinks]] = {}
    for teaching in teachings:
        by_lesson.setdefault(teaching.lesson_id, []).append(teaching)
    return [
        LessonCard(
            lesson=lesson,
            stage=cycle_stage(lesson["stage"], lesson["plan_version"]),
            links={name: link(lesson["lesson_id"]) for name, link in link_of.items()},
            teachings=by_lesson.get(lesson["lesson_id"], []),
        )
        for lesson in lessons
    ]


@bp.get("/")
@signed_in
def home() -> str:
    teams = services().queries.teams_of(me().id)
    return render_template("home.html", teams=teams, form={})


@bp.post("/teams")
@signed_in
def create_team() -> Any:
    person = me()
    form = {k: request.form.get(k, "").strip() for k in ("name", "school", "research_theme")}
    try:
        team_id = services().service.form_team(
            actor_id=person.id, actor_name=person.display_name, **form
        )
    except DomainError as error:
        teams = services().queries.teams_of(person.id)
        return render_template(
            "home.html", teams=teams, form=form, error=error.message, error_field=error.field
        ), 422
    settle()
    return page_redirect("pages.team", team_id=team_id)


def member_team(team_id: str) -> TeamView:
    """The team, once the signed-in person is known to be on it (else 403 / 404)."""
    return services().service.member_view(me().id, team_id, Action.OBSERVE)


@bp.get("/teams/<uuid:team_id>")
@signed_in
def team(
    team_id: Any, invitation: dict[str, str] | None = None, school_link: str | None = None
) -> str:
    found = member_team(str(team_id))
    queries = services().queries
    roles = found.members[me().id]["roles"]
    members = sorted(found.members.items(), key=lambda item: item[1]["name"].lower())
    cards = lesson_cards(
        queries.lessons_of(str(team_id)),
        teaching_links(
            queries.open_teachings_of(str(team_id)), may_run=may(roles, Action.RUN_TEACHING)
        ),
    )
    return render_template(
        "team.html",
        team=found,
        members=members,
        cards=cards,
        tasks=queries.tasks_of(str(team_id)),
        may_plan=may(roles, Action.EDIT_PLAN),
        may_define=may(roles, Action.DEFINE_TASK),
        may_manage=may(roles, Action.MANAGE_TEAM),
        invitable=INVITABLE_ROLES,
        invitation=invitation,
        may_share=may(roles, Action.SHARE_CATALOGUE),
        school_link_open=services().service.school_link_open(str(team_id)),
        school_link=school_link,
    )


@bp.post("/teams/<uuid:team_id>/invitations")
@signed_in
def invite(team_id: Any) -> Any:
    roles = request.form.getlist("roles") or [Role.OBSERVER.value]
    code = services().service.invite(actor_id=me().id, team_id=team_id, roles=roles)
    link = url_for("pages.join", code=code, _external=True)
    # The code is shown once, on this response: it is never stored in clear.
    return team(team_id, invitation={"code": code, "link": link, "roles": ", ".join(roles)})


@bp.post("/teams/<uuid:team_id>/lessons")
@signed_in
def create_lesson(team_id: Any) -> Any:
    title = request.form.get("title", "").strip()
    task_id = request.form.get("task_id", "")
    lesson_id = services().service.plan_lesson(
        actor_id=me().id, team_id=team_id, task_id=task_id, title=title
    )
    settle()
    return page_redirect("pages.plan", lesson_id=lesson_id)

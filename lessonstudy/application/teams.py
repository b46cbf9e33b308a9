"""Commands and queries for teams and academic tasks."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any
from uuid import UUID

from lessonstudy.application.base import ServiceBase
from lessonstudy.application.results import TaskView, TeamView, snapshot
from lessonstudy.domain.errors import InvalidValueError, NotFoundError
from lessonstudy.domain.permissions import Action
from lessonstudy.domain.task import AcademicTask
from lessonstudy.domain.team import Team


class TeamsAndTasks(ServiceBase):
    # --- teams ---------------------------------------------------------------------

    def form_team(
        self,
        *,
        actor_id: str,
        actor_name: str,
        name: str,
        school: str,
        research_theme: str = "",
        roles: Iterable[str] = ("planner", "facilitator"),
    ) -> UUID:
        team = Team.form(
            name=name,
            school=school,
            research_theme=research_theme,
            founder_id=actor_id,
            founder_name=actor_name,
            founder_roles=roles,
        )
        self._transact(lambda: (None, [team]))
        return team.id

    def add_member(
        self,
        *,
        actor_id: str,
        team_id: UUID | str,
        person_id: str,
        name: str,
        roles: Iterable[str],
    ) -> int:
        return self._change_team(
            team_id,
            lambda team: team.add_member(
                by=actor_id, person_id=person_id, name=name, roles=list(roles)
            ),
        )

    def change_member_roles(
        self, *, actor_id: str, team_id: UUID | str, person_id: str, roles: Iterable[str]
    ) -> int:
        position = self._change_team(
            team_id,
            lambda team: team.change_roles(by=actor_id, person_id=person_id, roles=list(roles)),
        )
        self._membership_changed(team_id, person_id)
        return position

    def remove_member(self, *, actor_id: str, team_id: UUID | str, person_id: str) -> int:
        position = self._change_team(
            team_id, lambda team: team.remove_member(by=actor_id, person_id=person_id)
        )
        self._membership_changed(team_id, person_id)
        return position

    def change_team_details(
        self, *, actor_id: str, team_id: UUID | str, name: str, school: str, research_theme: str
    ) -> int:
        return self._change_team(
            team_id,
            lambda team: team.change_details(
                by=actor_id, name=name, school=school, research_theme=research_theme
            ),
        )

    def member_view(self, actor_id: str, team_id: UUID | str, action: Action) -> TeamView:
        """The team as a page shows it, once the actor may act on it: authorize and
        get_team in one read of the cached team (every planning page asks both)."""
        return team_view(self.authorize(actor_id, team_id, action))

    def get_team(self, team_id: UUID | str) -> TeamView:
        return team_view(self._load(Team, team_id, field="team_id"))

    # --- the school's read-only catalogue link -------------------------------------

    def open_school_link(self, *, actor_id: str, team_id: UUID | str) -> str:
        """A new token for the school's link (the old one stops working). Only its
        digest is logged, so the token is returned once, here."""
        token = secrets.token_urlsafe(24)
        self._change_team(team_id, lambda team: team.open_school_link(by=actor_id, token=token))
        return token

    def close_school_link(self, *, actor_id: str, team_id: UUID | str) -> int:
        return self._change_team(team_id, lambda team: team.close_school_link(by=actor_id))

    def school_link_open(self, team_id: UUID | str) -> bool:
        return self._read(Team, team_id, field="team_id").school_link_open

    def school_of_link(self, team_id: UUID | str, token: str) -> str:
        """The school whose link this is, or NotFoundError: a closed link, a wrong token
        and an unknown team look the same, so a link reveals nothing once closed. Read
        from the team itself (fast-forwarded from the log), so closing takes effect at
        once, in every process."""
        try:
            team: Team | None = self._read(Team, team_id, field="token")
        except (NotFoundError, InvalidValueError):  # no such team, or not even an id
            team = None
        if team is None or not team.school_link_opens(token):
            raise NotFoundError("this school link is not open", field="token")
        return team.school

    def _change_team(self, team_id: UUID | str, command: Any) -> int:
        def attempt() -> tuple[None, list[Any]]:
            team = self._load(Team, team_id, field="team_id")
            command(team)
            return None, [team]

        return self._transact(attempt)[1]

    # --- academic tasks ------------------------------------------------------------

    def define_task(self, *, actor_id: str, team_id: UUID | str, **fields: Any) -> UUID:
        team = self.authorize(actor_id, team_id, Action.DEFINE_TASK)
        task = AcademicTask.define(team_id=str(team.id), by=actor_id, **fields)
        self._transact(lambda: (None, [task]))
        return task.id

    def revise_task(self, *, actor_id: str, task_id: UUID | str, **changes: Any) -> int:
        def attempt() -> tuple[None, list[Any]]:
            task = self._load(AcademicTask, task_id, field="task_id")
            self.authorize(actor_id, task.team_id, Action.DEFINE_TASK)
            task.revise(by=actor_id, **changes)
            return None, [task]

        return self._transact(attempt)[1]

    def get_task(self, task_id: UUID | str) -> TaskView:
        task = self._load(AcademicTask, task_id, field="task_id")
        return TaskView(
            id=str(task.id), team_id=task.team_id, version=task.version, **task.fields()
        )


def team_view(team: Team) -> TeamView:
    """The team as pages and the API show it; its members copied, never shared."""
    return TeamView(
        id=str(team.id),
        name=team.name,
        school=team.school,
        research_theme=team.research_theme,
        members=snapshot(team.members),
        version=team.version,
    )

"""Read-only questions the pages and the API ask of the dashboard view."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select

from lessonstudy.projections.dashboard import Dashboard


class DashboardQueries:
    def __init__(self, engine: Engine, dashboard: Dashboard) -> None:
        self.engine = engine
        self.view = dashboard

    def teams_of(self, person_id: str) -> list[dict[str, Any]]:
        teams, members = self.view.teams, self.view.members
        query = (
            select(teams, members.c.roles)
            .join(members, members.c.team_id == teams.c.team_id)
            .where(members.c.person_id == person_id)
            .order_by(teams.c.name)
        )
        with self.engine.connect() as db:
            return [{**row._mapping, "roles": row.roles.split(",")} for row in db.execute(query)]

    def lessons_of(self, team_id: str) -> list[dict[str, Any]]:
        lessons, tasks = self.view.lessons, self.view.tasks
        query = (
            select(lessons, tasks.c.statement.label("task_statement"), tasks.c.topic)
            .join(tasks, tasks.c.task_id == lessons.c.task_id, isouter=True)
            .where(lessons.c.team_id == team_id)
            .order_by(lessons.c.updated_at.desc())
        )
        with self.engine.connect() as db:
            return [dict(row._mapping) for row in db.execute(query)]

    def tasks_of(self, team_id: str) -> list[dict[str, Any]]:
        tasks = self.view.tasks
        query = select(tasks).where(tasks.c.team_id == team_id).order_by(tasks.c.topic)
        with self.engine.connect() as db:
            return [dict(row._mapping) for row in db.execute(query)]

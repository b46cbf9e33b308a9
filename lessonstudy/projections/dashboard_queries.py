"""Read-only questions the pages and the API ask of the dashboard view."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select

from lessonstudy.projections.dashboard import Dashboard

# A teaching that has not ended yet: one a team gets ready for, or teaches now.
NOT_ENDED = ("scheduled", "started")


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

    def open_teachings_of(self, team_id: str) -> list[dict[str, Any]]:
        """The team's teachings that have not ended, under way first, then the newest:
        what a lesson card links to (run, observe, project)."""
        teachings, lessons = self.view.teachings, self.view.lessons
        query = (
            select(teachings)
            .join(lessons, lessons.c.lesson_id == teachings.c.lesson_id)
            .where(lessons.c.team_id == team_id, teachings.c.status.in_(NOT_ENDED))
            .order_by(
                teachings.c.status.desc(),  # "started" before "scheduled"
                teachings.c.started_at.desc(),
                teachings.c.class_label,
            )
        )
        with self.engine.connect() as db:
            return [dict(row._mapping) for row in db.execute(query)]

    def teachings_of_lesson(self, lesson_id: str) -> list[dict[str, Any]]:
        """Every teaching of one lesson, in no particular order (the page orders them
        as the plan lists them)."""
        teachings = self.view.teachings
        query = select(teachings).where(teachings.c.lesson_id == lesson_id)
        with self.engine.connect() as db:
            return [dict(row._mapping) for row in db.execute(query)]

    def under_way_for(self, person_id: str) -> list[dict[str, Any]]:
        """The teachings under way now in this person's teams (everyone on a team may
        observe), with the lesson's title and the team's name, latest start first."""
        teachings, lessons, members, teams = (
            self.view.teachings,
            self.view.lessons,
            self.view.members,
            self.view.teams,
        )
        query = (
            select(
                teachings,
                lessons.c.title,
                lessons.c.team_id,
                teams.c.name.label("team_name"),
            )
            .join(lessons, lessons.c.lesson_id == teachings.c.lesson_id)
            .join(members, members.c.team_id == lessons.c.team_id)
            .join(teams, teams.c.team_id == lessons.c.team_id)
            .where(members.c.person_id == person_id, teachings.c.status == "started")
            .order_by(teachings.c.started_at.desc())
        )
        with self.engine.connect() as db:
            return [dict(row._mapping) for row in db.execute(query)]

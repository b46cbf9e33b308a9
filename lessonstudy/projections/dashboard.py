"""Teams, their members, tasks, lessons and teachings: what the dashboards list.

Answers "which teams is this person in", "which lessons does this team have and
where does each stand in the cycle", without replaying any aggregate.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    bindparam,
    select,
)

from lessonstudy.projections.base import LoggedEvent, Projection, handles
from lessonstudy.projections.rebuild_guard import unseen

ID = String(36)


class Dashboard(Projection):
    name = "dashboard"

    def define_tables(self, metadata: MetaData, prefix: str) -> None:
        self.teams = Table(
            f"{prefix}dash_teams",
            metadata,
            Column("team_id", ID, primary_key=True),
            Column("name", Text, nullable=False),
            Column("school", Text, nullable=False),
            Column("research_theme", Text, nullable=False),
        )
        self.members = Table(
            f"{prefix}dash_members",
            metadata,
            Column("team_id", ID, primary_key=True),
            Column("person_id", String(100), primary_key=True, index=True),
            Column("name", Text, nullable=False),
            Column("roles", Text, nullable=False),  # comma-separated, sorted
        )
        self.tasks = Table(
            f"{prefix}dash_tasks",
            metadata,
            Column("task_id", ID, primary_key=True),
            Column("team_id", ID, nullable=False, index=True),
            Column("statement", Text, nullable=False),
            Column("subject", Text, nullable=False),
            Column("grade", Text, nullable=False),
            Column("topic", Text, nullable=False),
            Column("cognitive_demand", String(20), nullable=False),
        )
        self.lessons = Table(
            f"{prefix}dash_lessons",
            metadata,
            Column("lesson_id", ID, primary_key=True),
            Column("team_id", ID, nullable=False, index=True),
            Column("task_id", ID, nullable=False),
            Column("title", Text, nullable=False),
            Column("plan_version", Integer, nullable=False),
            Column("revision", Integer, nullable=False),
            Column("stage", String(20), nullable=False),
            Column("teachings", Integer, nullable=False),
            Column("notes", Integer, nullable=False),
            Column("updated_at", DateTime(timezone=True), nullable=False),
        )
        self.teachings = Table(
            f"{prefix}dash_teachings",
            metadata,
            Column("teaching_id", ID, primary_key=True),
            Column("lesson_id", ID, nullable=False, index=True),
            Column("plan_version", Integer, nullable=False),
            Column("class_label", Text, nullable=False),
            Column("instructor_id", String(100), nullable=False),
            Column("status", String(20), nullable=False),
            Column("started_at", DateTime(timezone=True)),
            Column("ended_at", DateTime(timezone=True)),
            Column("notes", Integer, nullable=False),
        )
        self.logs = Table(  # observation log -> teaching, to count notes per lesson
            f"{prefix}dash_observation_logs",
            metadata,
            Column("log_id", ID, primary_key=True),
            Column("teaching_id", ID, nullable=False),
        )

    # --- teams ---------------------------------------------------------------------

    @handles("Team.Formed")
    def _team_formed(self, db: Connection, e: LoggedEvent) -> None:
        team_id = str(e.originator_id)
        db.execute(
            self.teams.insert().values(
                team_id=team_id, name=e.name, school=e.school, research_theme=e.research_theme
            )
        )
        self._upsert_member(db, team_id, e.founder_id, e.founder_name, e.founder_roles)

    @handles("Team.DetailsChanged")
    def _team_details(self, db: Connection, e: LoggedEvent) -> None:
        db.execute(
            self.teams.update()
            .where(self.teams.c.team_id == str(e.originator_id))
            .values(name=e.name, school=e.school, research_theme=e.research_theme)
        )

    @handles("Team.MemberAdded")
    def _member_added(self, db: Connection, e: LoggedEvent) -> None:
        self._upsert_member(db, str(e.originator_id), e.person_id, e.name, e.roles)

    @handles("Team.RolesChanged")
    def _roles_changed(self, db: Connection, e: LoggedEvent) -> None:
        m = self.members.c
        db.execute(
            self.members.update()
            .where((m.team_id == str(e.originator_id)) & (m.person_id == e.person_id))
            .values(roles=",".join(sorted(e.roles)))
        )

    @handles("Team.MemberRemoved")
    def _member_removed(self, db: Connection, e: LoggedEvent) -> None:
        m = self.members.c
        db.execute(
            self.members.delete().where(
                (m.team_id == str(e.originator_id)) & (m.person_id == e.person_id)
            )
        )

    def _upsert_member(
        self, db: Connection, team_id: str, person_id: str, name: str, roles: list[str]
    ) -> None:
        m = self.members.c
        db.execute(self.members.delete().where((m.team_id == team_id) & (m.person_id == person_id)))
        db.execute(
            self.members.insert().values(
                team_id=team_id, person_id=person_id, name=name, roles=",".join(sorted(roles))
            )
        )

    # --- tasks ---------------------------------------------------------------------

    @handles("AcademicTask.Defined")
    def _task_defined(self, db: Connection, e: LoggedEvent) -> None:
        db.execute(
            self.tasks.insert().values(
                task_id=str(e.originator_id),
                team_id=e.team_id,
                statement=e.statement,
                subject=e.subject,
                grade=e.grade,
                topic=e.topic,
                cognitive_demand=e.cognitive_demand,
            )
        )

    @handles("AcademicTask.Revised")
    def _task_revised(self, db: Connection, e: LoggedEvent) -> None:
        columns = {k: v for k, v in e.changes.items() if k in self.tasks.c and k != "materials"}
        if columns:
            db.execute(
                self.tasks.update()
                .where(self.tasks.c.task_id == str(e.originator_id))
                .values(**columns)
            )

    # --- lessons -------------------------------------------------------------------

    @handles("StudyLesson.Planned")
    def _lesson_planned(self, db: Connection, e: LoggedEvent) -> None:
        db.execute(
            self.lessons.insert().values(
                lesson_id=str(e.originator_id),
                team_id=e.team_id,
                task_id=e.task_id,
                title=e.title,
                plan_version=1,
                revision=e.version,
                stage="planning",
                teachings=0,
                notes=0,
                updated_at=e.timestamp,
            )
        )

    @handles(
        "StudyLesson.PlanFieldChanged",
        "StudyLesson.StepAdded",
        "StudyLesson.StepFieldChanged",
        "StudyLesson.StepMoved",
        "StudyLesson.StepRemoved",
        "StudyLesson.ResponseAnticipated",
        "StudyLesson.ResponseChanged",
        "StudyLesson.ResponseRemoved",
    )
    def _plan_edited(self, db: Connection, e: LoggedEvent) -> None:
        values: dict[str, Any] = {"revision": e.version, "updated_at": e.timestamp}
        if e.event_name == "StudyLesson.PlanFieldChanged" and e.field == "title":
            values["title"] = e.value
        self._update_lesson(db, str(e.originator_id), **values)

    @handles("StudyLesson.TeachingScheduled")
    def _teaching_scheduled(self, db: Connection, e: LoggedEvent) -> None:
        self._update_lesson(
            db,
            str(e.originator_id),
            revision=e.version,
            stage="scheduled",
            teachings=self.lessons.c.teachings + 1,
            updated_at=e.timestamp,
        )

    @handles("StudyLesson.NextVersionStarted")
    def _next_version(self, db: Connection, e: LoggedEvent) -> None:
        self._update_lesson(
            db,
            str(e.originator_id),
            revision=e.version,
            plan_version=e.plan_version,
            stage="planning",
            updated_at=e.timestamp,
        )

    def _update_lesson(self, db: Connection, lesson_id: str, **values: Any) -> None:
        db.execute(
            self.lessons.update().where(self.lessons.c.lesson_id == lesson_id).values(**values)
        )

    # --- teachings and notes ---------------------------------------------------------

    @handles("Teaching.Scheduled")
    def _scheduled(self, db: Connection, e: LoggedEvent) -> None:
        db.execute(
            self.teachings.insert().values(
                teaching_id=str(e.originator_id),
                lesson_id=e.lesson_id,
                plan_version=e.plan_version,
                class_label=e.class_label,
                instructor_id=e.instructor_id,
                status="scheduled",
                notes=0,
            )
        )

    @handles("Teaching.Started")
    def _started(self, db: Connection, e: LoggedEvent) -> None:
        lesson_id = self._set_teaching(db, e, status="started", started_at=e.at)
        self._update_lesson(db, lesson_id, stage="teaching", updated_at=e.timestamp)

    @handles("Teaching.Ended")
    def _ended(self, db: Connection, e: LoggedEvent) -> None:
        lesson_id = self._set_teaching(db, e, status="ended", ended_at=e.at)
        self._update_lesson(db, lesson_id, stage="taught", updated_at=e.timestamp)

    @handles("Discussion.Opened")
    def _discussion_opened(self, db: Connection, e: LoggedEvent) -> None:
        self._update_lesson(db, e.lesson_id, stage="discussing", updated_at=e.timestamp)

    @handles("ObservationLog.Opened")
    def _log_opened(self, db: Connection, e: LoggedEvent) -> None:
        db.execute(
            self.logs.insert().values(log_id=str(e.originator_id), teaching_id=e.teaching_id)
        )

    @handles("ObservationLog.NoteRecorded", "ObservationLog.NoteRetracted")
    def _note_counted(self, db: Connection, e: LoggedEvent) -> None:
        # Counted per log here and written once per batch by apply: a rebuild's million
        # notes become a few hundred updates instead of four statements each.
        step = 1 if e.event_name.endswith("NoteRecorded") else -1
        log_id = str(e.originator_id)
        self._note_counts[log_id] = self._note_counts.get(log_id, 0) + step

    def apply(self, connection: Connection, events: Iterable[LoggedEvent]) -> None:
        # Events a switched-in rebuild already holds are skipped (see rebuild_guard).
        pending = unseen(connection, self.tracking_name, list(events))
        self._note_counts: dict[str, int] = {}
        super().apply(connection, pending)
        if self._note_counts:
            self._write_note_counts(connection, self._note_counts)

    def _write_note_counts(self, db: Connection, per_log: dict[str, int]) -> None:
        logs, t, lessons = self.logs.c, self.teachings.c, self.lessons.c
        teaching_of = _lookup(db, logs.log_id, logs.teaching_id, per_log)
        per_teaching: dict[str, int] = {}
        for log_id, step in per_log.items():
            if log_id not in teaching_of:
                raise LookupError(f"no observation log {log_id} for its notes")
            teaching_id = teaching_of[log_id]
            per_teaching[teaching_id] = per_teaching.get(teaching_id, 0) + step
        lesson_of = _lookup(db, t.teaching_id, t.lesson_id, per_teaching)
        per_lesson: dict[str, int] = {}
        for teaching_id, step in per_teaching.items():
            lesson_id = lesson_of[teaching_id]
            per_lesson[lesson_id] = per_lesson.get(lesson_id, 0) + step
        db.execute(
            self.teachings.update()
            .where(t.teaching_id == bindparam("k"))
            .values(notes=t.notes + bindparam("step")),
            [{"k": k, "step": v} for k, v in per_teaching.items()],
        )
        db.execute(
            self.lessons.update()
            .where(lessons.lesson_id == bindparam("k"))
            .values(notes=lessons.notes + bindparam("step")),
            [{"k": k, "step": v} for k, v in per_lesson.items()],
        )

    def _set_teaching(self, db: Connection, e: LoggedEvent, **values: Any) -> str:
        t = self.teachings
        teaching_id = str(e.originator_id)
        db.execute(t.update().where(t.c.teaching_id == teaching_id).values(**values))
        lesson_id: str = db.execute(
            t.select().with_only_columns(t.c.lesson_id).where(t.c.teaching_id == teaching_id)
        ).scalar_one()
        return lesson_id


def _lookup(db: Connection, key: Any, value: Any, wanted: Iterable[str]) -> dict[str, str]:
    """key -> value for the wanted keys, read 500 at a time."""
    ordered = sorted(wanted)
    found: dict[str, str] = {}
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        found.update(db.execute(select(key, value).where(key.in_(chunk))).all())
    return found

"""Teams, their members, tasks, lessons and teachings: what the dashboards list.

Answers "which teams is this person in", "which lessons does this team have and
where does each stand in the cycle", without replaying any aggregate.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import MappingProxyType
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
)

from lessonstudy.projections.base import LoggedEvent, Projection, handles
from lessonstudy.projections.recorded_note import NOTE_PACKING, RecordedNote
from lessonstudy.projections.row_buffer import KeyedRows
from lessonstudy.projections.tracking import unseen

ID = String(36)


class Dashboard(Projection):
    name = "dashboard"
    rebuilt_apart = True  # with the catalogue: see rebuild.apart
    # Its note handler reads only the name and the log's id, which a RecordedNote has.
    packings = MappingProxyType({"ObservationLog.NoteRecorded": NOTE_PACKING})

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

    # --- applying a batch ------------------------------------------------------------

    def apply(self, connection: Connection, events: Iterable[LoggedEvent]) -> None:
        """Handlers change rows in memory; each changed row is written once at the end.

        The follower calls this once per event, a rebuild once per batch: a rebuild's
        million notes then update each teaching's and lesson's count once per batch.
        """
        # Events a switched-in rebuild already holds are skipped (see tracking.unseen).
        pending = unseen(connection, self.tracking_name, list(events))
        if not hasattr(self, "_rows"):
            self._rows = {t.name: KeyedRows(t) for t in self.metadata.sorted_tables}
        rows = self._rows
        self._note_rows: dict[Any, tuple[dict[str, Any], dict[str, Any]]] = {}
        try:
            super().apply(connection, pending)
            for table in self.metadata.sorted_tables:
                rows[table.name].flush(connection)
        finally:
            for buffer in rows.values():
                buffer.clear()

    def _get(self, db: Connection, table: Table, *key: Any) -> dict[str, Any] | None:
        return self._rows[table.name].get(db, *key)

    def _change(self, db: Connection, table: Table, key: tuple[Any, ...], **values: Any) -> None:
        """Like UPDATE ... WHERE key: nothing when there is no such row."""
        row = self._get(db, table, *key)
        if row is not None:
            row.update(values)
            self._rows[table.name].changed(row)

    def _add(self, table: Table, **row: Any) -> None:
        self._rows[table.name].add(row)

    # --- teams ---------------------------------------------------------------------

    @handles("Team.Formed")
    def _team_formed(self, db: Connection, e: LoggedEvent) -> None:
        team_id = str(e.originator_id)
        self._add(
            self.teams,
            team_id=team_id,
            name=e.name,
            school=e.school,
            research_theme=e.research_theme,
        )
        self._upsert_member(db, team_id, e.founder_id, e.founder_name, e.founder_roles)

    @handles("Team.DetailsChanged")
    def _team_details(self, db: Connection, e: LoggedEvent) -> None:
        values = {"name": e.name, "school": e.school, "research_theme": e.research_theme}
        self._change(db, self.teams, (str(e.originator_id),), **values)

    @handles("Team.MemberAdded")
    def _member_added(self, db: Connection, e: LoggedEvent) -> None:
        self._upsert_member(db, str(e.originator_id), e.person_id, e.name, e.roles)

    @handles("Team.RolesChanged")
    def _roles_changed(self, db: Connection, e: LoggedEvent) -> None:
        key = (str(e.originator_id), e.person_id)
        self._change(db, self.members, key, roles=",".join(sorted(e.roles)))

    @handles("Team.MemberRemoved")
    def _member_removed(self, db: Connection, e: LoggedEvent) -> None:
        key = (str(e.originator_id), e.person_id)
        if self._get(db, self.members, *key) is not None:
            self._rows[self.members.name].remove(key)

    def _upsert_member(
        self, db: Connection, team_id: str, person_id: str, name: str, roles: list[str]
    ) -> None:
        row = {"team_id": team_id, "person_id": person_id, "name": name}
        self._rows[self.members.name].put({**row, "roles": ",".join(sorted(roles))})

    # --- tasks ---------------------------------------------------------------------

    @handles("AcademicTask.Defined")
    def _task_defined(self, db: Connection, e: LoggedEvent) -> None:
        self._add(
            self.tasks,
            task_id=str(e.originator_id),
            team_id=e.team_id,
            statement=e.statement,
            subject=e.subject,
            grade=e.grade,
            topic=e.topic,
            cognitive_demand=e.cognitive_demand,
        )

    @handles("AcademicTask.Revised")
    def _task_revised(self, db: Connection, e: LoggedEvent) -> None:
        columns = {k: v for k, v in e.changes.items() if k in self.tasks.c and k != "materials"}
        if columns:
            self._change(db, self.tasks, (str(e.originator_id),), **columns)

    # --- lessons -------------------------------------------------------------------

    @handles("StudyLesson.Planned")
    def _lesson_planned(self, db: Connection, e: LoggedEvent) -> None:
        self._add(
            self.lessons,
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
        lesson = self._get(db, self.lessons, str(e.originator_id))
        if lesson is not None:
            self._update_lesson(
                db,
                lesson["lesson_id"],
                revision=e.version,
                stage="scheduled",
                teachings=lesson["teachings"] + 1,
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
        self._change(db, self.lessons, (lesson_id,), **values)

    # --- teachings and notes ---------------------------------------------------------

    @handles("Teaching.Scheduled")
    def _scheduled(self, db: Connection, e: LoggedEvent) -> None:
        self._add(
            self.teachings,
            teaching_id=str(e.originator_id),
            lesson_id=e.lesson_id,
            plan_version=e.plan_version,
            class_label=e.class_label,
            instructor_id=e.instructor_id,
            status="scheduled",
            started_at=None,
            ended_at=None,
            notes=0,
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
        self._add(self.logs, log_id=str(e.originator_id), teaching_id=e.teaching_id)

    @handles("ObservationLog.NoteRecorded", "ObservationLog.NoteRetracted")
    def _note_counted(self, db: Connection, e: LoggedEvent | RecordedNote) -> None:
        step = 1 if e.event_name.endswith("NoteRecorded") else -1
        rows = self._note_rows.get(e.originator_id)
        if rows is None:  # the log's first note in this batch: find its teaching and lesson
            log = self._must(self._get(db, self.logs, str(e.originator_id)), "observation log")
            teaching = self._must(self._get(db, self.teachings, log["teaching_id"]), "teaching")
            lesson = self._must(self._get(db, self.lessons, teaching["lesson_id"]), "lesson")
            self._rows[self.teachings.name].changed(teaching)
            self._rows[self.lessons.name].changed(lesson)
            rows = self._note_rows[e.originator_id] = (teaching, lesson)
        rows[0]["notes"] += step
        rows[1]["notes"] += step

    def _set_teaching(self, db: Connection, e: LoggedEvent, **values: Any) -> str:
        teaching_id = str(e.originator_id)
        teaching = self._must(self._get(db, self.teachings, teaching_id), "teaching")
        self._change(db, self.teachings, (teaching_id,), **values)
        return str(teaching["lesson_id"])

    @staticmethod
    def _must(row: dict[str, Any] | None, what: str) -> dict[str, Any]:
        if row is None:
            raise LookupError(f"no {what} before this event")
        return row

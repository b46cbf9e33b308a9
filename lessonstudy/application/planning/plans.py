"""Commands and queries for study lessons and their research plans."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from lessonstudy.application.base import ServiceBase
from lessonstudy.application.results import PlanChange, PlanView, snapshot
from lessonstudy.domain.lesson import StudyLesson
from lessonstudy.domain.permissions import Action
from lessonstudy.domain.task import AcademicTask

PlanCommand = Callable[[StudyLesson], Any]


class Planning(ServiceBase):
    def plan_lesson(
        self, *, actor_id: str, team_id: UUID | str, task_id: UUID | str, title: str
    ) -> UUID:
        team = self.authorize(actor_id, team_id, Action.EDIT_PLAN)
        task = self._load(AcademicTask, task_id, field="task_id")
        lesson = StudyLesson.plan(
            team_id=str(team.id), task_id=str(task.id), title=title, by=actor_id
        )
        # A new plan starts from the team's research theme and the task's header.
        lesson.change_field(
            by=actor_id, field="research_theme", value=team.research_theme, base_revision=None
        )
        lesson.change_field(by=actor_id, field="subject", value=task.subject, base_revision=None)
        lesson.change_field(by=actor_id, field="grade", value=task.grade, base_revision=None)
        self._transact(lambda: (None, [lesson]))
        return lesson.id

    # Each edit names the revision its author started from (base_revision); see
    # StudyLesson for how edits to different parts merge and the same part conflicts.

    def change_plan_field(
        self,
        *,
        actor_id: str,
        lesson_id: UUID | str,
        field: str,
        value: Any,
        base_revision: int | None,
        reason: str = "",
    ) -> PlanChange:
        return self._edit_plan(
            actor_id,
            lesson_id,
            lambda lesson: lesson.change_field(
                by=actor_id, field=field, value=value, base_revision=base_revision, reason=reason
            ),
        )

    def add_step(
        self,
        *,
        actor_id: str,
        lesson_id: UUID | str,
        step_id: str,
        fields: dict[str, Any] | None = None,
        position: int | None = None,
        reason: str = "",
    ) -> PlanChange:
        return self._edit_plan(
            actor_id,
            lesson_id,
            lambda lesson: lesson.add_step(
                by=actor_id, step_id=step_id, fields=fields, position=position, reason=reason
            ),
        )

    def change_step(
        self,
        *,
        actor_id: str,
        lesson_id: UUID | str,
        step_id: str,
        field: str,
        value: Any,
        base_revision: int | None,
        reason: str = "",
    ) -> PlanChange:
        return self._edit_plan(
            actor_id,
            lesson_id,
            lambda lesson: lesson.change_step(
                by=actor_id,
                step_id=step_id,
                field=field,
                value=value,
                base_revision=base_revision,
                reason=reason,
            ),
        )

    def move_step(
        self,
        *,
        actor_id: str,
        lesson_id: UUID | str,
        step_id: str,
        position: int,
        reason: str = "",
    ) -> PlanChange:
        return self._edit_plan(
            actor_id,
            lesson_id,
            lambda lesson: lesson.move_step(
                by=actor_id, step_id=step_id, position=position, reason=reason
            ),
        )

    def remove_step(
        self,
        *,
        actor_id: str,
        lesson_id: UUID | str,
        step_id: str,
        base_revision: int | None,
        reason: str = "",
    ) -> PlanChange:
        return self._edit_plan(
            actor_id,
            lesson_id,
            lambda lesson: lesson.remove_step(
                by=actor_id, step_id=step_id, base_revision=base_revision, reason=reason
            ),
        )

    def anticipate_response(
        self,
        *,
        actor_id: str,
        lesson_id: UUID | str,
        step_id: str,
        response_id: str,
        kind: str,
        text: str,
        misconception_id: str | None = None,
        reason: str = "",
    ) -> PlanChange:
        return self._edit_plan(
            actor_id,
            lesson_id,
            lambda lesson: lesson.anticipate_response(
                by=actor_id,
                step_id=step_id,
                response_id=response_id,
                kind=kind,
                text=text,
                misconception_id=misconception_id,
                reason=reason,
            ),
        )

    def change_response(
        self,
        *,
        actor_id: str,
        lesson_id: UUID | str,
        response_id: str,
        field: str,
        value: Any,
        base_revision: int | None,
        reason: str = "",
    ) -> PlanChange:
        return self._edit_plan(
            actor_id,
            lesson_id,
            lambda lesson: lesson.change_response(
                by=actor_id,
                response_id=response_id,
                field=field,
                value=value,
                base_revision=base_revision,
                reason=reason,
            ),
        )

    def remove_response(
        self,
        *,
        actor_id: str,
        lesson_id: UUID | str,
        response_id: str,
        base_revision: int | None,
        reason: str = "",
    ) -> PlanChange:
        return self._edit_plan(
            actor_id,
            lesson_id,
            lambda lesson: lesson.remove_response(
                by=actor_id, response_id=response_id, base_revision=base_revision, reason=reason
            ),
        )

    def get_plan(self, lesson_id: UUID | str, *, revision: int | None = None) -> PlanView:
        """The plan now, or as it stood at an earlier revision."""
        # The cached lesson itself when revision is None: plan_view copies what it hands out.
        return plan_view(self._read_at(StudyLesson, lesson_id, revision, "lesson_id"))

    def _edit_plan(self, actor_id: str, lesson_id: UUID | str, command: PlanCommand) -> PlanChange:
        def attempt() -> tuple[Any, list[Any]]:
            lesson = self._load(StudyLesson, lesson_id, field="lesson_id")
            self.authorize(actor_id, lesson.team_id, Action.EDIT_PLAN)
            changed = command(lesson)
            return (changed is not False, lesson.version), [lesson]

        (changed, revision), position = self._transact(attempt)
        return PlanChange(
            lesson_id=str(lesson_id), revision=revision, changed=changed, position=position
        )


def plan_view(lesson: StudyLesson) -> PlanView:
    steps = [
        {
            "id": step_id,
            **{k: v for k, v in lesson.steps[step_id].items() if k != "responses"},
            "responses": lesson.responses_of(step_id),
        }
        for step_id in lesson.step_order
    ]
    return PlanView(
        lesson_id=str(lesson.id),
        team_id=lesson.team_id,
        task_id=lesson.task_id,
        revision=lesson.version,
        plan_version=lesson.plan_version,
        fields=snapshot(lesson.fields),
        steps=snapshot(steps),
        versions=snapshot(lesson.versions),
        teaching_ids=list(lesson.teaching_ids),
    )

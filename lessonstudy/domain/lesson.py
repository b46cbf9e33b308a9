"""A study lesson and its research lesson plan, edited field by field.

Several planners edit at once, over days. Each change is its own event naming the
part it touches (a plan field, a step's field, an anticipated response), and every
part remembers the revision that last changed it. An edit carries the revision the
editor started from (``base_revision``): if someone else changed the same part
since, the edit is refused with the current value (EditConflictError); edits to
other parts land. The aggregate's version is the plan's revision number.

``plan_version`` counts cycles: version 1 is the first plan; accepted revisions
from a post-lesson discussion start version 2, and so on.
"""

from __future__ import annotations

from typing import Any, TypeVar, cast

from eventsourcing.domain import Aggregate, event

from lessonstudy.domain.copying import copy_with
from lessonstudy.domain.errors import EditConflictError, InvalidValueError, NotFoundError
from lessonstudy.domain.part_key import PartKey
from lessonstudy.domain.plan_fields import (
    PLAN_FIELD_DEFAULTS,
    PLAN_FIELDS,
    RESPONSE_FIELDS,
    STEP_FIELD_DEFAULTS,
    STEP_FIELDS,
    Response,
    Step,
    check_field,
    check_fields,
)
from lessonstudy.domain.values import check_text

Part = TypeVar("Part", Step, Response)


class StudyLesson(Aggregate):
    @event("Planned")
    def __init__(self, team_id: str, task_id: str, title: str, by: str) -> None:
        self.team_id = team_id
        self.task_id = task_id
        self.fields: dict[str, Any] = {**PLAN_FIELD_DEFAULTS, "title": title}
        self.steps: dict[str, Step] = {}
        self.step_order: list[str] = []
        self.responses: dict[str, Response] = {}
        self.last_changed: dict[str, dict[str, Any]] = {"title": {"revision": 1, "by": by}}
        self.plan_version = 1
        self.versions: list[dict[str, Any]] = [{"plan_version": 1, "revision": 1}]
        self.teaching_ids: list[str] = []

    def __deepcopy__(self, memo: dict[int, Any]) -> StudyLesson:
        # Event bodies replace the steps', responses' and fields' values (new dicts)
        # and never edit them in place, so copies one level deep are safe to share.
        return copy_with(
            self,
            memo,
            shallow=[
                "fields",
                "steps",
                "responses",
                "last_changed",
                "step_order",
                "versions",
                "teaching_ids",
            ],
        )

    @classmethod
    def plan(cls, *, team_id: str, task_id: str, title: str, by: str) -> StudyLesson:
        return cls(
            team_id=team_id,
            task_id=task_id,
            title=check_field(PLAN_FIELDS, "title", title, where="the plan"),
            by=by,
        )

    # --- plan fields ---------------------------------------------------------------

    def change_field(
        self,
        *,
        by: str,
        field: str,
        value: Any,
        base_revision: int | None,
        reason: str = "",
        revision_id: str | None = None,
    ) -> bool:
        """Change one plan field; returns False when it already had that value."""
        value = check_field(PLAN_FIELDS, field, value, where="the plan")
        if not self._needs_change(field, self.fields[field], value, base_revision):
            return False
        self._field_changed(
            field=field, value=value, by=by, reason=_reason(reason), revision_id=revision_id
        )
        return True

    @event("PlanFieldChanged")
    def _field_changed(
        self, field: str, value: Any, by: str, reason: str, revision_id: str | None
    ) -> None:
        self.fields[field] = value
        self._touch(field, by)

    # --- steps of the lesson flow ----------------------------------------------------

    def add_step(
        self,
        *,
        by: str,
        step_id: str,
        position: int | None = None,
        fields: dict[str, Any] | None = None,
        reason: str = "",
        revision_id: str | None = None,
    ) -> bool:
        step_id = check_text(step_id, "step_id", max_length=100)
        if step_id in self.steps:
            return False  # the same step id twice is a retry, not a second step
        values = {**STEP_FIELD_DEFAULTS, **check_fields(STEP_FIELDS, fields or {}, where="a step")}
        self._step_added(
            step_id=step_id,
            position=self._position(position, extra=1),
            fields=values,
            by=by,
            reason=_reason(reason),
            revision_id=revision_id,
        )
        return True

    @event("StepAdded")
    def _step_added(
        self,
        step_id: str,
        position: int,
        fields: dict[str, Any],
        by: str,
        reason: str,
        revision_id: str | None,
    ) -> None:
        self.steps[step_id] = cast(Step, {**fields, "responses": []})
        self.step_order.insert(position, step_id)
        for key in PartKey.texts("step", step_id, fields):
            self._touch(key, by)

    def change_step(
        self,
        *,
        by: str,
        step_id: str,
        field: str,
        value: Any,
        base_revision: int | None,
        reason: str = "",
        revision_id: str | None = None,
    ) -> bool:
        step = self._step(step_id)
        value = check_field(STEP_FIELDS, field, value, where="a step")
        key = str(PartKey.step(step_id, field))
        if not self._needs_change(key, step.get(field), value, base_revision):
            return False
        self._step_changed(
            step_id=step_id,
            field=field,
            value=value,
            by=by,
            reason=_reason(reason),
            revision_id=revision_id,
        )
        return True

    @event("StepFieldChanged")
    def _step_changed(
        self,
        step_id: str,
        field: str,
        value: Any,
        by: str,
        reason: str,
        revision_id: str | None,
    ) -> None:
        self.steps[step_id] = _replaced(self.steps[step_id], field, value)
        self._touch(PartKey.text("step", step_id, field), by)

    def move_step(self, *, by: str, step_id: str, position: int, reason: str = "") -> bool:
        self._step(step_id)
        position = self._position(position, extra=0)
        if self.step_order.index(step_id) == position:
            return False
        self._step_moved(step_id=step_id, position=position, by=by, reason=_reason(reason))
        return True

    @event("StepMoved")
    def _step_moved(self, step_id: str, position: int, by: str, reason: str) -> None:
        self.step_order.remove(step_id)
        self.step_order.insert(position, step_id)

    def remove_step(
        self, *, by: str, step_id: str, base_revision: int | None, reason: str = ""
    ) -> None:
        """Removing a step someone changed since the base would lose their work."""
        step = self._step(step_id)
        keys = [PartKey.step(step_id, name) for name in STEP_FIELDS]
        keys += [
            PartKey.response(rid, name) for rid in step["responses"] for name in RESPONSE_FIELDS
        ]
        for key in keys:
            self._check_base(str(key), base_revision, current=self._value_at(key))
        self._step_removed(step_id=step_id, by=by, reason=_reason(reason))

    @event("StepRemoved")
    def _step_removed(self, step_id: str, by: str, reason: str) -> None:
        for response_id in self.steps[step_id]["responses"]:
            del self.responses[response_id]
        del self.steps[step_id]
        self.step_order.remove(step_id)

    # --- anticipated responses -------------------------------------------------------

    def anticipate_response(
        self,
        *,
        by: str,
        step_id: str,
        response_id: str,
        kind: str,
        text: str,
        misconception_id: str | None = None,
        reason: str = "",
        revision_id: str | None = None,
    ) -> bool:
        self._step(step_id)
        response_id = check_text(response_id, "response_id", max_length=100)
        if response_id in self.responses:
            return False
        values = check_fields(
            RESPONSE_FIELDS,
            {"kind": kind, "text": text, "misconception_id": misconception_id},
            where="an anticipated response",
        )
        self._response_anticipated(
            step_id=step_id,
            response_id=response_id,
            by=by,
            reason=_reason(reason),
            revision_id=revision_id,
            **values,
        )
        return True

    @event("ResponseAnticipated")
    def _response_anticipated(
        self,
        step_id: str,
        response_id: str,
        kind: str,
        text: str,
        misconception_id: str | None,
        by: str,
        reason: str,
        revision_id: str | None,
    ) -> None:
        self.responses[response_id] = {
            "step_id": step_id,
            "kind": kind,
            "text": text,
            "misconception_id": misconception_id,
        }
        step = self.steps[step_id]
        self.steps[step_id] = {**step, "responses": [*step["responses"], response_id]}
        for key in PartKey.texts("response", response_id, RESPONSE_FIELDS):
            self._touch(key, by)

    def change_response(
        self,
        *,
        by: str,
        response_id: str,
        field: str,
        value: Any,
        base_revision: int | None,
        reason: str = "",
        revision_id: str | None = None,
    ) -> bool:
        response = self._response(response_id)
        value = check_field(RESPONSE_FIELDS, field, value, where="an anticipated response")
        key = str(PartKey.response(response_id, field))
        if not self._needs_change(key, response.get(field), value, base_revision):
            return False
        self._response_changed(
            response_id=response_id,
            field=field,
            value=value,
            by=by,
            reason=_reason(reason),
            revision_id=revision_id,
        )
        return True

    @event("ResponseChanged")
    def _response_changed(
        self,
        response_id: str,
        field: str,
        value: Any,
        by: str,
        reason: str,
        revision_id: str | None,
    ) -> None:
        self.responses[response_id] = _replaced(self.responses[response_id], field, value)
        self._touch(PartKey.text("response", response_id, field), by)

    def remove_response(
        self, *, by: str, response_id: str, base_revision: int | None, reason: str = ""
    ) -> None:
        response = self._response(response_id)
        for name in RESPONSE_FIELDS:
            key = str(PartKey.response(response_id, name))
            self._check_base(key, base_revision, current=response.get(name))
        self._response_removed(response_id=response_id, by=by, reason=_reason(reason))

    @event("ResponseRemoved")
    def _response_removed(self, response_id: str, by: str, reason: str) -> None:
        response = self.responses.pop(response_id)
        step = self.steps[response["step_id"]]
        remaining = [r for r in step["responses"] if r != response_id]
        self.steps[response["step_id"]] = {**step, "responses": remaining}

    # --- cycles --------------------------------------------------------------------

    def start_next_version(self, *, by: str, discussion_id: str, revision_ids: list[str]) -> int:
        """Begin the next cycle's plan; the accepted revisions were applied before."""
        if not revision_ids:
            raise InvalidValueError(
                "the next plan version needs at least one accepted revision",
                field="revision_ids",
            )
        if any(v.get("discussion_id") == discussion_id for v in self.versions):
            raise InvalidValueError(
                "this discussion already started a plan version", field="discussion_id"
            )
        self._next_version_started(
            plan_version=self.plan_version + 1,
            discussion_id=discussion_id,
            revision_ids=list(revision_ids),
            by=by,
        )
        return self.plan_version

    @event("NextVersionStarted")
    def _next_version_started(
        self, plan_version: int, discussion_id: str, revision_ids: list[str], by: str
    ) -> None:
        self.plan_version = plan_version
        self.versions.append(
            {
                "plan_version": plan_version,
                "revision": self.version + 1,
                "discussion_id": discussion_id,
                "revision_ids": list(revision_ids),
            }
        )

    def record_teaching(self, *, by: str, teaching_id: str) -> None:
        """Remember a teaching of the current plan version (saved with the teaching)."""
        if not self.step_order:
            raise InvalidValueError(
                "a plan needs at least one step before it is taught", field="steps"
            )
        self._teaching_scheduled(teaching_id=teaching_id, plan_version=self.plan_version, by=by)

    @event("TeachingScheduled")
    def _teaching_scheduled(self, teaching_id: str, plan_version: int, by: str) -> None:
        self.teaching_ids.append(teaching_id)

    # --- reading -------------------------------------------------------------------

    def step_ids(self) -> list[str]:
        return list(self.step_order)

    def responses_of(self, step_id: str) -> list[dict[str, Any]]:
        return [{"id": rid, **self.responses[rid]} for rid in self._step(step_id)["responses"]]

    def seat_and_group_codes(self) -> set[str]:
        layout: dict[str, list[str]] = self.fields["class_layout"]
        return set(layout) | {seat for seats in layout.values() for seat in seats}

    # --- rules ---------------------------------------------------------------------

    def _needs_change(self, key: str, current: Any, value: Any, base: int | None) -> bool:
        if value == current:
            return False  # the same value twice is not a conflict and not a change
        self._check_base(key, base, current=current)
        return True

    def _check_base(self, key: str, base: int | None, *, current: Any) -> None:
        if base is None:
            return
        if not 1 <= base <= self.version:
            raise InvalidValueError(
                f"base_revision must be between 1 and {self.version}", field="base_revision"
            )
        last = self.last_changed.get(key)
        if last is not None and last["revision"] > base:
            raise EditConflictError(
                f"{key} was changed by {last['by']} in revision {last['revision']}, after"
                f" revision {base} that this edit started from",
                field=key,
                current={
                    "field": key,
                    "value": current,
                    "revision": self.version,
                    "changed_in": last["revision"],
                    "changed_by": last["by"],
                },
            )

    def _touch(self, key: str, by: str) -> None:
        # Runs inside event bodies, which the library applies before it advances
        # self.version: the revision this event creates is the next one.
        self.last_changed[key] = {"revision": self.version + 1, "by": by}

    def _value_at(self, key: PartKey) -> Any:
        part = self.steps[key.ident] if key.kind == "step" else self.responses[key.ident]
        return part.get(key.field or "")

    def _step(self, step_id: str) -> Step:
        try:
            return self.steps[step_id]
        except KeyError:
            raise NotFoundError(f"the plan has no step {step_id}", field="step_id") from None

    def _response(self, response_id: str) -> Response:
        try:
            return self.responses[response_id]
        except KeyError:
            raise NotFoundError(
                f"the plan has no anticipated response {response_id}", field="response_id"
            ) from None

    def _position(self, position: int | None, *, extra: int) -> int:
        size = len(self.step_order) + extra
        if position is None:
            return size - 1 if extra else size
        if isinstance(position, bool) or not isinstance(position, int) or not 0 <= position < size:
            raise InvalidValueError(f"position must be from 0 to {size - 1}", field="position")
        return position


def _replaced(part: Part, field: str, value: Any) -> Part:
    """A copy of a step or response with one field's new value: event bodies replace
    the dicts, never edit them in place (copies of the lesson share them)."""
    return cast(Part, {**part, field: value})


def _reason(reason: str) -> str:
    return check_text(reason or "", "reason", max_length=1000, required=False)

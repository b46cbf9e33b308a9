"""What changed in a plan between two revisions, part by part, in readable labels.

Steps and anticipated responses are matched by id, never by position, so renaming a
step's activity is a change of that step, not a removal and an addition. A step
counts as moved only when its order relative to the other steps changed: inserting
a step above three others does not report all three as moved (the moved steps are
the ones outside the longest run the two orders have in common).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lessonstudy.application.planning.words import (
    PLAN_FIELD_LABELS,
    RESPONSE_FIELD_LABELS,
    STEP_FIELD_LABELS,
    label,
)
from lessonstudy.application.results import PlanView
from lessonstudy.domain.part_key import PartKey
from lessonstudy.domain.plan_fields import RESPONSE_FIELDS, STEP_FIELDS


@dataclass(frozen=True)
class PlanDifference:
    part: str  # the part's key: "title", "step:<id>:minutes", "step:<id>", "response:<id>"
    label: str  # e.g. "Step 2 · Key question"
    before: Any
    after: Any
    kind: str  # added | removed | changed | moved


def diff_plans(before: PlanView, after: PlanView) -> list[PlanDifference]:
    return [
        *_field_changes(before.fields, after.fields),
        *_step_changes(before.steps, after.steps),
    ]


def _field_changes(before: dict[str, Any], after: dict[str, Any]) -> list[PlanDifference]:
    names = [*before, *(name for name in after if name not in before)]
    return [
        PlanDifference(
            name, label(PLAN_FIELD_LABELS, name), before.get(name), after.get(name), "changed"
        )
        for name in names
        if before.get(name) != after.get(name)
    ]


def _step_changes(
    before: list[dict[str, Any]], after: list[dict[str, Any]]
) -> list[PlanDifference]:
    old = {step["id"]: (number, step) for number, step in enumerate(before, 1)}
    new = {step["id"]: (number, step) for number, step in enumerate(after, 1)}
    changes = [
        PlanDifference(str(PartKey.step(sid)), f"Step {n}", _content(step), None, "removed")
        for sid, (n, step) in old.items()
        if sid not in new
    ]
    kept_in_place = set(_longest_common_run([s for s in old if s in new], list(new)))
    for sid, (n, step) in new.items():
        if sid not in old:
            changes.append(
                PlanDifference(str(PartKey.step(sid)), f"Step {n}", None, _content(step), "added")
            )
            continue
        was, previous = old[sid]
        if sid not in kept_in_place:
            changes.append(PlanDifference(str(PartKey.step(sid)), f"Step {n}", was, n, "moved"))
        changes += _step_field_changes(sid, n, previous, step)
        changes += _response_changes(n, previous["responses"], step["responses"])
    return changes


def _step_field_changes(
    step_id: str, number: int, before: dict[str, Any], after: dict[str, Any]
) -> list[PlanDifference]:
    return [
        PlanDifference(
            str(PartKey.step(step_id, name)),
            f"Step {number} · {label(STEP_FIELD_LABELS, name)}",
            before.get(name),
            after.get(name),
            "changed",
        )
        for name in STEP_FIELDS
        if before.get(name) != after.get(name)
    ]


def _response_changes(
    step_number: int, before: list[dict[str, Any]], after: list[dict[str, Any]]
) -> list[PlanDifference]:
    old = {r["id"]: r for r in before}
    where = f"Step {step_number} · Anticipated response"
    changes = [
        PlanDifference(str(PartKey.response(rid)), where, _response(r), None, "removed")
        for rid, r in old.items()
        if rid not in {a["id"] for a in after}
    ]
    for number, response in enumerate(after, 1):
        rid = response["id"]
        if rid not in old:
            changes.append(
                PlanDifference(
                    str(PartKey.response(rid)), where, None, _response(response), "added"
                )
            )
            continue
        changes += [
            PlanDifference(
                str(PartKey.response(rid, name)),
                f"{where} {number} · {label(RESPONSE_FIELD_LABELS, name)}",
                old[rid].get(name),
                response.get(name),
                "changed",
            )
            for name in RESPONSE_FIELDS
            if old[rid].get(name) != response.get(name)
        ]
    return changes


def _content(step: dict[str, Any]) -> dict[str, Any]:
    return {
        **{name: step.get(name) for name in STEP_FIELDS},
        "responses": [_response(r) for r in step.get("responses", [])],
    }


def _response(response: dict[str, Any]) -> dict[str, Any]:
    return {"id": response["id"], **{name: response.get(name) for name in RESPONSE_FIELDS}}


def _longest_common_run(first: list[str], second: list[str]) -> list[str]:
    """The longest common subsequence of two orders (plans have tens of steps, not more)."""
    common = [s for s in second if s in set(first)]
    lengths = [[0] * (len(common) + 1) for _ in range(len(first) + 1)]
    for i, a in enumerate(first):
        for j, b in enumerate(common):
            lengths[i + 1][j + 1] = (
                lengths[i][j] + 1 if a == b else max(lengths[i][j + 1], lengths[i + 1][j])
            )
    run: list[str] = []
    i, j = len(first), len(common)
    while i and j:
        if first[i - 1] == common[j - 1]:
            run.append(first[i - 1])
            i, j = i - 1, j - 1
        elif lengths[i - 1][j] >= lengths[i][j - 1]:
            i -= 1
        else:
            j -= 1
    return run[::-1]

"""The work both sides do: the same notes and plan edits, generated up front.

Notes are what observers type during a lesson: a seat, a group or the whole class,
a sentence or three of what was said or done, the step of the plan it happened in,
sometimes a matched anticipated response, sometimes a flag. Plan edits are what
planners do over days: one field of a step or of the plan at a time, each from the
revision the editor last saw.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any
from uuid import UUID

OBSERVERS = ("obs1", "obs2", "obs3", "obs4", "obs5")
LEAD = "lead"
INSTRUCTOR = "inst"
GROUPS = {f"G{g}": [f"G{g}-S{s}" for s in range(1, 5)] for g in range(1, 9)}
STEPS = ("s1", "s2", "s3", "s4")
RESPONSES = {step: [f"{step}-r1", f"{step}-r2"] for step in STEPS}
STEP_TEXT_FIELDS = ("activity", "key_question", "teacher_support", "points_to_notice")
PLAN_TEXT_FIELDS = ("lesson_goals", "rationale", "unit_goals", "data_collection_points")

SENTENCES = (
    "Student drew a number line from 0 to 1 and marked 3/4 past the halfway point.",
    "Said 'the bigger the bottom number the bigger the fraction' and pointed at 1/8.",
    "Group folded the paper strip into quarters, then unfolded it and counted the creases.",
    "Asked her partner why 2/4 and 1/2 take up the same space on the strip.",
    "Wrote 1/3 + 1/4 = 2/7 on the whiteboard and checked it with the fraction bars.",
    "Teacher asked 'how do you know?' and waited about ten seconds before anyone answered.",
    "Erased the first drawing and started again with equal-sized parts this time.",
    "Explained to the group that the pizza pieces must be the same size to compare them.",
)


@dataclass(frozen=True)
class NoteSpec:
    observer_id: str
    note_id: str
    fields: dict[str, Any]


@dataclass(frozen=True)
class EditSpec:
    """One edit: a step's field (step_id set) or a plan field (step_id None)."""

    step_id: str | None
    field: str
    value: str


def notes(count: int, seed: int = 7) -> list[NoteSpec]:
    """`count` notes, round-robin across the observers, as a device would send them."""
    rng = random.Random(seed)
    return [
        NoteSpec(
            observer_id=OBSERVERS[i % len(OBSERVERS)],
            note_id=str(UUID(int=rng.getrandbits(128), version=4)),
            fields=note_fields(rng, step=STEPS[i * len(STEPS) // max(count, 1)]),
        )
        for i in range(count)
    ]


def note_fields(rng: random.Random, step: str) -> dict[str, Any]:
    """All ten note fields, already in the form the domain normalises them to."""
    kind = rng.choice(["seat", "seat", "group", "whole_class", "teacher"])
    group = rng.choice(sorted(GROUPS))
    code = {"seat": rng.choice(GROUPS[group]), "group": group}.get(kind)
    matched = rng.random() < 0.4
    return {
        "subject_kind": kind,
        "subject_code": code,
        "kind": "teacher_move"
        if kind == "teacher"
        else rng.choice(["student_talk", "student_work"]),
        "text": " ".join(rng.sample(SENTENCES, rng.randint(1, 3))),
        "step_id": step,
        "response_ids": [rng.choice(RESPONSES[step])] if matched else [],
        "misconception_ids": [],
        "unanticipated": not matched and rng.random() < 0.3,
        "photo_id": None,
        "flagged": rng.random() < 0.1,
    }


def edits(count: int) -> list[EditSpec]:
    """Alternating step and plan-field edits, each to a new value (so each is an event)."""
    specs = []
    for i in range(count):
        value = f"Revision {i}: " + " ".join(SENTENCES[j % len(SENTENCES)] for j in range(i, i + 3))
        if i % 2 == 0:
            step = STEPS[(i // 2) % len(STEPS)]
            specs.append(EditSpec(step, STEP_TEXT_FIELDS[(i // 8) % len(STEP_TEXT_FIELDS)], value))
        else:
            specs.append(EditSpec(None, PLAN_TEXT_FIELDS[(i // 2) % len(PLAN_TEXT_FIELDS)], value))
    return specs

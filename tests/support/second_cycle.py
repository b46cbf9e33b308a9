"""Cycle 2 of the demo lesson: the revised plan (version 2) taught by Sofia to class 7D.

What the observers saw is written to make the comparison with cycle 1 meaningful:
counting red shows in fewer students, 'two more red in both' (anticipated only in
version 2, after the discussion) occurs and is answered with the 102-and-100 question,
the pooled draws step shows nobody calling a draw "due", and one thing nobody
anticipated. Used by the server tests and the browser test.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from lessonstudy.application import LessonStudy
from lessonstudy.demo import DemoSummary, find_demo
from lessonstudy.demo.under_way import CLASS_LABEL


@dataclass(frozen=True)
class SecondCycle:
    teaching_id: str
    notes: int


def _at(start: dt.datetime, minutes: float) -> dt.datetime:
    return start + dt.timedelta(minutes=minutes)


# (observer, note id, minute, step, subject code, text, responses, misconception keys,
#  unanticipated)
NOTES: list[tuple[str, str, float, str, str, str, list[str], list[str], bool]] = [
    ("raj", "c2-raj-01", 3, "s1", "G3-S1", 'G3-S1: "B, it has more red."', ["r1-count"], [], False),
    (
        "hannah",
        "c2-han-01",
        4,
        "s1",
        "G5-S2",
        'G5-S2: "A, 3 out of 4 is most of it."',
        ["r1-fraction"],
        [],
        False,
    ),
    (
        "raj",
        "c2-raj-02",
        5,
        "s1",
        "G4-S3",
        'G4-S3: "Red or white, it is 50-50 anyway."',
        ["r1-5050"],
        [],
        False,
    ),
    (
        "hannah",
        "c2-han-02",
        14,
        "s2",
        "G6",
        "G6 tally: A 15 red of 20, B 12 red of 20.",
        ["r2-tally"],
        [],
        False,
    ),
    (
        "hannah",
        "c2-han-05",
        21,
        "s2b",
        "G6-S1",
        'G6-S1 at the pooled table: "With everyone\'s draws A is way ahead."',
        [],
        [],
        False,
    ),
    (
        "raj",
        "c2-raj-03",
        27,
        "s3",
        "G4-S1",
        'G4-S1: "Both have two more red than white, so same."',
        ["r3-difference"],
        [],
        False,
    ),
    (
        "hannah",
        "c2-han-03",
        28,
        "s3",
        "G5-S1",
        'G5-S1: "3 take 1 and 5 take 3, both 2."',
        ["r3-difference"],
        [],
        False,
    ),
    (
        "raj",
        "c2-raj-04",
        33,
        "s3",
        "G3",
        'G3 board: "A = 6/8, B = 5/8, so A."',
        ["r3-scale"],
        [],
        False,
    ),
    (
        "hannah",
        "c2-han-04",
        36,
        "s3",
        "G6-S3",
        'G6-S3: "What if you only pull out one ball ever? Then it is luck."',
        [],
        [],
        True,
    ),
]


def teach_revised_plan(app: LessonStudy, demo: DemoSummary) -> SecondCycle:
    """Teach and end plan version 2 to class 7D, with the notes above; returns the
    teaching. On a server started with --demo that lesson is under way already (with a
    few untagged notes, lessonstudy.demo.under_way): it is the one taught here;
    otherwise it is scheduled and started an hour ago."""
    ids = find_demo(app)
    facilitator = "mei"
    now = dt.datetime.now(dt.UTC)
    under_way = [
        t for t in app.get_plan(demo.lesson_id).teaching_ids
        if app.get_teaching(t).class_label == CLASS_LABEL
    ]  # fmt: skip
    if under_way:
        teaching_id: str | UUID = under_way[0]
        started_at = app.get_teaching(teaching_id).started_at
        assert started_at is not None
        start = started_at
        run: dict[str, Any] = {"actor_id": facilitator, "teaching_id": teaching_id}
    else:
        teaching_id = app.schedule_teaching(
            actor_id=facilitator, lesson_id=demo.lesson_id, instructor_id="sofia",
            class_label=CLASS_LABEL,
        )  # fmt: skip
        run = {"actor_id": facilitator, "teaching_id": teaching_id}
        # Taught an hour ago: notes may not come from the future, and the service's clock
        # is real.
        start = now - dt.timedelta(hours=1)
        app.start_teaching(at=start, **run)
    for observer, note_id, minute, step, code, text, responses, keys, surprise in NOTES:
        app.record_note(
            actor_id=observer,
            teaching_id=teaching_id,
            note_id=note_id,
            recorded_at=_at(start, minute),
            subject_kind="seat" if "-" in code else "group",
            subject_code=code,
            kind="student_talk",
            text=text,
            step_id=step,
            response_ids=responses,
            misconception_ids=[str(ids.misconceptions[k]) for k in keys],
            unanticipated=surprise,
        )
    app.end_teaching(at=min(_at(start, 50), now), **run)
    return SecondCycle(str(teaching_id), len(NOTES))


def demo_teaching_ids(app: LessonStudy, lesson_id: str | UUID) -> list[str]:
    return app.get_plan(lesson_id).teaching_ids

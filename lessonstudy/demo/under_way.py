"""A lesson under way, so that the demo can be tried whole in a browser.

The demo's story ends with plan version 2 (``load_demo``, on its stopped clock). To try
teaching and observing live, someone needs a lesson being taught now: cycle 2, the
revised plan taught by Sofia to class 7D, started STARTED_AGO before `serve --demo`
ran, on the real clock (so the run page's lesson clock, and the notes a visitor
writes, are of today), with the step moved on as the plan times it and a few notes
from two observers. The visitor runs it, observes it, ends it and opens its
discussion.

Its notes say what the teacher and the class did and carry no tags, so what the
cycles page compares (misconceptions seen, responses that occurred) is only what
is observed from now on. Every command is safe to run again: the teaching is found
by its class, the clock only moves forward, a note id is stored once; and once the
lesson has ended nothing more is added.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from lessonstudy.application import LessonStudy
from lessonstudy.application.results import TeachingView
from lessonstudy.demo import plan

CLASS = "7D"
CLASS_LABEL = f"{CLASS} (26 students)"
INSTRUCTOR = "sofia"  # plan version 2 names her (the discussion's revision rev-04)
STARTED_AGO = dt.timedelta(minutes=40)  # into the comparison step (s4) of 50 minutes
# (minute after the start, action, argument), as plan version 2 times its steps.
CLOCK: list[tuple[int, str, str]] = [
    (7, "step", "s2"),
    (7, "mode", "group"),
    (15, "step", "s2b"),
    (15, "mode", "whole_class"),
    (20, "step", "s3"),
    (20, "mode", "group"),
    (30, "step", "s4"),
    (30, "mode", "whole_class"),
]
FOCUS: dict[str, list[str]] = {"raj": ["G3", "G4"], "hannah": ["G5", "G6"]}


@dataclass(frozen=True)
class LiveNote:
    note_id: str
    minute: float
    observer: str
    about: str  # "teacher" or "class"
    kind: str
    step: str
    text: str


NOTES: list[LiveNote] = [
    LiveNote("live-raj-01", 1.5, "raj", "teacher", "teacher_move", "s1",
             "Shows the two bags and reads the task aloud; asks for a first guess by"
             " show of hands: about two thirds choose B."),
    LiveNote("live-han-01", 8, "hannah", "class", "mode_change", "s2",
             "Groups fetch their bags and tally sheets; most start drawing at once."),
    LiveNote("live-raj-02", 16, "raj", "teacher", "teacher_move", "s2b",
             "Writes every group's tallies into one table on the board before anyone"
             " compares."),
    LiveNote("live-han-02", 31, "hannah", "class", "student_talk", "s4",
             "Several groups ask whether to compare the numbers of red or the fractions."),
    LiveNote("live-raj-03", 38.5, "raj", "teacher", "teacher_move", "s4",
             '"Would a bag with 102 red and 100 white be a good bag?" A long silence,'
             " then hands."),
]  # fmt: skip


def ensure_lesson_under_way(app: LessonStudy, lesson_id: str) -> str:
    """The demo lesson's class 7D teaching: scheduled, started and played up to now
    when new; found as it is otherwise (a visitor may have ended it). Its id."""
    teaching_id = _find(app, lesson_id)
    if teaching_id is None:
        teaching_id = str(
            app.schedule_teaching(
                actor_id=plan.FACILITATOR,
                lesson_id=lesson_id,
                instructor_id=INSTRUCTOR,
                class_label=CLASS_LABEL,
            )
        )
    teaching = app.get_teaching(teaching_id)
    if teaching.status == "scheduled":
        app.start_teaching(
            actor_id=plan.FACILITATOR, teaching_id=teaching_id, at=app.clock() - STARTED_AGO
        )
        teaching = app.get_teaching(teaching_id)
    if teaching.status == "started":
        _play(app, teaching)
    return teaching_id


def _find(app: LessonStudy, lesson_id: str) -> str | None:
    for teaching_id in app.get_plan(lesson_id).teaching_ids:
        if app.get_teaching(teaching_id).class_label == CLASS_LABEL:
            return str(teaching_id)
    return None


def _play(app: LessonStudy, teaching: TeachingView) -> None:
    """The lesson up to now: focus, step and mode moves, notes; what is there is kept."""
    assert teaching.started_at is not None
    start = teaching.started_at
    for observer, codes in FOCUS.items():
        if teaching.focus.get(observer) != codes:
            app.choose_focus(actor_id=observer, teaching_id=teaching.id, codes=codes)
    taught = app.get_plan(teaching.lesson_id, revision=teaching.plan_revision)
    order = [step["id"] for step in taught.steps]
    run: dict[str, Any] = {"actor_id": plan.FACILITATOR, "teaching_id": teaching.id}
    for minute, action, argument in CLOCK:
        at = start + dt.timedelta(minutes=minute)
        now = app.get_teaching(teaching.id)
        if action == "step" and _later(order, argument, now.current_step_id):
            app.move_to_step(step_id=argument, at=at, **run)
        elif action == "mode" and all(mode["at"] < at for mode in now.modes):
            app.change_lesson_mode(mode=argument, at=at, **run)
    for note in NOTES:
        app.record_note(
            actor_id=note.observer,
            teaching_id=teaching.id,
            note_id=note.note_id,
            recorded_at=start + dt.timedelta(minutes=note.minute),
            subject_kind="teacher" if note.about == "teacher" else "whole_class",
            subject_code=None,
            kind=note.kind,
            text=note.text,
            step_id=note.step,
            response_ids=[],
            misconception_ids=[],
            unanticipated=False,
            flagged=False,
        )


def _later(order: list[str], step_id: str, current: str | None) -> bool:
    """Whether step_id comes after the current step (the clock only moves forward)."""
    if current is None or current not in order:
        return True
    return order.index(step_id) > order.index(current)

"""A large, realistic event log for the catalogue benchmark, written fast.

The events are made by the real aggregates (so every event has the shape and the
checks the service gives it) but saved in large batches straight through the
application's mapper and recorder, instead of one command and one transaction at a
time: a million notes take minutes this way, not hours.

Per task (``notes // 100`` tasks): a misconception filed under the task and one from a
published taxonomy (with four examples); a study lesson with three steps, each with a
misconception response and a correct strategy; one teaching observed by four people
taking 25 notes each (seat, group, teacher or class; 40% matching a response, 15%
tagged with a misconception directly, some flagged unanticipated); about 3% of notes
amended and 1% retracted; a discussion confirming what was seen, with what helped.
One team per ten tasks; every hundredth task merges its entry into the previous one's
and hides a quote.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from lessonstudy.application import LessonStudy
from lessonstudy.domain.discussion import PHASES, Discussion
from lessonstudy.domain.lesson import StudyLesson
from lessonstudy.domain.misconception import Misconception
from lessonstudy.domain.observation import ObservationLog
from lessonstudy.domain.task import AcademicTask
from lessonstudy.domain.teaching import Teaching
from lessonstudy.domain.team import Team

NOTES_PER_TASK = 100
OBSERVERS = ("obs1", "obs2", "obs3", "obs4")
GROUPS = {f"G{g}": [f"G{g}-S{s}" for s in range(1, 5)] for g in range(1, 7)}
TOPICS = ("Fractions", "Ratio", "Probability", "Equations", "Place value", "Area", "Graphs")
GRADES = ("5", "6", "7", "8", "9")
VOCABULARY = (
    "fraction numerator denominator half quarter bigger smaller equal parts compare ratio "
    "proportion chance likely bag red white counts total divide multiply scale equation "
    "balance unknown variable graph slope axis area length width square"
)
WORDS = tuple(VOCABULARY.split())
SENTENCES = (
    "Said 'the bigger the bottom number the bigger the fraction' and pointed at 1/8.",
    "Wrote 1/3 + 1/4 = 2/7 on the whiteboard and checked it with the fraction bars.",
    "Explained to the group that the pieces must be the same size to compare them.",
    "Counted the red balls only: 'B has more red, so B'.",
    "Erased the first drawing and started again with equal-sized parts this time.",
    "Asked her partner why 2/4 and 1/2 take up the same space on the strip.",
)
Sink = Callable[[list[Any]], None]


@dataclass
class Counts:
    tasks: int = 0
    misconceptions: int = 0
    notes: int = 0
    events: int = 0


def seed(app: LessonStudy, notes: int, *, seed: int = 11, batch: int = 20_000) -> Counts:
    """Write about `notes` notes (in teachings of notes // 100 tasks) to app's store."""
    rng = random.Random(seed)
    counts = Counts()
    pending: list[Any] = []

    def save(aggregates: list[Aggregate]) -> None:
        for aggregate in aggregates:
            pending.extend(app.mapper.to_stored_event(e) for e in aggregate.collect_events())
        if len(pending) >= batch:
            flush()

    def flush() -> None:
        if pending:
            app.recorder.insert_events(pending)
            counts.events += len(pending)
            pending.clear()

    start = dt.datetime(2025, 9, 1, 8, 0, tzinfo=dt.UTC)
    team: Team | None = None
    previous: Misconception | None = None
    for index in range(max(1, notes // NOTES_PER_TASK)):
        if index % 10 == 0:
            team = Team.form(
                name=f"Team {index // 10}",
                school=f"School {index // 10}",
                research_theme="Students explain their reasoning",
                founder_id="lead",
                founder_name="Lead",
                founder_roles=["planner", "facilitator", "curator"],
            )
            save([team])
        assert team is not None
        at = start + dt.timedelta(hours=index)
        made = _task(rng, index, str(team.id), at, save, counts)
        if previous is not None and index % 100 == 99:
            made.merge_from(previous, save)
        previous = made.filed
    flush()
    return counts


@dataclass
class MadeTask:
    filed: Misconception
    notes: list[tuple[ObservationLog, str]]

    def merge_from(self, duplicate: Misconception, save: Sink) -> None:
        duplicate.merge_into(by="lead", target=self.filed)
        self.filed.absorb(by="lead", source=duplicate)
        _, note_id = self.notes[0]
        self.filed.hide_quote(by="lead", note_id=note_id, reason="names a student")
        save([duplicate, self.filed])


def _task(
    rng: random.Random, index: int, team_id: str, at: dt.datetime, save: Sink, counts: Counts
) -> MadeTask:
    topic = TOPICS[index % len(TOPICS)]
    task = AcademicTask.define(
        team_id=team_id,
        by="lead",
        statement=f"Task {index}: " + " ".join(rng.sample(WORDS, 12)),
        subject="Mathematics",
        grade=GRADES[index % len(GRADES)],
        topic=topic,
        materials="",
        cognitive_demand="analyse",
    )
    filed = Misconception.catalogue(
        statement=f"Entry {index}: " + " ".join(rng.sample(WORDS, 10)),
        task_id=str(task.id),
        topic=topic,
        subject="Mathematics",
        source="anticipated",
        by="lead",
    )
    imported = Misconception.catalogue(
        statement=f"Published {index}: " + " ".join(rng.sample(WORDS, 10)),
        task_id=None,
        topic=topic,
        subject="Mathematics",
        source="imported",
        by="import",
        taxonomy="BENCH",
        external_id=f"B{index:05d}",
        examples=[_example(rng, n) for n in range(1, 5)],
    )
    save([task, filed, imported])
    counts.tasks += 1
    counts.misconceptions += 2
    lesson = _lesson(rng, team_id, str(task.id), [str(filed.id), str(imported.id)])
    teaching = Teaching.schedule(
        lesson_id=str(lesson.id),
        team_id=team_id,
        plan_version=lesson.plan_version,
        plan_revision=lesson.version,
        instructor_id="lead",
        class_label=f"7{index % 9}",
        class_layout=GROUPS,
        responses_by_step={s: list(lesson.steps[s]["responses"]) for s in lesson.step_order},
        by="lead",
    )
    lesson.record_teaching(by="lead", teaching_id=str(teaching.id))
    teaching.start(by="lead", at=at)
    save([lesson, teaching])
    notes = list(_observe(rng, teaching, lesson, [str(filed.id), str(imported.id)], at, save))
    counts.notes += len(notes)
    teaching.end(by="lead", at=at + dt.timedelta(minutes=50))
    save([teaching])
    _discuss(rng, teaching, [str(filed.id), str(imported.id)], notes, at, save)
    return MadeTask(filed, notes)


def _example(rng: random.Random, number: int) -> dict[str, Any]:
    return {
        "number": number,
        "question": "What part is shaded?\nWrite a fraction",
        "incorrect_answer": f"{rng.randint(1, 5)}/{rng.randint(2, 9)}",
        "correct_answer": "1/4",
        "explanation": " ".join(rng.sample(WORDS, 8)),
        "source": "Bench, 2025",
    }


def _lesson(rng: random.Random, team_id: str, task_id: str, entries: list[str]) -> StudyLesson:
    lesson = StudyLesson.plan(team_id=team_id, task_id=task_id, title="Study lesson", by="lead")
    for s in range(1, 4):
        step = f"s{s}"
        lesson.add_step(
            by="lead",
            step_id=step,
            fields={
                "activity": " ".join(rng.sample(WORDS, 8)),
                "teacher_support": "Ask: how do you know? " + " ".join(rng.sample(WORDS, 6)),
                "minutes": 10,
            },
        )
        lesson.anticipate_response(
            by="lead",
            step_id=step,
            response_id=f"{step}-m",
            kind="misconception",
            text=" ".join(rng.sample(WORDS, 7)),
            misconception_id=entries[s % 2],
        )
        lesson.anticipate_response(
            by="lead",
            step_id=step,
            response_id=f"{step}-c",
            kind="correct_strategy",
            text=" ".join(rng.sample(WORDS, 7)),
        )
    return lesson


def _observe(
    rng: random.Random,
    teaching: Teaching,
    lesson: StudyLesson,
    entries: list[str],
    at: dt.datetime,
    save: Sink,
) -> Iterator[tuple[ObservationLog, str]]:
    context = teaching.note_context()
    per_observer = NOTES_PER_TASK // len(OBSERVERS)
    for observer in OBSERVERS:
        log = ObservationLog(teaching_id=str(teaching.id), observer_id=observer)
        teaching.register_observer(observer_id=observer)
        for n in range(per_observer):
            note_id = str(UUID(int=rng.getrandbits(128), version=4))
            when = at + dt.timedelta(seconds=30 * n + rng.randint(0, 29))
            step = lesson.step_order[n * len(lesson.step_order) // per_observer]
            log.record(note_id=note_id, at=when, context=context, fields=_note(rng, step, entries))
            yield log, note_id
            if rng.random() < 0.03:
                changes = {"misconception_ids": [rng.choice(entries)], "text": "Amended: said so"}
                log.amend(note_id=note_id, at=when, context=context, changes=changes)
            elif rng.random() < 0.01:
                log.retract(note_id=note_id, at=when, reason="wrong student")
        save([log])
    save([teaching])


def _note(rng: random.Random, step: str, entries: list[str]) -> dict[str, Any]:
    kind = rng.choice(["seat", "seat", "seat", "group", "whole_class", "teacher"])
    group = rng.choice(sorted(GROUPS))
    code = {"seat": rng.choice(GROUPS[group]), "group": group}.get(kind)
    matched = rng.random() < 0.4
    return {
        "subject_kind": kind,
        "subject_code": code,
        "kind": "teacher_move"
        if kind == "teacher"
        else rng.choice(["student_talk", "student_work"]),
        "text": " ".join(rng.sample(SENTENCES, rng.randint(1, 2))),
        "step_id": step,
        "response_ids": [f"{step}-{rng.choice('mc')}"] if matched else [],
        "misconception_ids": [rng.choice(entries)] if rng.random() < 0.15 else [],
        "unanticipated": not matched and rng.random() < 0.2,
        "photo_id": None,
        "flagged": rng.random() < 0.05,
    }


def _discuss(
    rng: random.Random,
    teaching: Teaching,
    entries: list[str],
    notes: list[tuple[ObservationLog, str]],
    at: dt.datetime,
    save: Sink,
) -> None:
    discussion = Discussion.open(
        teaching_id=str(teaching.id),
        lesson_id=teaching.lesson_id,
        team_id=teaching.team_id,
        instructor_id="lead",
        teaching_status=teaching.status,
        by="lead",
        at=at + dt.timedelta(hours=1),
    )
    for phase in PHASES[1 : PHASES.index("patterns") + 1]:
        discussion.move_to_phase(by="lead", phase=phase, at=at + dt.timedelta(hours=1))
    live = [n for log, n in notes if not log.notes[n]["retracted"]]
    for entry in entries[: rng.randint(1, 2)]:
        discussion.confirm_misconception(
            by="lead",
            misconception_id=entry,
            note_ids=rng.sample(live, 3),
            known_notes=live,
            helpful_responses="Asked: " + " ".join(rng.sample(WORDS, 6)),
        )
    save([discussion])

"""Load the demo study lesson: a whole cycle of the "which bag?" probability task.

The demo is reproducible: every id the service lets a caller choose is fixed (steps,
responses, notes, patterns, revisions...), every time is fixed on the day of the
lesson, and the service runs on a clock stopped after the discussion. Running it
again adds nothing. The event log is the only record, so what already exists is
found by reading the log (``find_demo``), and each part of the load is skipped or
repeated harmlessly when it is there already; an interrupted load finishes the rest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from lessonstudy.application import LessonStudy
from lessonstudy.demo import plan
from lessonstudy.demo.commands import DEMO_NOW, DemoIds, DemoLoader, misconception_statements
from lessonstudy.domain.errors import NotFoundError

PAGE = 500


def demo_clock() -> dt.datetime:
    """The demo's service clock: stopped at noon on the day of the lesson."""
    return DEMO_NOW


@dataclass(frozen=True)
class DemoSummary:
    already_loaded: bool
    team_id: str
    task_id: str
    lesson_id: str
    teaching_id: str
    discussion_id: str
    plan_version: int
    misconceptions: int
    notes_by_observer: dict[str, int]
    retracted_notes: int
    history_events: int
    events: int


def find_demo(app: LessonStudy) -> DemoIds:
    """What of the demo is stored already, read from the notification log.

    The demo team is the one formed under the demo's name by its founder; the task,
    lesson and misconceptions are those its events name.
    """
    ids = DemoIds()
    statements = {text: key for key, text in misconception_statements().items()}
    founder = plan.MEMBERS[0][0]
    for event in _stored_events(app):
        name, origin = type(event).__qualname__, event.originator_id
        if name == "Team.Formed":
            if ids.team_id is None and (event.name, event.founder_id) == (plan.TEAM_NAME, founder):
                ids.team_id = origin
        elif ids.team_id is None:
            continue
        elif name == "AcademicTask.Defined" and event.team_id == str(ids.team_id):
            ids.task_id = ids.task_id or origin
        elif name == "Misconception.Catalogued" and event.task_id == str(ids.task_id):
            if event.statement in statements:
                ids.misconceptions.setdefault(statements[event.statement], origin)
        elif name == "StudyLesson.Planned" and event.team_id == str(ids.team_id):
            if event.title == plan.LESSON_TITLE:
                ids.lesson_id = ids.lesson_id or origin
        elif name == "StudyLesson.TeachingScheduled" and origin == ids.lesson_id:
            ids.teaching_id = ids.teaching_id or UUID(event.teaching_id)
        elif name == "Discussion.Opened" and event.teaching_id == str(ids.teaching_id):
            ids.discussion_id = origin
    return ids


def demo_lesson_id(app: LessonStudy) -> UUID:
    lesson_id = find_demo(app).lesson_id
    if lesson_id is None:
        raise NotFoundError(
            "no demo lesson in this database; run `lessonstudy demo` first", field="lesson_id"
        )
    return lesson_id


def load_demo(app: LessonStudy) -> DemoSummary:
    """Load the demo, or find it complete and change nothing."""
    ids = find_demo(app)
    if ids.discussion_id and app.get_discussion(ids.discussion_id).phase == "closed":
        return summarize(app, ids, already_loaded=True)
    DemoLoader(app, ids).run()
    return summarize(app, ids, already_loaded=False)


def summarize(app: LessonStudy, ids: DemoIds, *, already_loaded: bool) -> DemoSummary:
    assert ids.team_id and ids.task_id and ids.lesson_id and ids.teaching_id
    assert ids.discussion_id
    written = app.get_notes(ids.teaching_id, include_retracted=True)
    by_observer: dict[str, int] = {}
    for note in written:
        if not note["retracted"]:
            by_observer[note["observer_id"]] = by_observer.get(note["observer_id"], 0) + 1
    return DemoSummary(
        already_loaded=already_loaded,
        team_id=str(ids.team_id),
        task_id=str(ids.task_id),
        lesson_id=str(ids.lesson_id),
        teaching_id=str(ids.teaching_id),
        discussion_id=str(ids.discussion_id),
        plan_version=app.get_plan(ids.lesson_id).plan_version,
        misconceptions=len(ids.misconceptions),
        notes_by_observer=by_observer,
        retracted_notes=sum(1 for note in written if note["retracted"]),
        history_events=len(app.lesson_history(ids.lesson_id)),
        events=app.recorder.max_notification_id() or 0,
    )


def _stored_events(app: LessonStudy) -> Iterator[Any]:
    start = 1
    while True:
        page = app.recorder.select_notifications(start=start, limit=PAGE)
        for notification in page:
            yield app.mapper.to_domain_event(notification)
        if len(page) < PAGE:
            return
        start = page[-1].id + 1


def describe_summary(summary: DemoSummary) -> str:
    """What the demo holds, for a person; the lesson id comes last, alone on its line."""
    head = (
        "The demo was already loaded: nothing was added."
        if summary.already_loaded
        else "Loaded the demo study lesson."
    )
    notes = ", ".join(f"{who} {count}" for who, count in sorted(summary.notes_by_observer.items()))
    return "\n".join(
        [
            head,
            f"  team           {summary.team_id}  {plan.TEAM_NAME}",
            f"  task           {summary.task_id}  {plan.TASK['topic']}, grade {plan.TASK['grade']}",
            f"  teaching       {summary.teaching_id}  plan version 1, class 7B",
            f"  discussion     {summary.discussion_id}  closed",
            f"  plan           version {summary.plan_version} started from the discussion",
            f"  misconceptions {summary.misconceptions} catalogued",
            f"  notes          {notes} ({summary.retracted_notes} retracted)",
            f"  history        {summary.history_events} events (`lessonstudy log --demo`);"
            f" {summary.events} in the store",
            f"lesson {summary.lesson_id}",
        ]
    )

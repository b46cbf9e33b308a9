"""A school's history through the service, for the catalogue tests: the givens.

Imported as ``catalogue.history`` (tests/ is on the path). One task, one lesson taught
once, notes tagged directly and through responses, one amended and one retracted, a
discussion that confirms a misconception with what helped, a duplicate entry merged
into the plan's entry, and a quote hidden by the curator.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from application.scenario import (
    CURATOR,
    FACILITATOR,
    INSTRUCTOR,
    OBSERVER,
    PLANNER,
    lesson_with_plan,
    note,
    teach,
)
from sqlalchemy import Engine, select

from lessonstudy.application import LessonStudy
from lessonstudy.domain.discussion import PHASES
from lessonstudy.projections.base import Projection
from lessonstudy.projections.follower import Follower


@dataclass
class History:
    app: LessonStudy
    team_id: str
    task_id: str
    lesson_id: str
    teaching_id: str
    entry_id: str  # the plan's entry (r2 links it)
    duplicate_id: str  # another team's words for it, merged into entry_id
    notes: dict[str, str] = field(default_factory=dict)  # name -> note id


def build(app: LessonStudy) -> History:
    team_id, entry_id, lesson_id = lesson_with_plan(app)
    task_id = app.get_plan(lesson_id).task_id
    duplicate_id = str(
        app.catalogue_misconception(
            actor_id=PLANNER,
            team_id=team_id,
            statement="Thinks red and white are equally likely whatever the counts",
            topic="probability",
            subject="Mathematics",
            source="observed",
        )
    )
    teaching_id = teach(app, lesson_id)
    h = History(app, team_id, str(task_id), lesson_id, teaching_id, entry_id, duplicate_id)
    record(h, "fifty", note("It's red or white, so 50-50", "s2", "G1-S1", response_ids=["r2"]))
    record(h, "again", note("Still 50-50, two colours", "s2", "G1-S2", response_ids=["r2"]))
    record(h, "direct", note("Same chance each", "s2", "G2-S1", misconception_ids=[duplicate_id]))
    record(h, "strategy", note("Three out of four are red", "s1", "G2-S2", response_ids=["r1"]))
    record(
        h, "group", note("Group says 50-50", "s2", "G1", subject_kind="group", response_ids=["r2"])
    )
    record(h, "surprise", note("Counts the white balls twice", "s2", "G2-S1", unanticipated=True))
    record(h, "gone", note("50-50 (wrong seat)", "s2", "G1-S2", response_ids=["r2"]))
    app.retract_note(actor_id=OBSERVER, teaching_id=teaching_id, note_id=h.notes["gone"])
    app.amend_note(
        actor_id=OBSERVER,
        teaching_id=teaching_id,
        note_id=h.notes["surprise"],
        changes={"misconception_ids": [entry_id]},
    )
    app.end_teaching(actor_id=INSTRUCTOR, teaching_id=teaching_id)
    discussion_id = app.open_discussion(actor_id=FACILITATOR, teaching_id=teaching_id)
    for phase in PHASES[1 : PHASES.index("patterns") + 1]:
        app.move_discussion_phase(actor_id=FACILITATOR, discussion_id=discussion_id, phase=phase)
    app.confirm_misconception(
        actor_id=FACILITATOR,
        discussion_id=discussion_id,
        misconception_id=entry_id,
        note_ids=[h.notes["fifty"], h.notes["again"]],
        helpful_responses="Asked: if I add ten white balls, is it still 50-50?",
    )
    app.merge_misconceptions(
        actor_id=CURATOR, team_id=team_id, source_id=duplicate_id, target_id=entry_id
    )
    app.hide_quote(
        actor_id=CURATOR,
        team_id=team_id,
        misconception_id=entry_id,
        note_id=h.notes["again"],
        reason="names a student",
    )
    return h


def record(h: History, name: str, fields: dict[str, Any]) -> str:
    note_id = f"note-{name}"
    h.app.record_note(actor_id=OBSERVER, teaching_id=h.teaching_id, note_id=note_id, **fields)
    h.notes[name] = note_id
    return note_id


def follow(app: LessonStudy, engine: Engine, *projections: Projection, batch: int = 7) -> Follower:
    """A follower with small batches, so a history spans several."""
    follower = Follower(app, engine, list(projections), batch_size=batch)
    follower.create_tables()
    return follower


def dump(engine: Engine, projection: Projection) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sorted, keyed by the table's name without its prefix."""
    with engine.connect() as db:
        return {
            table.name.removeprefix(projection.prefix): sorted(
                (tuple(row) for row in db.execute(select(table))), key=repr
            )
            for table in projection.tables
        }

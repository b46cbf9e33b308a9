"""The catalogue bench's live half: lag from a note's commit to the catalogue, and reads."""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Sequence

from sqlalchemy import Engine, select

from lessonstudy.application import LessonStudy
from lessonstudy.projections.catalogue import Catalogue, CatalogueQueries, Filters
from lessonstudy.projections.follower import Follower
from lessonstudy.projections.registry import read_models

LEAD, OBSERVER = "live-lead", "live-observer"
TIMEOUT = 5.0


def live_lags(app: LessonStudy, engine: Engine, count: int) -> list[float]:
    """Seconds from each record_note's return to its count on the task's numbers."""
    views = read_models()
    catalogue = views.catalogue
    follower = Follower(app, engine, views)
    follower.start()
    try:
        task_id, entry_id, teaching_id = _lesson_under_way(app)
        assert follower.wait_for(app.recorder.max_notification_id() or 0, timeout=60)
        s = catalogue.t.stats.c
        observed = select(s.observed).where(s.task_id == task_id, s.misconception_id == entry_id)
        lags = []
        with engine.connect() as db:
            for number in range(1, count + 1):
                app.record_note(
                    actor_id=OBSERVER,
                    teaching_id=teaching_id,
                    note_id=str(uuid.uuid4()),
                    subject_kind="seat",
                    subject_code="G1-S1",
                    kind="student_talk",
                    text=f"Said the bigger bag wins ({number}).",
                    step_id="s1",
                    misconception_ids=[entry_id],
                )
                committed = time.perf_counter()
                while (db.execute(observed).scalar() or 0) < number:
                    db.rollback()  # a fresh snapshot for the next look
                    if time.perf_counter() - committed > TIMEOUT:
                        raise TimeoutError(f"note {number} not in the catalogue after {TIMEOUT} s")
                    time.sleep(0.001)
                lags.append(time.perf_counter() - committed)
                db.rollback()
        return lags
    finally:
        follower.stop()


def _lesson_under_way(app: LessonStudy) -> tuple[str, str, str]:
    team_id = app.form_team(
        actor_id=LEAD,
        actor_name="Lead",
        name="Live team",
        school="Live school",
        roles=["planner", "facilitator", "instructor"],
    )
    app.add_member(
        actor_id=LEAD, team_id=team_id, person_id=OBSERVER, name="Obs", roles=["observer"]
    )
    task_id = app.define_task(
        actor_id=LEAD,
        team_id=team_id,
        statement="Which bag gives the better chance of red?",
        subject="Mathematics",
        grade="7",
        topic="Probability",
        cognitive_demand="analyse",
    )
    entry_id = app.catalogue_misconception(
        actor_id=LEAD, team_id=team_id, statement="More balls means more chance", task_id=task_id
    )
    lesson_id = app.plan_lesson(actor_id=LEAD, team_id=team_id, task_id=task_id, title="Bags")
    app.change_plan_field(
        actor_id=LEAD,
        lesson_id=lesson_id,
        field="class_layout",
        value={"G1": ["G1-S1", "G1-S2"]},
        base_revision=None,
    )
    app.add_step(actor_id=LEAD, lesson_id=lesson_id, step_id="s1", fields={"minutes": 10})
    teaching_id = app.schedule_teaching(
        actor_id=LEAD, lesson_id=lesson_id, instructor_id=LEAD, class_label="7A"
    )
    app.start_teaching(actor_id=LEAD, teaching_id=teaching_id)
    return str(task_id), str(entry_id), str(teaching_id)


def query_latencies(
    engine: Engine, count: int, rng: random.Random, words: Sequence[str]
) -> tuple[list[float], list[float]]:
    """Seconds per task page (random tasks) and per search (random word prefixes)."""
    catalogue = Catalogue()
    queries = CatalogueQueries(engine, catalogue)
    with engine.connect() as db:
        task_ids = list(db.execute(select(catalogue.t.tasks.c.task_id)).scalars())
    pages, searches = [], []
    for _ in range(count):
        started = time.perf_counter()
        page = queries.task_page(rng.choice(task_ids))
        pages.append(time.perf_counter() - started)
        assert page is not None
        terms = [rng.choice(words)[: rng.randint(4, 8)] for _ in range(rng.randint(1, 2))]
        started = time.perf_counter()
        queries.misconceptions(Filters(q=" ".join(terms)), limit=20)
        searches.append(time.perf_counter() - started)
    return pages, searches

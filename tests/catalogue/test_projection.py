"""The catalogue projection: command, catch up, query; exactly once; restart; rebuild."""

from __future__ import annotations

from typing import Any

import pytest
from application.scenario import OBSERVER, START, FakeClock, note
from catalogue.history import History, build, dump, follow, record
from sqlalchemy import Engine

from lessonstudy.application import LessonStudy
from lessonstudy.projections import tracking
from lessonstudy.projections.catalogue import Catalogue, CatalogueQueries, Comparisons, Filters
from lessonstudy.projections.database import read_model_engine


@pytest.fixture
def history(database_url: str) -> tuple[History, Engine]:
    app = LessonStudy(database_url, clock=FakeClock(START))
    return build(app), read_model_engine(app.store)


def page_of(engine: Engine, catalogue: Catalogue, h: History) -> dict[str, Any]:
    found = CatalogueQueries(engine, catalogue).task_page(h.task_id)
    assert found is not None
    return found


def test_a_task_page_counts_quotes_and_helps_as_the_history_says(
    history: tuple[History, Engine],
) -> None:
    h, engine = history
    catalogue = Catalogue()
    assert follow(h.app, engine, catalogue).catch_up() > 0
    (entry,) = page_of(engine, catalogue, h)["misconceptions"]
    assert entry["id"] == h.entry_id
    assert entry["merged"] == [h.duplicate_id]  # the duplicate's numbers roll into it
    # fifty, again, group (through r2); direct (tagged with the duplicate); surprise
    # (amended to tag it); the retracted note and the strategy note do not count.
    assert entry["numbers"] == {
        "anticipated": 1,
        "observed": 5,
        "teachings": 1,
        "students": 3,  # G1-S1, G1-S2, G2-S1; the group is not a student
        "confirmed": 1,
    }
    quoted = [q["text"] for q in entry["quotes"]]
    assert "Still 50-50, two colours" not in quoted  # hidden by the curator
    assert "50-50 (wrong seat)" not in quoted  # retracted
    assert "Counts the white balls twice" in quoted
    assert all(set(q) == {"note_id", "text", "code", "kind"} for q in entry["quotes"])
    helpful = entry["helpful_responses"]
    assert helpful[0] == {
        "text": "Asked: if I add ten white balls, is it still 50-50?",
        "from": "discussion",
        "lesson_id": h.lesson_id,
    }
    assert entry["lessons"] == [
        {
            "lesson_id": h.lesson_id,
            "title": "Fair bags",
            "how": ["anticipated", "confirmed", "observed"],
        }
    ]


def test_the_merged_entry_answers_with_its_root(history: tuple[History, Engine]) -> None:
    h, engine = history
    catalogue = Catalogue()
    follow(h.app, engine, catalogue).catch_up()
    found = CatalogueQueries(engine, catalogue).misconception(h.duplicate_id)
    assert found is not None
    assert (found["id"], found["requested_id"]) == (h.entry_id, h.duplicate_id)
    assert [t["task_id"] for t in found["tasks"]] == [h.task_id]
    # The duplicate's words find the root entry.
    results = CatalogueQueries(engine, catalogue).misconceptions(Filters(q="whatever counts"))
    assert [c["id"] for c in results["items"]] == [h.entry_id]


def test_anticipated_against_observed_per_teaching(history: tuple[History, Engine]) -> None:
    h, engine = history
    catalogue = Catalogue()
    follow(h.app, engine, catalogue).catch_up()
    taught = Comparisons(engine, catalogue).teaching(h.teaching_id)
    assert taught is not None
    occurred = {a["response_id"]: (a["occurred"], a["notes"]) for a in taught["anticipated"]}
    assert occurred == {"r1": (True, 1), "r2": (True, 3), "r3": (False, 0)}
    assert [n["text"] for n in taught["unanticipated"]] == ["Counts the white balls twice"]
    assert taught["unanticipated"][0]["misconceptions"][0]["id"] == h.entry_id
    per_task = Comparisons(engine, catalogue).task(h.task_id)
    assert per_task is not None
    assert per_task["unanticipated"]["misconceptions"][0]["notes"] == 1


def test_catching_up_twice_changes_nothing(history: tuple[History, Engine]) -> None:
    h, engine = history
    catalogue = Catalogue()
    follower = follow(h.app, engine, catalogue)
    follower.catch_up()
    before = dump(engine, catalogue)
    assert follower.catch_up() == 0
    assert follow(h.app, engine, Catalogue()).catch_up() == 0  # a second follower too
    assert dump(engine, catalogue) == before


def test_one_event_at_a_time_or_all_at_once_gives_identical_tables(
    history: tuple[History, Engine],
) -> None:
    """The follower's path (one apply per event) against a rebuild's (one per batch)."""
    h, engine = history
    live, bulk = Catalogue(), Catalogue(prefix="bulk_", deferred_stats=True)
    follow(h.app, engine, live, batch=3).catch_up()
    follow(h.app, engine, bulk, batch=10_000).catch_up()
    with engine.begin() as db:
        bulk.finalize(db)
    assert dump(engine, bulk) == dump(engine, live)
    assert dump(engine, live)["cat_stats"]


def test_a_restarted_follower_resumes_at_its_position(history: tuple[History, Engine]) -> None:
    h, engine = history
    follow(h.app, engine, Catalogue()).catch_up()
    record(h, "late", note("Late: 50-50 again", "s2", "G2-S2", response_ids=["r2"]))
    restarted = Catalogue()  # a new process: empty caches, the position from the table
    assert follow(h.app, engine, restarted).catch_up() == 1
    with engine.connect() as db:
        assert tracking.read_position(db, "catalogue") == h.app.recorder.max_notification_id()
    (entry,) = page_of(engine, restarted, h)["misconceptions"]
    assert entry["numbers"]["observed"] == 6


def test_a_note_amended_to_another_misconception_moves_its_count(
    history: tuple[History, Engine],
) -> None:
    h, engine = history
    catalogue = Catalogue()
    follower = follow(h.app, engine, catalogue)
    follower.catch_up()
    other = h.app.catalogue_misconception(
        actor_id=OBSERVER, team_id=h.team_id, statement="Counts twice", task_id=h.task_id
    )
    h.app.amend_note(
        actor_id=OBSERVER,
        teaching_id=h.teaching_id,
        note_id=h.notes["direct"],
        changes={"misconception_ids": [str(other)]},
    )
    follower.catch_up()
    numbers = {
        c["id"]: c["numbers"]["observed"] for c in page_of(engine, catalogue, h)["misconceptions"]
    }
    assert numbers == {h.entry_id: 4, str(other): 1}

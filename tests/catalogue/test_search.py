"""Full-text search: the same answers from SQLite's FTS5 and PostgreSQL's tsvector."""

from __future__ import annotations

import pytest
from application.scenario import CURATOR, PLANNER, define_task, form_team
from catalogue.history import follow
from sqlalchemy import Engine

from lessonstudy.application import LessonStudy
from lessonstudy.projections.catalogue import Catalogue, CatalogueQueries, Filters
from lessonstudy.projections.database import read_model_engine

STATEMENTS = {
    "adds": "Adds numerators and denominators: 1/2 + 1/3 = 2/5",
    "longer": "Thinks a longer decimal is bigger: 0.125 > 0.5",
    "eleve": "L'élève croit que la fraction la plus grande a le plus grand dénominateur",
    "equal": "The equal sign means 'write the answer next'",
    "halves": "Thinks halves must be the same shape, not the same size",
}


class Searching:
    def __init__(self, database_url: str) -> None:
        self.app = LessonStudy(database_url)
        self.team = form_team(self.app)
        self.task = define_task(self.app, self.team)
        self.ids: dict[str, str] = {}
        for name, statement in STATEMENTS.items():
            entry = self.app.catalogue_misconception(
                actor_id=PLANNER,
                team_id=self.team,
                statement=statement,
                task_id=self.task if name in ("adds", "halves") else None,
                topic="rational numbers" if name != "equal" else "equations",
                subject="Mathematics",
            )
            self.ids[name] = str(entry)
        self.engine: Engine = read_model_engine(self.app.store)
        self.catalogue = Catalogue()
        self.follower = follow(self.app, self.engine, self.catalogue)
        self.follower.catch_up()

    def find(self, q: str, **filters: str) -> list[str]:
        found = CatalogueQueries(self.engine, self.catalogue).misconceptions(
            Filters(q=q, **filters), limit=50
        )
        names = {entry_id: name for name, entry_id in self.ids.items()}
        result = [names.get(card["id"], card["id"]) for card in found["items"]]
        assert found["total"] == len(result)
        return result


@pytest.fixture
def searching(database_url: str) -> Searching:
    return Searching(database_url)


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("denominat", ["eleve", "adds"]),  # "dénominateur" too: a prefix, without accents
        ("denominators", ["adds"]),
        ("fract", ["eleve"]),
        ("FRACTION", ["eleve"]),
        ("eleve", ["eleve"]),
        ("élève", ["eleve"]),
        ("bigger decimal", ["longer"]),  # every word, in any order
        ("bigger equal", []),
        ("0 125", ["longer"]),
        ("same size", ["halves"]),
        ("", ["halves", "equal", "eleve", "longer", "adds"]),  # browsing: all of them
    ],
)
def test_words_find_the_same_entries_on_every_store(
    searching: Searching, q: str, expected: list[str]
) -> None:
    found = searching.find(q)
    if q:
        assert found == expected  # the newest entry first
    else:
        assert sorted(found) == sorted(expected)


@pytest.mark.parametrize(
    "q", ['"', "*", "a OR b", "NEAR(x y)", "-x", "x:*", "'; DROP TABLE x", "!!"]
)
def test_query_syntax_is_only_ever_words(searching: Searching, q: str) -> None:
    assert searching.find(q) == []


def test_filters_narrow_a_search(searching: Searching) -> None:
    assert searching.find("the", topic="equations") == ["equal"]
    assert searching.find("thinks", task_id=searching.task) == ["halves"]
    assert searching.find("thinks", subject="Mathematics") == ["halves", "longer"]


def test_an_edited_or_merged_entry_is_found_by_its_words_now(searching: Searching) -> None:
    app, team = searching.app, searching.team
    app.edit_misconception(
        actor_id=CURATOR,
        team_id=team,
        misconception_id=searching.ids["longer"],
        statement="Compares decimals by their length",
    )
    app.merge_misconceptions(
        actor_id=CURATOR,
        team_id=team,
        source_id=searching.ids["halves"],
        target_id=searching.ids["adds"],
    )
    searching.follower.catch_up()
    assert searching.find("bigger") == []
    assert searching.find("length decimals") == ["longer"]
    assert searching.find("halves") == ["adds"]  # the merged words find the entry merged into
    assert searching.find("numerators") == ["adds"]

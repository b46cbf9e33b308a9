"""The curation API: reword an entry, merge a duplicate, hide a quote, an entry's history;
each refusal's shape, each role; and the catalogue's views following every change."""

from __future__ import annotations

from functools import partial
from typing import Any

import pytest
from server.site import Person, ok, refused
from server.world import World

TEAMS = "/api/v1/teams"
CATALOGUE = "/api/v1/catalogue/misconceptions"


class Curation:
    """The world, with Cam on the team as its curator and a lesson taught once."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.site = world.site
        self.cam = world.site.sign_up("Cam")
        body = {"email": "cam@school.example", "roles": ["curator"]}
        ok(world.ana.post(f"{TEAMS}/{world.team_id}/members", body), 201)
        self.entry_id = world.misconception_id
        # Another team's words for the same thing, on the same task: the duplicate.
        duplicate = {"statement": "Picks the bag with more red ones", "task_id": world.task_id}
        self.duplicate_id = ok(world.ana.post(f"{TEAMS}/{world.team_id}/misconceptions", duplicate),
                               201)["id"]  # fmt: skip
        self.teaching_id = self._teach()

    def _teach(self) -> str:
        w = self.world
        body = {"instructor_id": w.ana.id, "class_label": "6A"}
        teaching_id: str = ok(w.ana.post(f"/api/v1/lessons/{w.lesson_id}/teachings", body), 201)[
            "id"
        ]
        ok(w.ana.post(f"/api/v1/teachings/{teaching_id}/start", {}))
        notes = [
            ("note-0", "G1-S1", "B has more red, so B", [self.entry_id]),
            ("note-1", "G1-S2", "More red balls win", [self.entry_id]),
            ("note-2", "G2-S1", "I pick the one with lots of red", [self.duplicate_id]),
        ]
        for note_id, code, text, tags in notes:
            self.site.services.service.record_note(
                actor_id=w.obi.id,
                teaching_id=teaching_id,
                note_id=note_id,
                subject_kind="seat",
                subject_code=code,
                kind="student_talk",
                text=text,
                step_id=w.step_id,
                misconception_ids=tags,
            )
        self.site.settle()
        return teaching_id

    def url(self, entry_id: str, what: str) -> str:
        return f"{TEAMS}/{self.world.team_id}/misconceptions/{entry_id}/{what}"

    def version(self, entry_id: str) -> int:
        return self.site.services.service.get_misconception(entry_id).version

    def entry(self, person: Person, entry_id: str) -> dict[str, Any]:
        found: dict[str, Any] = ok(person.get(f"{CATALOGUE}/{entry_id}"))
        return found


@pytest.fixture
def c(world: World) -> Curation:
    return Curation(world)


@pytest.fixture
def m(memory_world: World) -> Curation:
    return Curation(memory_world)


# --- rewording -----------------------------------------------------------------------


def test_a_curator_rewords_an_entry_and_the_catalogue_reads_the_new_words(c: Curation) -> None:
    version = c.version(c.entry_id)
    body = {"statement": "Judges by the number of red balls, not the fraction", "version": version}
    entry = ok(c.cam.put(c.url(c.entry_id, "statement"), body))
    assert (entry["id"], entry["statement"]) == (c.entry_id, body["statement"])
    assert entry["version"] == version + 1
    assert entry["numbers"]["observed"] == 2  # the answer is the catalogue's entry
    # Anyone signed in reads the new words, and search finds them (not the old ones).
    assert c.entry(c.world.nia, c.entry_id)["statement"] == body["statement"]
    found = ok(c.world.nia.get(CATALOGUE, query_string={"q": "fraction"}))["items"]
    assert [e["id"] for e in found] == [c.entry_id]


def test_a_stale_version_is_a_conflict_with_the_entry_as_it_is(m: Curation) -> None:
    url, version = m.url(m.entry_id, "statement"), m.version(m.entry_id)
    ok(m.cam.put(url, {"statement": "First curator's words", "version": version}))
    found = refused(m.site, 409, lambda: m.cam.put(url, {"statement": "Late", "version": version}))
    assert found["code"] == "conflict" and "version" in found["fields"]
    assert found["current"]["id"] == m.entry_id
    assert found["current"]["statement"] == "First curator's words"
    assert found["current"]["version"] == version + 1
    assert "numbers" in found["current"]  # the same entry JSON as a success


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"version": 1}, "statement"),
        ({"statement": "   ", "version": 1}, "statement"),
        ({"statement": "x" * 2001, "version": 1}, "statement"),
        ({"statement": "Bad\x00byte", "version": 1}, "statement"),
        ({"statement": "Fine"}, "version"),
        ({"statement": "Fine", "version": 0}, "version"),
        ({"statement": "Fine", "version": "two"}, "version"),
        ({"statement": "Fine", "version": 1, "why": "x"}, "why"),
    ],
)
def test_a_bad_statement_body_names_the_field_and_writes_nothing(
    m: Curation, body: dict[str, Any], field: str
) -> None:
    found = refused(m.site, 422, lambda: m.cam.put(m.url(m.entry_id, "statement"), body))
    assert field in found["fields"]


def test_an_unknown_entry_is_404_before_the_body_is_read(m: Curation) -> None:
    unknown = "00000000-0000-4000-8000-000000000000"
    for what, body in [("statement", {}), ("merge", {}), ("hidden-quotes", {})]:
        method = "PUT" if what == "statement" else "POST"
        found = refused(m.site, 404, partial(m.cam.call, method, m.url(unknown, what), body))
        assert "misconception_id" in found["fields"]
    found = refused(m.site, 404, lambda: m.cam.get(f"/api/v1/misconceptions/{unknown}/history"))
    assert "misconception_id" in found["fields"]


def test_only_a_curator_of_the_team_may_curate(m: Curation) -> None:
    w = m.world
    bodies = {
        "statement": {"statement": "Other words", "version": m.version(m.entry_id)},
        "merge": {"into": m.entry_id},
        "hidden-quotes": {"note_id": "note-0"},
    }
    for what, body in bodies.items():
        entry_id = m.duplicate_id if what == "merge" else m.entry_id
        method = "PUT" if what == "statement" else "POST"
        url = m.url(entry_id, what)
        # Ana plans and facilitates, Obi observes: neither curates. Nia is on no team.
        for person in (w.ana, w.obi, w.nia):
            found = refused(m.site, 403, partial(person.call, method, url, body))
            assert found["code"] == "forbidden"
        refused(m.site, 401, partial(w.visitor.call, method, url, body))
    # A curator of another team curates through their own team, not this one.
    other = m.site.sign_up("Oda")
    team = ok(other.post(TEAMS, {"name": "Y5", "school": "Dale School"}), 201)["id"]
    ok(other.put(f"{TEAMS}/{team}/members/{other.id}", {"roles": ["planner", "curator"]}))
    refused(m.site, 403, lambda: other.post(m.url(m.entry_id, "hidden-quotes"), {"note_id": "x"}))
    own_team = f"{TEAMS}/{team}/misconceptions/{m.entry_id}/hidden-quotes"
    assert ok(other.post(own_team, {"note_id": "note-0"}))["id"] == m.entry_id


# --- merging -------------------------------------------------------------------------


def test_a_merge_moves_numbers_quotes_and_sources_to_the_absorbing_entry(c: Curation) -> None:
    before = c.entry(c.world.nia, c.entry_id)
    assert before["numbers"]["observed"] == 2
    entry = ok(c.cam.post(c.url(c.duplicate_id, "merge"), {"into": c.entry_id}))
    assert entry["id"] == c.entry_id and entry["merged"] == [c.duplicate_id]
    assert entry["version"] == c.version(c.entry_id)
    assert entry["numbers"]["observed"] == 3 and entry["numbers"]["students"] == 3
    assert "I pick the one with lots of red" in {q["text"] for q in entry["quotes"]}
    # The duplicate now answers with the entry it was merged into; lists show one entry.
    merged = c.entry(c.world.nia, c.duplicate_id)
    assert (merged["id"], merged["requested_id"]) == (c.entry_id, c.duplicate_id)
    page = ok(c.world.nia.get(f"/api/v1/catalogue/tasks/{c.world.task_id}"))
    assert [e["id"] for e in page["misconceptions"]] == [c.entry_id]
    assert page["misconceptions"][0]["numbers"]["observed"] == 3


def test_merges_the_domain_refuses_name_the_field(m: Curation) -> None:
    into_itself = refused(
        m.site, 422, lambda: m.cam.post(m.url(m.entry_id, "merge"), {"into": m.entry_id})
    )
    assert "into" in into_itself["fields"]
    unknown = {"into": "00000000-0000-4000-8000-000000000000"}
    assert (
        "into"
        in refused(m.site, 422, lambda: m.cam.post(m.url(m.entry_id, "merge"), unknown))["fields"]
    )
    for body, field in [
        ({}, "into"),
        ({"into": "bag"}, "into"),
        ({"into": m.entry_id, "x": 1}, "x"),
    ]:
        found = refused(m.site, 422, lambda b=body: m.cam.post(m.url(m.duplicate_id, "merge"), b))
        assert field in found["fields"]
    ok(m.cam.post(m.url(m.duplicate_id, "merge"), {"into": m.entry_id}))
    # Into an entry that was itself merged; and merging the merged entry again.
    other = {"statement": "Red wins", "topic": "probability"}
    third = ok(m.world.ana.post(f"{TEAMS}/{m.world.team_id}/misconceptions", other), 201)["id"]
    found = refused(
        m.site, 409, lambda: m.cam.post(m.url(third, "merge"), {"into": m.duplicate_id})
    )
    assert (found["code"], list(found["fields"])) == ("wrong_stage", ["into"])
    found = refused(
        m.site, 409, lambda: m.cam.post(m.url(m.duplicate_id, "merge"), {"into": third})
    )
    assert (found["code"], list(found["fields"])) == ("wrong_stage", ["misconception_id"])
    # A merged entry is changed through the one that absorbed it.
    body = {"statement": "New words", "version": m.version(m.duplicate_id)}
    found = refused(m.site, 409, lambda: m.cam.put(m.url(m.duplicate_id, "statement"), body))
    assert list(found["fields"]) == ["misconception_id"]


# --- hiding a quote --------------------------------------------------------------------


def test_a_hidden_quote_leaves_the_catalogue_but_still_counts(c: Curation) -> None:
    body = {"note_id": "note-0", "reason": "the seat code and words identify a student"}
    entry = ok(c.cam.post(c.url(c.entry_id, "hidden-quotes"), body))
    quoted = {q["text"] for q in entry["quotes"]}
    assert "B has more red, so B" not in quoted and "More red balls win" in quoted
    assert entry["numbers"]["observed"] == 2  # hidden from readers, not from the numbers
    assert entry["version"] == c.version(c.entry_id)
    shown = c.entry(c.world.nia, c.entry_id)
    assert "B has more red, so B" not in {q["text"] for q in shown["quotes"]}
    # Hiding it again changes nothing.
    head = c.site.head()
    assert ok(c.cam.post(c.url(c.entry_id, "hidden-quotes"), body))["version"] == entry["version"]
    assert c.site.head() == head


def test_only_a_note_the_entry_quotes_can_be_hidden_and_a_refusal_writes_nothing(
    m: Curation,
) -> None:
    head = m.site.head()
    url = m.url(m.entry_id, "hidden-quotes")
    for note_id in ("note-9", "note-2"):  # no such note; a note quoted under the duplicate
        found = refused(m.site, 422, partial(m.cam.post, url, {"note_id": note_id}))
        assert list(found["fields"]) == ["note_id"]
    assert m.site.head() == head
    # Once the duplicate is merged in, the entry quotes its notes too.
    ok(m.cam.post(m.url(m.duplicate_id, "merge"), {"into": m.entry_id}))
    entry = ok(m.cam.post(m.url(m.entry_id, "hidden-quotes"), {"note_id": "note-2"}))
    assert "I pick the one with lots of red" not in {q["text"] for q in entry["quotes"]}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "note_id"),
        ({"note_id": ""}, "note_id"),
        ({"note_id": "n" * 65}, "note_id"),
        ({"note_id": "note-0", "reason": "r" * 501}, "reason"),
        ({"note_id": "note-0", "extra": True}, "extra"),
    ],
)
def test_a_bad_hidden_quote_body_names_the_field(
    m: Curation, body: dict[str, Any], field: str
) -> None:
    found = refused(m.site, 422, lambda: m.cam.post(m.url(m.entry_id, "hidden-quotes"), body))
    assert field in found["fields"]


# --- history ---------------------------------------------------------------------------


def test_the_history_shows_edits_merges_and_hidden_quotes(c: Curation) -> None:
    ok(c.cam.post(c.url(c.duplicate_id, "merge"), {"into": c.entry_id}))
    body = {"statement": "Compares counts of red, not chances", "version": c.version(c.entry_id)}
    ok(c.cam.put(c.url(c.entry_id, "statement"), body))
    ok(c.cam.post(c.url(c.entry_id, "hidden-quotes"), {"note_id": "note-1", "reason": "names"}))

    changes = ok(c.cam.get(f"/api/v1/misconceptions/{c.entry_id}/history"))
    assert [ch["what"] for ch in changes] == [
        "created",
        "absorbed",
        "statement_edited",
        "quote_hidden",
    ]
    created, absorbed, edited, hidden = changes
    assert created["statement"] == "More red balls means a better chance"
    assert (created["by_name"], absorbed["by_name"]) == ("Ana", "Cam")
    assert absorbed["absorbed"] == c.duplicate_id
    assert (
        absorbed["summary"] == "Absorbed the duplicate \u201cPicks the bag with more red ones\u201d"
    )
    assert edited["before"] == "More red balls means a better chance"
    assert edited["statement"] == body["statement"]
    assert (hidden["note_id"], hidden["reason"]) == ("note-1", "names")
    assert [ch["version"] for ch in changes] == sorted(ch["version"] for ch in changes)

    duplicate = ok(c.cam.get(f"/api/v1/misconceptions/{c.duplicate_id}/history"))
    assert [ch["what"] for ch in duplicate] == ["created", "merged_into"]
    assert duplicate[1]["into"] == c.entry_id
    assert duplicate[1]["other_statement"] == body["statement"]  # its words now

    # Readers outside the team see what changed, not who changed it.
    for change in ok(c.world.nia.get(f"/api/v1/misconceptions/{c.entry_id}/history")):
        assert "by" not in change and "by_name" not in change
    refused(
        c.site, 401, lambda: c.world.visitor.get(f"/api/v1/misconceptions/{c.entry_id}/history")
    )

"""The catalogue's REST API: pages, search, comparisons, exports, and every refusal."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from server.site import error as refused
from server.site import ok
from server.world import World

from lessonstudy.exports.catalogue_export import csv_row

API = "/api/v1/catalogue"


@pytest.fixture
def taught(world: World) -> dict[str, Any]:
    """The world's lesson taught once, with three notes from Obi (an observer)."""
    service, ana = world.site.services.service, world.ana
    body = {"instructor_id": ana.id, "class_label": "6A"}
    teaching_id = ok(ana.post(f"/api/v1/lessons/{world.lesson_id}/teachings", body), 201)["id"]
    ok(ana.post(f"/api/v1/teachings/{teaching_id}/start", {}))
    notes = [
        ("G1-S1", "B has more red, so B", ["r1"], []),
        ("G1-S2", "=B because 6 > 3", ["r1"], []),  # a spreadsheet would run this
        ("G2-S1", "-3 red is fewer", [], [world.misconception_id]),
    ]
    for number, (code, text, responses, tags) in enumerate(notes):
        service.record_note(
            actor_id=world.obi.id,
            teaching_id=teaching_id,
            note_id=f"note-{number}",
            subject_kind="seat",
            subject_code=code,
            kind="student_talk",
            text=text,
            step_id=world.step_id,
            response_ids=responses,
            misconception_ids=tags,
        )
    world.site.settle()
    return {"teaching_id": teaching_id}


def test_a_task_page_has_the_numbers_and_quotes(world: World, taught: dict[str, Any]) -> None:
    page = ok(world.nia.get(f"{API}/tasks/{world.task_id}"))  # on no team: still readable
    assert page["task"]["task_id"] == world.task_id
    (entry,) = page["misconceptions"]
    assert entry["id"] == world.misconception_id
    assert entry["numbers"] == {
        "anticipated": 1,
        "observed": 3,
        "teachings": 1,
        "students": 3,
        "confirmed": 0,
    }
    assert {q["text"] for q in entry["quotes"]} == {
        "B has more red, so B",
        "=B because 6 > 3",
        "-3 red is fewer",
    }
    assert all(set(q) == {"note_id", "text", "code", "kind"} for q in entry["quotes"])
    facets = ok(world.nia.get(f"{API}/facets"))
    assert facets["topic"] == [{"value": "probability", "tasks": 1}]
    tasks = ok(world.nia.get(f"{API}/tasks?topic=probability"))
    assert tasks["total"] == 1 and tasks["items"][0]["observed"] == 3


def test_search_finds_by_words_and_refuses_bad_queries(
    world: World, taught: dict[str, Any]
) -> None:
    found = ok(world.nia.get(f"{API}/misconceptions?q=more%20RED&detail=true"))
    assert [c["id"] for c in found["items"]] == [world.misconception_id]
    assert found["total"] == 1 and found["items"][0]["quotes"]
    assert ok(world.nia.get(f"{API}/misconceptions?q=zebra"))["items"] == []
    assert ok(world.nia.get(f"{API}/misconceptions?q=%21%21"))["total"] == 0
    assert "limit" in refused(world.nia.get(f"{API}/misconceptions?limit=101"), 422)["fields"]
    assert "colour" in refused(world.nia.get(f"{API}/misconceptions?colour=red"), 422)["fields"]
    assert refused(world.visitor.get(f"{API}/misconceptions"), 401)["code"] == "not_signed_in"


def test_an_entry_and_what_is_missing(world: World, taught: dict[str, Any]) -> None:
    entry = ok(world.nia.get(f"{API}/misconceptions/{world.misconception_id}"))
    assert entry["requested_id"] == world.misconception_id
    assert [t["task_id"] for t in entry["tasks"]] == [world.task_id]
    missing = "00000000-0000-4000-8000-000000000000"
    assert refused(world.nia.get(f"{API}/misconceptions/{missing}"), 404)["fields"] == {
        "misconception_id": [f"no misconception {missing}"]
    }
    assert refused(world.nia.get(f"{API}/tasks/{missing}"), 404)["code"] == "not_found"
    assert world.nia.get(f"{API}/tasks/not-an-id").status_code == 404


def test_anticipated_against_observed_is_for_the_team(world: World, taught: dict[str, Any]) -> None:
    path = f"{API}/teachings/{taught['teaching_id']}/comparison"
    mine = ok(world.obi.get(path))
    assert mine["counts"] == {
        "anticipated": 1,
        "occurred": 1,
        "not_occurred": 0,
        "unanticipated": 0,
    }
    assert mine["anticipated"][0]["notes"] == 2
    assert refused(world.nia.get(path), 403)["code"] == "forbidden"
    lesson = ok(world.obi.get(f"{API}/lessons/{world.lesson_id}/comparison"))
    assert [v["plan_version"] for v in lesson["versions"]] == [1]
    per_task = ok(world.nia.get(f"{API}/tasks/{world.task_id}/comparison"))
    assert per_task["responses"][0]["occurred_in"] == 1


def test_the_catalogue_and_a_search_export_as_csv_and_json(
    world: World, taught: dict[str, Any]
) -> None:
    answer = world.nia.get(f"{API}/export?format=csv&q=red")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/csv")
    assert 'filename="catalogue-search.csv"' in answer.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(answer.get_data(as_text=True))))
    assert [row["id"] for row in rows] == [world.misconception_id]
    assert (rows[0]["observed"], rows[0]["students"]) == ("3", "3")
    quotes = rows[0]["quotes"].split(" | ")
    assert "G1-S2: =B because 6 > 3" in quotes  # inside a cell, after the code: harmless
    assert all(not cell.startswith(("=", "+", "-", "@")) for cell in rows[0].values())
    as_json = world.nia.get(f"{API}/export?format=json")
    assert as_json.headers["Content-Type"].startswith("application/json")
    body = as_json.get_json()
    assert [item["id"] for item in body["items"]] == [world.misconception_id]
    assert body["items"][0]["numbers"]["observed"] == 3
    assert body["filters"]["q"] == ""
    assert "format" in refused(world.nia.get(f"{API}/export?format=xlsx"), 422)["fields"]


def test_a_cell_that_starts_like_a_formula_is_defused_in_csv() -> None:
    card = {"id": "x", "statement": "=HYPERLINK(1)", "numbers": {}, "quotes": []}
    row = dict(zip(("id", "statement"), csv_row(card)[:2], strict=True))
    assert row["statement"] == "'=HYPERLINK(1)"

"""The post-lesson discussion over REST: every route, its phase rules, the citation rule,
who may do what, and a refusal for each kind of bad request that writes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from realtime.discussing import Discussed, discussed
from realtime.room import teach_lesson
from server.site import Person, error, ok, refused
from server.world import World

from lessonstudy.domain.discussion import PHASES

NOBODY = "00000000-0000-4000-8000-000000000000"


@pytest.fixture
def talk(memory_world: World) -> Discussed:
    return discussed(memory_world, with_guest=True)


def guest_knowledgeable_other(talk: Discussed) -> Person:
    assert talk.kit is not None
    return talk.kit


def test_opening_is_idempotent_and_reads_the_whole_board(world: World) -> None:
    talk = discussed(world)
    again = ok(world.ana.post(f"{talk.lesson.url}/discussion"), 200)
    assert again["discussion"]["id"] == talk.discussion_id
    board = ok(world.obi.get(talk.url))
    assert board["discussion"]["phase"] == "instructor_reflection"
    assert board["discussion"]["phases"] == list(PHASES)
    assert board["discussion"]["teaching_id"] == talk.lesson.teaching_id
    assert sorted(n["note_id"] for n in board["notes"]) == sorted(talk.notes)
    assert [s["id"] for s in board["teaching"]["steps"]] == ["s1", "s2"]
    # The plan's anticipated misconception is on the table, by its statement.
    assert board["misconceptions"] == {
        world.misconception_id: "More red balls means a better chance"
    }
    assert board["you"] == {
        "person_id": world.obi.id,
        "name": "Obi",
        "guest": False,
        "facilitator": False,
    }
    assert ok(world.ana.get(talk.url))["you"]["facilitator"] is True


def test_opening_needs_a_taught_lesson_and_the_facilitator(memory_world: World) -> None:
    world = memory_world
    lesson = teach_lesson(world)  # started, not ended
    site = world.site
    stage = refused(site, 409, lambda: world.ana.post(f"{lesson.url}/discussion"))
    assert stage["code"] == "wrong_stage" and "teaching_id" in stage["fields"]
    ok(world.ana.post(f"{lesson.url}/end"))
    refused(site, 403, lambda: world.obi.post(f"{lesson.url}/discussion"))
    refused(site, 403, lambda: world.nia.post(f"{lesson.url}/discussion"))
    refused(site, 401, lambda: world.visitor.post(f"{lesson.url}/discussion"))
    refused(site, 404, lambda: world.ana.post(f"/api/v1/teachings/{NOBODY}/discussion"))


def test_reading_is_for_the_teaching_s_team_and_guests(talk: Discussed) -> None:
    world, site = talk.world, talk.world.site
    refused(site, 401, lambda: world.visitor.get(talk.url))
    refused(site, 403, lambda: world.nia.get(talk.url))
    refused(site, 404, lambda: world.ana.get(f"/api/v1/discussions/{NOBODY}"))
    refused(site, 404, lambda: world.ana.get("/api/v1/discussions/not-a-uuid"))
    kit = guest_knowledgeable_other(talk)
    assert ok(kit.get(talk.url))["you"]["guest"] is True


def test_phases_move_on_one_at_a_time_and_back_is_recorded(talk: Discussed) -> None:
    world, site = talk.world, talk.world.site
    skip = refused(site, 409, lambda: world.ana.put(f"{talk.url}/phase", {"phase": "patterns"}))
    assert skip["code"] == "wrong_stage" and "planning_team" in skip["message"]
    assert "phase" in skip["fields"]
    talk.to_phase("patterns")
    back = ok(world.ana.put(f"{talk.url}/phase", {"phase": "observations"}))
    assert back["phase"] == "observations"
    assert [(e["phase"], e.get("direction")) for e in back["phase_log"]][-2:] == [
        ("patterns", "forward"),
        ("observations", "back"),
    ]
    assert back["phase_log"][-1]["by"] == world.ana.id
    # An observer does not move the discussion; a phase that does not exist is a bad body.
    refused(site, 403, lambda: world.obi.put(f"{talk.url}/phase", {"phase": "patterns"}))
    bad = refused(site, 422, lambda: world.ana.put(f"{talk.url}/phase", {"phase": "chat"}))
    assert "phase" in bad["fields"]
    extra = refused(
        site, 422, lambda: world.ana.put(f"{talk.url}/phase", {"phase": "patterns", "x": 1})
    )
    assert "x" in extra["fields"]


def test_a_next_from_a_stale_screen_is_a_conflict_with_the_current_discussion(
    talk: Discussed,
) -> None:
    world, site = talk.world, talk.world.site
    body = {"phase": "planning_team", "from_phase": "instructor_reflection"}
    ok(world.ana.put(f"{talk.url}/phase", body))
    # A second facilitator's screen still showed the first phase: its "next" is not a skip.
    again = ok(world.ana.put(f"{talk.url}/phase", body))
    assert again["phase"] == "planning_team"
    stale = {"phase": "observations", "from_phase": "instructor_reflection"}
    conflict = refused(site, 409, lambda: world.ana.put(f"{talk.url}/phase", stale))
    assert conflict["code"] == "conflict"
    assert conflict["current"]["phase"] == "planning_team"
    assert conflict["current"]["discussion"]["phase"] == "planning_team"


def test_the_instructor_speaks_first_and_the_knowledgeable_other_last(talk: Discussed) -> None:
    world, site = talk.world, talk.world.site
    said = {"contribution_id": "c1", "text": "I expected more groups to compare ratios."}
    first = refused(site, 403, lambda: world.obi.post(f"{talk.url}/contributions", said))
    assert "instructor" in first["message"]
    state = ok(world.ana.post(f"{talk.url}/contributions", said), 201)
    assert state["contributions"] == [
        {
            "contribution_id": "c1",
            "phase": "instructor_reflection",
            "by": world.ana.id,
            "text": said["text"],
            "note_ids": [],
            "step_id": None,
        }
    ]
    ok(world.ana.post(f"{talk.url}/contributions", said), 201)  # a resend: stored once
    assert len(talk.state()["contributions"]) == 1
    talk.to_phase("knowledgeable_other")
    kit = guest_knowledgeable_other(talk)
    final = {"contribution_id": "c2", "text": "Counting is a step toward ratio."}
    refused(site, 403, lambda: world.obi.post(f"{talk.url}/contributions", final))
    done = ok(kit.post(f"{talk.url}/contributions", {**final, "note_ids": talk.notes[:1]}), 201)
    assert done["contributions"][-1]["by"] == kit.id
    assert done["contributions"][-1]["note_ids"] == talk.notes[:1]
    blank = refused(
        site, 422, lambda: kit.post(f"{talk.url}/contributions", {**final, "text": "  "})
    )
    assert "text" in blank["fields"]
    nowhere = {**final, "contribution_id": "c3", "step_id": "s9"}
    step = refused(site, 422, lambda: kit.post(f"{talk.url}/contributions", nowhere))
    assert "step_id" in step["fields"]
    about = ok(kit.post(f"{talk.url}/contributions", {**nowhere, "step_id": "s2"}), 201)
    assert about["contributions"][-1]["step_id"] == "s2"


def test_notes_are_clustered_into_named_patterns_in_their_phases(talk: Discussed) -> None:
    world, site = talk.world, talk.world.site
    n = talk.notes
    body = {"pattern_id": "p1", "name": "Counts reds only", "note_ids": n[:2]}
    early = refused(site, 409, lambda: world.obi.post(f"{talk.url}/patterns", body))
    assert early["code"] == "wrong_stage" and "observations" in early["message"]
    talk.to_phase("observations")
    state = ok(world.obi.post(f"{talk.url}/patterns", body), 201)
    assert state["patterns"] == [
        {"pattern_id": "p1", "name": "Counts reds only", "note_ids": n[:2], "by": world.obi.id}
    ]
    empty = {"pattern_id": "p2", "name": "Ratios", "note_ids": []}
    cited = refused(site, 422, lambda: world.obi.post(f"{talk.url}/patterns", empty))
    assert cited["code"] == "evidence_required" and "note_ids" in cited["fields"]
    unknown = {**empty, "note_ids": ["no-such-note"]}
    refused(site, 422, lambda: world.obi.post(f"{talk.url}/patterns", unknown))
    ok(world.obi.post(f"{talk.url}/patterns", {**empty, "note_ids": [n[2]]}), 201)
    # Move a card from p1 to p2, then back onto the wall.
    placed = ok(world.ana.put(f"{talk.url}/notes/{n[1]}/pattern", {"pattern_id": "p2"}))
    assert [p["note_ids"] for p in placed["patterns"]] == [[n[0]], [n[2], n[1]]]
    wall = ok(
        world.ana.put(
            f"{talk.url}/notes/{n[1]}/pattern", {"pattern_id": None, "from_pattern_id": "p2"}
        )
    )
    assert [p["note_ids"] for p in wall["patterns"]] == [[n[0]], [n[2]]]
    # Someone else moved it meanwhile: a conflict with where it is now.
    stale = {"pattern_id": "p1", "from_pattern_id": "p2"}
    moved = refused(site, 409, lambda: world.obi.put(f"{talk.url}/notes/{n[1]}/pattern", stale))
    assert moved["current"]["pattern_id"] is None
    assert moved["current"]["discussion"]["patterns"][1]["note_ids"] == [n[2]]
    into_nothing = {"pattern_id": "p9"}
    bad = refused(
        site, 422, lambda: world.obi.put(f"{talk.url}/notes/{n[1]}/pattern", into_nothing)
    )
    assert "pattern_id" in bad["fields"]
    no_note = refused(
        site, 404, lambda: world.obi.put(f"{talk.url}/notes/nope/pattern", {"pattern_id": "p1"})
    )
    assert "note_id" in no_note["fields"]
    # Renaming, and renaming from a stale name.
    renamed = ok(world.obi.put(f"{talk.url}/patterns/p1/name", {"name": "Only counts"}))
    assert renamed["patterns"][0]["name"] == "Only counts"
    stale_name = {"name": "Counting", "base_name": "Counts reds only"}
    clash = refused(site, 409, lambda: world.ana.put(f"{talk.url}/patterns/p1/name", stale_name))
    assert clash["current"]["name"] == "Only counts"
    refused(site, 404, lambda: world.obi.put(f"{talk.url}/patterns/p9/name", {"name": "X"}))
    refused(site, 403, lambda: world.nia.put(f"{talk.url}/patterns/p1/name", {"name": "X"}))
    # After the patterns phase the wall is fixed.
    talk.to_phase("prediction")
    late = refused(
        site, 409, lambda: world.obi.put(f"{talk.url}/notes/{n[3]}/pattern", {"pattern_id": "p1"})
    )
    assert late["code"] == "wrong_stage"


def test_claims_cite_notes_and_belong_to_their_phases(talk: Discussed) -> None:
    world, site = talk.world, talk.world.site
    claim = {"claim_id": "k1", "text": "Students compare counts, not chances."}
    talk.to_phase("planning_team")
    refused(
        site,
        409,
        lambda: world.obi.post(f"{talk.url}/claims", {**claim, "note_ids": talk.notes[:1]}),
    )
    talk.to_phase("prediction")
    uncited = refused(site, 422, lambda: world.obi.post(f"{talk.url}/claims", claim))
    assert uncited["code"] == "evidence_required"
    assert uncited["message"] == "cite at least one note as evidence"
    state = ok(world.obi.post(f"{talk.url}/claims", {**claim, "note_ids": talk.notes[:2]}), 201)
    assert state["claims"][0] == {
        "claim_id": "k1",
        "phase": "prediction",
        "text": claim["text"],
        "note_ids": talk.notes[:2],
        "by": world.obi.id,
    }


def test_a_misconception_is_confirmed_only_with_evidence_by_the_facilitator(
    talk: Discussed,
) -> None:
    world, site = talk.world, talk.world.site
    talk.to_phase("patterns")
    body: dict[str, Any] = {"misconception_id": world.misconception_id, "note_ids": []}
    refused(site, 403, lambda: world.obi.post(f"{talk.url}/confirmations", body))
    uncited = refused(site, 422, lambda: world.ana.post(f"{talk.url}/confirmations", body))
    assert uncited["code"] == "evidence_required" and "note_ids" in uncited["fields"]
    unknown = {**body, "misconception_id": NOBODY, "note_ids": talk.notes[:1]}
    gone = refused(site, 422, lambda: world.ana.post(f"{talk.url}/confirmations", unknown))
    assert "misconception_id" in gone["fields"]
    cited = {**body, "note_ids": talk.notes[:2], "helpful_responses": "Ask: out of how many?"}
    state = ok(world.ana.post(f"{talk.url}/confirmations", cited), 201)
    assert state["confirmed"] == [
        {
            "misconception_id": world.misconception_id,
            "statement": "More red balls means a better chance",
            "note_ids": talk.notes[:2],
            "helpful_responses": "Ask: out of how many?",
            "by": world.ana.id,
        }
    ]
    talk.to_phase("prediction")
    again = {**cited, "note_ids": talk.notes[:3]}
    late = refused(site, 409, lambda: world.ana.post(f"{talk.url}/confirmations", again))
    assert late["code"] == "wrong_stage"


def test_revisions_are_proposed_with_evidence_and_decided_by_the_facilitator(
    talk: Discussed,
) -> None:
    world, site = talk.world, talk.world.site
    change = {"op": "change_step", "step_id": "s1", "field": "minutes", "value": 15}
    body = {
        "revision_id": "rev-1",
        "summary": "More time to compare the bags",
        "changes": [change],
        "note_ids": talk.notes[:1],
    }
    early = refused(site, 409, lambda: world.obi.post(f"{talk.url}/revisions", body))
    assert "next_steps" in early["message"]
    talk.to_phase("next_steps")
    wrong_op = {**body, "changes": [{"op": "rewrite"}]}
    bad = refused(site, 422, lambda: world.obi.post(f"{talk.url}/revisions", wrong_op))
    assert "changes.0.op" in bad["fields"]
    uncited = refused(
        site, 422, lambda: world.obi.post(f"{talk.url}/revisions", {**body, "note_ids": []})
    )
    assert uncited["code"] == "evidence_required"
    state = ok(world.obi.post(f"{talk.url}/revisions", body), 201)
    assert state["revisions"][0]["status"] == "proposed"
    assert state["revisions"][0]["note_ids"] == talk.notes[:1]
    decide = f"{talk.url}/revisions/rev-1/decision"
    refused(site, 403, lambda: world.obi.put(decide, {"accept": True}))
    refused(
        site, 404, lambda: world.ana.put(f"{talk.url}/revisions/nope/decision", {"accept": True})
    )
    bad_accept = refused(site, 422, lambda: world.ana.put(decide, {"accept": "maybe"}))
    assert "accept" in bad_accept["fields"]
    accepted = ok(world.ana.put(decide, {"accept": True, "reason": "The notes show it"}))
    assert accepted["revisions"][0]["status"] == "accepted"


def test_a_confirmation_reaches_the_catalogue(world: World) -> None:
    talk = discussed(world)
    talk.to_phase("patterns")
    body = {"misconception_id": world.misconception_id, "note_ids": talk.notes[:2]}
    ok(world.ana.post(f"{talk.url}/confirmations", body), 201)
    world.site.settle()
    entry = ok(world.ana.get(f"/api/v1/catalogue/misconceptions/{world.misconception_id}"))
    assert entry["numbers"]["confirmed"] == 1, entry


def test_every_refusal_is_in_the_one_shape(talk: Discussed) -> None:
    world = talk.world
    answer = world.ana.call(
        "POST", f"{talk.url}/claims", data="not json", content_type="application/json"
    )
    assert answer.status_code in (400, 422)
    body = error(answer, answer.status_code)
    assert body["code"]


BAD_BODIES = [
    ("PUT", "/phase", {}, "phase"),
    ("PUT", "/phase", {"phase": "patterns", "from_phase": "nowhere"}, "from_phase"),
    ("POST", "/contributions", {"contribution_id": "c1"}, "text"),
    ("POST", "/contributions", {"contribution_id": "a b", "text": "x"}, "contribution_id"),
    ("POST", "/patterns", {"pattern_id": "p1", "name": "", "note_ids": []}, "name"),
    ("POST", "/patterns", {"pattern_id": "p1", "name": "N", "note_ids": "n1"}, "note_ids"),
    ("PUT", "/patterns/p1/name", {"name": " "}, "name"),
    ("PUT", "/notes/n1/pattern", {}, "pattern_id"),
    ("PUT", "/notes/n1/pattern", {"pattern_id": None, "colour": "red"}, "colour"),
    ("POST", "/claims", {"claim_id": "k1", "text": "x", "note_ids": [""]}, "note_ids.0"),
    ("POST", "/confirmations", {"misconception_id": "not-a-uuid"}, "misconception_id"),
    ("POST", "/revisions", {"revision_id": "r", "summary": "s"}, "changes"),
    ("PUT", "/revisions/rev-1/decision", {}, "accept"),
]


@pytest.mark.parametrize(("method", "path", "body", "field"), BAD_BODIES)
def test_a_bad_body_is_refused_naming_its_field_and_writes_nothing(
    talk: Discussed, method: str, path: str, body: dict[str, Any], field: str
) -> None:
    world = talk.world
    found = refused(world.site, 422, lambda: world.ana.call(method, f"{talk.url}{path}", body))
    assert found["code"] == "invalid"
    assert field in found["fields"], found

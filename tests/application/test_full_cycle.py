"""One study lesson round the whole cycle and into the next, on every store.

Plan with steps and anticipated responses, teach while three observers (two of them
guests with the join code) record notes, discuss in every phase in order, revise,
start plan version 2 and teach it again to another class. Then check the state, the
history (the exact events, in log order) and that a second service on the same
database sees the same.
"""

from __future__ import annotations

from typing import Any

from application.cycle_checks import (
    Cycle,
    check_discussion,
    check_history,
    check_plan,
    check_teachings_and_notes,
)
from application.scenario import (
    FACILITATOR,
    GUEST_OBSERVER,
    INSTRUCTOR,
    INSTRUCTOR_2,
    KNOWLEDGEABLE_OTHER,
    OBSERVER,
    PLANNER,
    FakeClock,
    ServiceFactory,
    lesson_with_plan,
    note,
    teach,
)

from lessonstudy.application import LessonStudy

REVISION_1 = [
    {"op": "change_step", "step_id": "s2", "field": "teacher_support", "value": "Draw 20 times"},
    {
        "op": "anticipate_response",
        "step_id": "s2",
        "response_id": "r4",
        "kind": "misconception",
        "text": "Red came last time, so white is due",
    },
]


def test_full_cycle(make_service: ServiceFactory, database_url: str, clock: FakeClock) -> None:
    app = make_service(database_url)
    cycle = run_cycle(app, clock)
    check_plan(app, cycle)
    check_teachings_and_notes(app, cycle)
    check_discussion(app, cycle)
    check_history(app, cycle)
    if not database_url.startswith("memory"):
        # Durable: a second service with its own (empty) cache reads the same.
        other = make_service(database_url)
        assert other.get_plan(cycle.lesson_id) == app.get_plan(cycle.lesson_id)
        assert other.get_teaching(cycle.teaching_id) == app.get_teaching(cycle.teaching_id)
        assert other.get_notes(cycle.teaching_id) == app.get_notes(cycle.teaching_id)
        assert other.get_notes(cycle.teaching_2_id) == app.get_notes(cycle.teaching_2_id)
        assert other.get_discussion(cycle.discussion_id) == app.get_discussion(cycle.discussion_id)
        assert other.lesson_history(cycle.lesson_id) == app.lesson_history(cycle.lesson_id)


def run_cycle(app: LessonStudy, clock: FakeClock) -> Cycle:
    team_id, misconception_id, lesson_id = lesson_with_plan(app)
    teaching_id = teach(app, lesson_id)
    code = app.open_to_guests(actor_id=INSTRUCTOR, teaching_id=teaching_id)
    for guest, roles in ((KNOWLEDGEABLE_OTHER, ["knowledgeable_other"]), (GUEST_OBSERVER, None)):
        app.join_as_guest(
            teaching_id=teaching_id,
            join_code=code.lower(),
            person_id=guest,
            name=guest,
            roles=roles,
        )
    app.choose_focus(actor_id=OBSERVER, teaching_id=teaching_id, codes=["G1"])
    record = record_notes(app, clock, teaching_id)
    assert record["n5"].nudge is not None and record["n5"].nudge.startswith("'confused'")
    assert record["n1"].nudge is None
    clock.advance(minutes=10)
    app.end_teaching(actor_id=INSTRUCTOR, teaching_id=teaching_id)
    discussion_id = str(app.open_discussion(actor_id=FACILITATOR, teaching_id=teaching_id))
    discuss(app, discussion_id, misconception_id)
    assert app.start_next_cycle(actor_id=FACILITATOR, discussion_id=discussion_id) == 2
    teaching_2_id = teach(app, lesson_id, INSTRUCTOR_2, "6B")
    clock.advance(minutes=3)
    app.record_note(
        actor_id=OBSERVER,
        teaching_id=teaching_2_id,
        note_id="m1",
        **note("White is due now", step_id="s2", code="G2-S1", response_ids=["r4"]),
    )
    return Cycle(team_id, misconception_id, lesson_id, teaching_id, discussion_id, teaching_2_id)


def record_notes(app: LessonStudy, clock: FakeClock, teaching_id: str) -> dict[str, Any]:
    notes = [
        (OBSERVER, "n1", note('"More red, so red"', response_ids=["r1"])),
        (KNOWLEDGEABLE_OTHER, "n2", note("Counts balls on fingers", code="G2-S2")),
        (GUEST_OBSERVER, "n3", note('"It is 50-50"', step_id="s2", response_ids=["r2"])),
        (OBSERVER, "n4", note('"Two colours, half each"', step_id="s2", response_ids=["r2"])),
        (KNOWLEDGEABLE_OTHER, "n5", note("Looks confused", step_id="s2", unanticipated=True)),
    ]
    receipts = {}
    for index, (observer, note_id, fields) in enumerate(notes):
        clock.advance(minutes=2)
        if index == 2:
            app.move_to_step(actor_id=INSTRUCTOR, teaching_id=teaching_id, step_id="s2")
        receipts[note_id] = app.record_note(
            actor_id=observer, teaching_id=teaching_id, note_id=note_id, **fields
        )
        assert receipts[note_id].duplicate is False
    positions = [r.position for r in receipts.values()]
    assert positions == sorted(positions) and len(set(positions)) == 5
    return receipts


def discuss(app: LessonStudy, discussion_id: str, misconception_id: str) -> None:
    d = {"discussion_id": discussion_id}

    def phase(name: str) -> None:
        app.move_discussion_phase(actor_id=FACILITATOR, phase=name, **d)

    app.contribute(actor_id=INSTRUCTOR, contribution_id="k1", text="They wanted 50-50", **d)
    phase("planning_team")
    app.contribute(actor_id=PLANNER, contribution_id="k2", text="We expected r2", **d)
    phase("observations")
    app.contribute(
        actor_id=OBSERVER, contribution_id="k3", text="G1 first", note_ids=["n1"], step_id="s1", **d
    )
    app.create_pattern(
        actor_id=OBSERVER, pattern_id="p1", name="Two outcomes", note_ids=["n3", "n4"], **d
    )
    phase("patterns")
    app.make_claim(
        actor_id=PLANNER, claim_id="c1", text="Outcomes read as equal", note_ids=["n3", "n4"], **d
    )
    app.confirm_misconception(
        actor_id=FACILITATOR,
        misconception_id=misconception_id,
        note_ids=["n3", "n4"],
        helpful_responses="Ask how many of each",
        **d,
    )
    for name in ("prediction", "evaluation", "knowledgeable_other"):
        phase(name)
    app.contribute(actor_id=KNOWLEDGEABLE_OTHER, contribution_id="k4", text="Draw many times", **d)
    phase("next_steps")
    app.propose_revision(
        actor_id=PLANNER, revision_id="v1", summary="Test it", changes=REVISION_1,
        note_ids=["n3", "n4"], **d,
    )  # fmt: skip
    app.propose_revision(
        actor_id=OBSERVER,
        revision_id="v2",
        summary="Shorter goals",
        changes=[{"op": "change_field", "field": "lesson_goals", "value": "Likelihood"}],
        note_ids=["n2"],
        **d,
    )
    app.decide_revision(actor_id=FACILITATOR, revision_id="v1", accept=True, **d)
    app.decide_revision(actor_id=FACILITATOR, revision_id="v2", accept=False, **d)

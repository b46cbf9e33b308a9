"""The world's lesson taught and discussed up to the next level of work, through the service.

The discussion's own REST routes are tested elsewhere; here they are only the givens
of the record, the next cycle and the cycle comparison. Ana (planner and facilitator)
teaches and facilitates; Obi observes.
"""

from __future__ import annotations

from dataclasses import dataclass

from server.site import ok
from server.world import World

from lessonstudy.domain.discussion import PHASES

HELPFUL = 'Ask: "If I put ten more white balls in B, is B still better?"'
NEW_SUPPORT = "Ask G5 what happens with 102 red and 100 white."
# People's text with Markdown and HTML in it: the record must show it as text.
TRICKY = "<script>alert(1)</script> | # not a heading *nor emphasis*"


@dataclass(frozen=True)
class Discussed:
    teaching_id: str
    discussion_id: str
    note_ids: list[str]


def teach(world: World, notes: list[tuple[str, str]], *, class_label: str = "6A") -> str:
    """Schedule, start and end a teaching with Obi's notes: (note id, seat code)."""
    ana, lesson = world.ana, world.lesson_id
    body = {"instructor_id": ana.id, "class_label": class_label}
    teaching_id: str = ok(ana.post(f"/api/v1/lessons/{lesson}/teachings", body), 201)["id"]
    ok(ana.post(f"/api/v1/teachings/{teaching_id}/start", {}))
    app = world.site.services.service
    for note_id, code in notes:
        app.record_note(
            actor_id=world.obi.id,
            teaching_id=teaching_id,
            note_id=note_id,
            subject_kind="seat",
            subject_code=code,
            kind="student_talk",
            text=f"{code}: B has more red {TRICKY}",
            step_id=world.step_id,
            response_ids=[world.response_id],
        )
    ok(ana.post(f"/api/v1/teachings/{teaching_id}/end"))
    return teaching_id


def discuss(world: World, *, accept: bool = True) -> Discussed:
    """A taught lesson's discussion at its last phase: a pattern, a claim, a confirmed
    misconception with a helpful response, and a revision (accepted unless told)."""
    notes = [("n1", "G1-S1"), ("n2", "G1-S2"), ("n3", "G2-S1")]
    teaching_id = teach(world, notes)
    app, ana = world.site.services.service, world.ana.id
    discussion_id = str(app.open_discussion(actor_id=ana, teaching_id=teaching_id))
    on = {"actor_id": ana, "discussion_id": discussion_id}
    note_ids = [n for n, _ in notes]
    app.contribute(**on, contribution_id="c1", text=f"I taught it. {TRICKY}")
    for phase in PHASES[1:4]:
        app.move_discussion_phase(**on, phase=phase)
    app.create_pattern(**on, pattern_id="p1", name=f"Counting red {TRICKY}", note_ids=note_ids)
    app.make_claim(**on, claim_id="k1", text="Most compared counts.", note_ids=note_ids[:2])
    app.confirm_misconception(
        **on, misconception_id=world.misconception_id, note_ids=note_ids, helpful_responses=HELPFUL
    )
    for phase in PHASES[4:]:
        app.move_discussion_phase(**on, phase=phase)
    change = {"op": "change_step", "step_id": world.step_id, "field": "teacher_support"}
    app.propose_revision(
        **on,
        revision_id="rev-1",
        summary="Ask the 102 and 100 question",
        changes=[{**change, "value": NEW_SUPPORT}],
        note_ids=["n3"],
    )
    if accept:
        app.decide_revision(**on, revision_id="rev-1", accept=True)
    return Discussed(teaching_id, discussion_id, note_ids)

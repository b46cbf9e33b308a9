"""The demo's post-lesson discussion and the revisions that start plan version 2, as data.

Each entry is a LessonStudy command name and its keyword arguments (without the
discussion id). Two conventions the loader resolves: ``at`` is a clock time on the
day of the lesson ("10:18"), and a string "@key" is the catalogue id of the
misconception with that key (see plan).
"""

from __future__ import annotations

from typing import Any

Command = tuple[str, dict[str, Any]]

OPENED_AT = "10:10"
NEXT_CYCLE_AT = "11:50"


def _phase(phase: str, at: str) -> Command:
    return "move_discussion_phase", {"actor_id": "mei", "phase": phase, "at": at}


def _say(cid: str, by: str, text: str, notes: list[str] | None = None, step: str = "") -> Command:
    args: dict[str, Any] = {"actor_id": by, "contribution_id": cid, "text": text}
    if notes:
        args["note_ids"] = notes
    if step:
        args["step_id"] = step
    return "contribute", args


def _claim(cid: str, by: str, text: str, notes: list[str]) -> Command:
    return "make_claim", {"actor_id": by, "claim_id": cid, "text": text, "note_ids": notes}


def _pattern(pid: str, by: str, name: str, notes: list[str]) -> Command:
    return "create_pattern", {"actor_id": by, "pattern_id": pid, "name": name, "note_ids": notes}


def _confirm(key: str, notes: list[str], helpful: str = "") -> Command:
    args = {"actor_id": "mei", "misconception_id": f"@{key}", "note_ids": notes}
    return "confirm_misconception", {**args, "helpful_responses": helpful}


def _propose(
    rid: str, by: str, summary: str, changes: list[dict[str, Any]], notes: list[str]
) -> Command:
    args = {"actor_id": by, "revision_id": rid, "summary": summary, "changes": changes}
    return "propose_revision", {**args, "note_ids": notes}


def _decide(rid: str, accept: bool, reason: str = "") -> Command:
    args = {"actor_id": "mei", "revision_id": rid, "accept": accept, "reason": reason}
    return "decide_revision", args


def _step(step_id: str, field: str, value: Any) -> dict[str, Any]:
    return {"op": "change_step", "step_id": step_id, "field": field, "value": value}


POOL_STEP = {
    "activity": "Pool the class's draws: each group adds its tally to a table on the board,"
    " 120 draws from each bag in all.",
    "key_question": "With 120 draws from each bag, what do you notice? What happened to the"
    " runs of white?",
    "teacher_support": 'Total the columns together. Ask: "Does the bag remember what it'
    ' gave last time?"',
    "points_to_notice": "Who still explains single draws? Who reads the totals as fractions"
    " (about 90 out of 120)?",
    "minutes": 5,
}
S3_SUPPORT = (
    'For count arguments: "If I put ten more white balls in bag B, is it still better?"'
    " For 'two more red than white': \"What if bag A had 102 red and 100 white?\" For"
    ' stuck groups: "What fraction of bag A is red?"'
)

DISCUSSION: list[Command] = [
    _say(
        "c01",
        "daniel",
        "I expected most of the class to choose B at the start, and they did. During the"
        " experiment I moved past G3's 'it's due a red' too quickly. I did not expect"
        " 'two more red in both bags' and had no question ready for it; the 102 and 100"
        " question came to me at G5.",
    ),
    _phase("planning_team", "10:18"),
    _say(
        "c02",
        "mei",
        "We planned the draws to make the count argument doubtful before the numbers step."
        " Our question for the observers: did 20 draws per bag help or get in the way?",
    ),
    _say(
        "c03",
        "sofia",
        "We argued about keeping bag B at 8 balls: with 6 red and 2 white the count and"
        " the fraction would have agreed, and we wanted them to disagree.",
    ),
    _phase("observations", "10:25"),
    _say(
        "c04",
        "sofia",
        "Step 1 in G1 and G2: the first reasons were counts of red.",
        ["sofia-01", "sofia-03"],
        "s1",
    ),
    _say(
        "c05",
        "raj",
        "Step 2 in G3 and G4: runs of white were read as the next draw being"
        " due, and one student read 9 red 11 white as proof of 50-50.",
        ["raj-03", "raj-04"],
        "s2",
    ),
    _say(
        "c06",
        "hannah",
        "Step 3 in G5: 'two more red than white' until the 102 and 100 question.",
        ["hannah-06", "hannah-08"],
        "s3",
    ),
    _say(
        "c07", "raj", "Step 4: G4-S1 still said B has more red; nobody answered.", ["raj-10"], "s4"
    ),
    _say(
        "c08",
        "hannah",
        "Step 5: most exit tickets I saw compared 6/8 with 3/4.",
        ["hannah-10", "sofia-11"],
        "s5",
    ),
    _phase("patterns", "10:45"),
    _pattern(
        "p-count",
        "sofia",
        "Comparing counts of red",
        ["sofia-01", "hannah-01", "sofia-06", "raj-06", "raj-10", "raj-11"],
    ),
    _pattern(
        "p-difference",
        "hannah",
        "Red minus white: 'two more in both'",
        ["sofia-07", "raj-07", "hannah-06"],
    ),
    _pattern(
        "p-chance",
        "raj",
        "Single draws and 50-50",
        ["sofia-05", "raj-03", "hannah-04", "raj-02", "raj-04"],
    ),
    _pattern(
        "p-whole",
        "sofia",
        "Part to whole: fractions, percentages, same-size bags",
        ["sofia-08", "hannah-07", "raj-08", "sofia-10", "hannah-09", "raj-09"],
    ),
    _pattern("p-5050", "raj", "Red or white, so 50-50", ["raj-02", "raj-04"]),
    (
        "rename_pattern",
        {"actor_id": "raj", "pattern_id": "p-chance", "name": "The next draw is 'due'"},
    ),
    ("place_note", {"actor_id": "hannah", "note_id": "hannah-02", "pattern_id": "p-whole"}),
    _claim(
        "cl-01",
        "sofia",
        "Comparing counts was the first reason in every group we followed, and it was"
        " still on some exit tickets.",
        ["sofia-01", "hannah-01", "raj-11", "sofia-11"],
    ),
    _confirm(
        "count",
        ["sofia-01", "hannah-01", "raj-10", "raj-11"],
        '"If I put ten more white balls in B, is B still better?" (G2)',
    ),
    _confirm("recency", ["sofia-05", "raj-03", "hannah-04"]),
    _confirm("fifty_fifty", ["raj-02", "raj-04"]),
    ("catalogue", {"key": "difference"}),
    _confirm(
        "difference",
        ["sofia-07", "raj-07", "hannah-06"],
        '"What if bag A had 102 red and 100 white?" (G5)',
    ),
    _phase("prediction", "11:00"),
    _claim(
        "cl-02",
        "mei",
        "A student who did exactly what this task asked would know how to compare two"
        " part-whole fractions with different denominators by making the wholes the same."
        " Students who stayed with counts practised only comparing whole numbers.",
        ["sofia-08", "raj-09", "raj-10"],
    ),
    _phase("evaluation", "11:08"),
    _claim(
        "cl-03",
        "hannah",
        "Goal 1 was reached by G1, G3 and G6 on their boards and by G5 in the"
        " comparison; goal 2 was not: no student said what many draws show.",
        ["sofia-08", "raj-08", "hannah-07", "hannah-09", "raj-04"],
    ),
    _phase("knowledgeable_other", "11:18"),
    _say(
        "c09",
        "ito",
        "'Two more red in both' is additive reasoning where the task needs multiplicative"
        " reasoning; it is well documented (Noelting's orange juice tasks) and worth"
        " anticipating every time. Twenty draws per bag is too few for the law of large"
        " numbers to show; pooling the class's draws would make goal 2 reachable.",
    ),
    _phase("next_steps", "11:30"),
    _propose(
        "rev-01",
        "raj",
        "Pool the class's draws before the numbers step",
        [
            _step("s2", "minutes", 8),
            {"op": "add_step", "step_id": "s2b", "position": 2, "fields": POOL_STEP},
            _step("s3", "minutes", 10),
            _step("s4", "minutes", 15),
        ],
        ["raj-03", "raj-04", "hannah-04"],
    ),
    _propose(
        "rev-02",
        "hannah",
        "Anticipate 'two more red in both' and ask 102 and 100",
        [
            {
                "op": "anticipate_response",
                "step_id": "s3",
                "response_id": "r3-difference",
                "kind": "misconception",
                "misconception_id": "@difference",
                "text": "Same: both bags have two more red than white.",
            },
            _step("s3", "teacher_support", S3_SUPPORT),
        ],
        ["sofia-07", "raj-07", "hannah-06", "hannah-08", "hannah-09"],
    ),
    _propose(
        "rev-03",
        "daniel",
        "Drop the experiment and start with the numbers",
        [_step("s2", "activity", "Skip the draws; groups go straight to step 3.")],
        ["sofia-06"],
    ),
    _propose(
        "rev-04",
        "sofia",
        "Reteach with 7D on 3 December, Sofia teaching",
        [
            {"op": "change_field", "field": "date", "value": "2026-12-03"},
            {"op": "change_field", "field": "instructor_id", "value": "sofia"},
        ],
        ["raj-10", "raj-11"],
    ),
    _decide("rev-01", True),
    _decide("rev-02", True),
    _decide("rev-03", False, "the draws are where '50-50' and 'due' showed; we keep them"),
    _decide("rev-04", True),
]

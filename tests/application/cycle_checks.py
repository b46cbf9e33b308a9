"""What the full cycle must have left behind: the state, and the history in log order.

Used by test_full_cycle (kept apart so that each module stays readable).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from application.scenario import (
    FACILITATOR,
    GUEST_OBSERVER,
    INSTRUCTOR,
    INSTRUCTOR_2,
    KNOWLEDGEABLE_OTHER,
    LAYOUT,
    OBSERVER,
    PLANNER,
)

from lessonstudy.application import LessonStudy


@dataclass
class Cycle:
    team_id: str
    misconception_id: str
    lesson_id: str
    teaching_id: str
    discussion_id: str
    teaching_2_id: str


def check_plan(app: LessonStudy, cycle: Cycle) -> None:
    plan = app.get_plan(cycle.lesson_id)
    assert plan.plan_version == 2
    assert plan.fields["title"] == "Fair bags"
    assert plan.fields["subject"] == "Mathematics"
    assert plan.fields["grade"] == "6"
    assert plan.fields["research_theme"] == "Students reason from evidence"
    assert plan.fields["lesson_goals"] == "Compare likelihoods"  # v2 was rejected
    assert plan.fields["class_layout"] == LAYOUT
    assert [s["id"] for s in plan.steps] == ["s1", "s2"]
    s2 = plan.steps[1]
    assert s2["teacher_support"] == "Draw 20 times"
    assert s2["minutes"] == 20
    assert [r["id"] for r in s2["responses"]] == ["r2", "r3", "r4"]
    assert s2["responses"][0]["misconception_id"] == cycle.misconception_id
    assert s2["responses"][2] == {
        "id": "r4",
        "step_id": "s2",
        "kind": "misconception",
        "text": "Red came last time, so white is due",
        "misconception_id": None,
    }
    # Revisions 1-11 plan; 12 scheduled; 13-14 the revision; 15 next version; 16 scheduled.
    assert plan.revision == 16
    assert plan.versions == [
        {"plan_version": 1, "revision": 1},
        {
            "plan_version": 2,
            "revision": 15,
            "discussion_id": cycle.discussion_id,
            "revision_ids": ["v1"],
        },
    ]
    assert plan.teaching_ids == [cycle.teaching_id, cycle.teaching_2_id]
    before = app.get_plan(cycle.lesson_id, revision=12)
    assert before.plan_version == 1
    assert before.steps[1]["teacher_support"] == ""


def check_teachings_and_notes(app: LessonStudy, cycle: Cycle) -> None:
    first, second = app.get_teaching(cycle.teaching_id), app.get_teaching(cycle.teaching_2_id)
    assert (first.status, first.plan_version, first.instructor_id, first.class_label) == (
        "ended", 1, INSTRUCTOR, "6A",
    )  # fmt: skip
    assert (second.status, second.plan_version, second.instructor_id, second.class_label) == (
        "started", 2, INSTRUCTOR_2, "6B",
    )  # fmt: skip
    assert (first.plan_revision, second.plan_revision) == (11, 15)
    assert first.current_step_id == "s2"
    assert set(first.guests) == {KNOWLEDGEABLE_OTHER, GUEST_OBSERVER}
    assert first.guests[KNOWLEDGEABLE_OTHER]["roles"] == ["knowledgeable_other"]
    assert first.guests[GUEST_OBSERVER]["roles"] == ["observer"]
    assert first.focus == {OBSERVER: ["G1"]}
    assert first.ended_at is not None and first.started_at is not None
    assert (first.ended_at - first.started_at).total_seconds() == 20 * 60
    notes = app.get_notes(cycle.teaching_id)
    assert [(n["note_id"], n["observer_id"]) for n in notes] == [
        ("n1", OBSERVER),
        ("n2", KNOWLEDGEABLE_OTHER),
        ("n3", GUEST_OBSERVER),
        ("n4", OBSERVER),
        ("n5", KNOWLEDGEABLE_OTHER),
    ]
    assert [n["offset_seconds"] for n in notes] == [120.0, 240.0, 360.0, 480.0, 600.0]
    assert notes[2]["step_id"] == "s2" and notes[2]["response_ids"] == ["r2"]
    assert notes[4]["unanticipated"] is True and notes[4]["flagged"] is False
    second_notes = app.get_notes(cycle.teaching_2_id)
    assert [(n["note_id"], n["response_ids"]) for n in second_notes] == [("m1", ["r4"])]


def check_discussion(app: LessonStudy, cycle: Cycle) -> None:
    d = app.get_discussion(cycle.discussion_id)
    assert d.phase == "closed"
    assert d.next_plan_version == 2
    assert [p["phase"] for p in d.phase_log] == [
        "instructor_reflection",
        "planning_team",
        "observations",
        "patterns",
        "prediction",
        "evaluation",
        "knowledgeable_other",
        "next_steps",
    ]
    assert {k: (c["phase"], c["by"]) for k, c in d.contributions.items()} == {
        "k1": ("instructor_reflection", INSTRUCTOR),
        "k2": ("planning_team", PLANNER),
        "k3": ("observations", OBSERVER),
        "k4": ("knowledgeable_other", KNOWLEDGEABLE_OTHER),
    }
    assert d.patterns == {"p1": {"name": "Two outcomes", "note_ids": ["n3", "n4"], "by": OBSERVER}}
    assert d.claims["c1"]["note_ids"] == ["n3", "n4"]
    assert d.confirmed == {
        cycle.misconception_id: {
            "note_ids": ["n3", "n4"],
            "helpful_responses": "Ask how many of each",
            "by": FACILITATOR,
        }
    }
    assert {k: r["status"] for k, r in d.revisions.items()} == {"v1": "accepted", "v2": "rejected"}


PLANNING = [("StudyLesson", "Planned")] + [("StudyLesson", "PlanFieldChanged")] * 5
PLANNING += [("StudyLesson", "StepAdded")] * 2 + [("StudyLesson", "ResponseAnticipated")] * 3
TEACHING_1 = [
    ("StudyLesson", "TeachingScheduled"),
    ("Teaching", "Scheduled"),
    ("Teaching", "Started"),
    ("Teaching", "GuestsInvited"),
    ("Teaching", "GuestAdmitted"),
    ("Teaching", "GuestAdmitted"),
    ("Teaching", "FocusChosen"),
    # Each observer's first note also registers them on the teaching, once.
    ("Teaching", "ObserverRegistered"),
    ("ObservationLog", "Opened"),
    ("ObservationLog", "NoteRecorded"),
    ("Teaching", "ObserverRegistered"),
    ("ObservationLog", "Opened"),
    ("ObservationLog", "NoteRecorded"),
    ("Teaching", "StepChanged"),
    ("Teaching", "ObserverRegistered"),
    ("ObservationLog", "Opened"),
    ("ObservationLog", "NoteRecorded"),
    ("ObservationLog", "NoteRecorded"),
    ("ObservationLog", "NoteRecorded"),
    ("Teaching", "Ended"),
]
DISCUSSION = [
    ("Discussion", name)
    for name in [
        "Opened",
        *("Contributed", "PhaseMoved") * 2,
        "Contributed",
        "PatternCreated",
        "PhaseMoved",
        "ClaimMade",
        "MisconceptionConfirmed",
        *["PhaseMoved"] * 3,
        "Contributed",
        "PhaseMoved",
        *["RevisionProposed"] * 2,
        *["RevisionDecided"] * 2,
    ]
]
NEXT_CYCLE = [
    ("StudyLesson", "StepFieldChanged"),
    ("StudyLesson", "ResponseAnticipated"),
    ("StudyLesson", "NextVersionStarted"),
    ("Discussion", "Closed"),
    ("StudyLesson", "TeachingScheduled"),
    ("Teaching", "Scheduled"),
    ("Teaching", "Started"),
    ("Teaching", "ObserverRegistered"),
    ("ObservationLog", "Opened"),
    ("ObservationLog", "NoteRecorded"),
]


def check_history(app: LessonStudy, cycle: Cycle) -> None:
    history = app.lesson_history(cycle.lesson_id)
    assert [(e.aggregate, e.event) for e in history] == (
        PLANNING + TEACHING_1 + DISCUSSION + NEXT_CYCLE
    )
    positions = [e.position for e in history]
    assert all(a < b for a, b in pairwise(positions))
    assert positions[-1] == app.recorder.max_notification_id()
    lesson_events = [e for e in history if e.aggregate == "StudyLesson"]
    assert [e.version for e in lesson_events] == list(range(1, 17))
    revised = [e for e in history if e.event == "StepFieldChanged"]
    assert [(e.data["revision_id"], e.data["step_id"], e.by) for e in revised] == [
        ("v1", "s2", FACILITATOR)
    ]
    assert [e.by for e in history if e.event == "NoteRecorded"] == [
        OBSERVER, KNOWLEDGEABLE_OTHER, GUEST_OBSERVER, OBSERVER, KNOWLEDGEABLE_OTHER, OBSERVER,
    ]  # fmt: skip
    assert [e.data["note_id"] for e in history if e.event == "NoteRecorded"] == [
        "n1", "n2", "n3", "n4", "n5", "m1",
    ]  # fmt: skip
    teaching_ids = {e.aggregate_id for e in history if e.aggregate == "Teaching"}
    assert teaching_ids == {cycle.teaching_id, cycle.teaching_2_id}
    discussion_ids = {e.aggregate_id for e in history if e.aggregate == "Discussion"}
    assert discussion_ids == {cycle.discussion_id}

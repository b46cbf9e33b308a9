"""ObservationLog: an observer's notes, checked against the teaching, amended, retracted."""

from __future__ import annotations

from typing import Any
from uuid import NAMESPACE_URL, uuid5

import pytest
from domain.gwt import AT, assert_replays, given, minutes, then_events, then_no_events, then_refused

from lessonstudy.domain.errors import InvalidValueError, LifecycleError, NotFoundError
from lessonstudy.domain.observation import ObservationLog, observation_log_id
from lessonstudy.domain.teaching import NoteContext

CONTEXT = NoteContext(
    teaching_id="teaching-1",
    started_at=AT,
    codes=frozenset({"G1", "G2", "G1-S1", "G1-S2", "G2-S1"}),
    responses_by_step={"s1": frozenset(), "s2": frozenset({"r1", "r2"})},
    groups=frozenset({"G1", "G2"}),
    seats=frozenset({"G1-S1", "G1-S2", "G2-S1"}),
)
NOTE: dict[str, Any] = {
    "subject_kind": "seat",
    "subject_code": "G1-S1",
    "kind": "student_talk",
    "text": ' "0.25 is bigger, 25 is more than 3" ',
    "step_id": "s2",
    "response_ids": ["r1", "r1"],
}
STORED: dict[str, Any] = {
    "subject_kind": "seat",
    "subject_code": "G1-S1",
    "kind": "student_talk",
    "text": '"0.25 is bigger, 25 is more than 3"',
    "step_id": "s2",
    "response_ids": ["r1"],
    "misconception_ids": [],
    "unanticipated": False,
    "photo_id": None,
    "flagged": False,
}


def a_log() -> ObservationLog:
    return given(ObservationLog(teaching_id="teaching-1", observer_id="cy"))


def a_log_with_a_note() -> ObservationLog:
    log = ObservationLog(teaching_id="teaching-1", observer_id="cy")
    log.record(note_id="n1", at=minutes(12), context=CONTEXT, fields=NOTE)
    return given(log)


def test_the_log_id_is_deterministic_per_teaching_and_observer() -> None:
    log = ObservationLog(teaching_id="teaching-1", observer_id="cy")
    expected = uuid5(NAMESPACE_URL, "lessonstudy:observation-log:teaching-1:cy")
    assert log.id == expected == observation_log_id("teaching-1", "cy")
    assert ObservationLog.create_id("teaching-1", "dan") != expected
    assert then_events(log) == [
        ("ObservationLog.Opened", {"teaching_id": "teaching-1", "observer_id": "cy"})
    ]


def test_record_note() -> None:
    log = a_log()
    note, new = log.record(note_id="n1", at=minutes(12), context=CONTEXT, fields=NOTE)
    assert new is True
    assert then_events(log) == [
        (
            "ObservationLog.NoteRecorded",
            {
                "note_id": "n1",
                "recorded_at": minutes(12),
                "offset_seconds": 720.0,
                "fields": STORED,
            },
        )
    ]
    assert note == {
        "note_id": "n1",
        "version": 2,
        "observer_id": "cy",
        "recorded_at": minutes(12),
        "offset_seconds": 720.0,
        "retracted": False,
        "amendments": 0,
        **STORED,
    }


def test_a_note_about_the_teacher_or_whole_class_has_no_code() -> None:
    log = a_log()
    fields = {**NOTE, "subject_kind": "teacher", "subject_code": "G1", "kind": "teacher_move"}
    note, _ = log.record(note_id="n1", at=minutes(1), context=CONTEXT, fields=fields)
    assert (note["subject_kind"], note["subject_code"]) == ("teacher", None)


def test_optional_fields_are_kept() -> None:
    log = a_log()
    fields = {
        **NOTE,
        "subject_kind": "group",
        "subject_code": "G2",
        "response_ids": [],
        "unanticipated": True,
        "misconception_ids": ["m-1"],
        "photo_id": " photo-9 ",
        "flagged": True,
    }
    note, _ = log.record(note_id="n1", at=minutes(1), context=CONTEXT, fields=fields)
    assert [note[k] for k in ("unanticipated", "misconception_ids", "photo_id", "flagged")] == [
        True,
        ["m-1"],
        "photo-9",
        True,
    ]


def test_recording_the_same_note_id_again_returns_the_original() -> None:
    log = a_log_with_a_note()
    note, new = log.record(
        note_id="n1", at=minutes(20), context=CONTEXT, fields={**NOTE, "text": "other"}
    )
    assert new is False
    assert (note["text"], note["recorded_at"]) == (STORED["text"], minutes(12))
    then_no_events(log)


INVALID_NOTES = [
    ({"subject_kind": "student"}, "subject_kind"),
    ({"subject_code": "Jane Doe"}, "subject_code"),
    ({"subject_code": None}, "subject_code"),
    ({"subject_code": "G3-S1"}, "subject_code"),
    ({"subject_kind": "group", "subject_code": "G9"}, "subject_code"),
    ({"subject_kind": "group", "subject_code": "G1-S1"}, "subject_code"),  # a seat
    ({"subject_kind": "seat", "subject_code": "G1"}, "subject_code"),  # a group
    ({"kind": "feeling"}, "kind"),
    ({"text": "  "}, "text"),
    ({"text": "t" * 5001}, "text"),
    ({"step_id": "s9"}, "step_id"),
    ({"step_id": None}, "step_id"),
    ({"step_id": ["s2"]}, "step_id"),
    ({"response_ids": "r1"}, "response_ids"),
    ({"response_ids": [""]}, "response_ids"),
    ({"response_ids": ["r3"]}, "response_ids"),
    ({"step_id": "s1", "response_ids": ["r1"]}, "response_ids"),
    ({"misconception_ids": "m-1"}, "misconception_ids"),
    ({"unanticipated": "yes"}, "unanticipated"),
    ({"unanticipated": True}, "unanticipated"),
    ({"flagged": 1}, "flagged"),
    ({"photo_id": ""}, "photo_id"),
    ({"photo_id": "p" * 101}, "photo_id"),
]


@pytest.mark.parametrize(("change", "field"), INVALID_NOTES)
def test_record_checks_every_field(change: dict[str, Any], field: str) -> None:
    log = a_log()
    then_refused(
        log,
        InvalidValueError,
        field,
        lambda: log.record(note_id="n1", at=minutes(1), context=CONTEXT, fields={**NOTE, **change}),
    )


@pytest.mark.parametrize(("note_id", "field"), [("", "note_id"), ("n" * 65, "note_id")])
def test_record_checks_the_note_id(note_id: str, field: str) -> None:
    log = a_log()
    then_refused(
        log,
        InvalidValueError,
        field,
        lambda: log.record(note_id=note_id, at=minutes(1), context=CONTEXT, fields=NOTE),
    )


def test_record_refuses_a_time_before_the_lesson_started() -> None:
    log = a_log()
    then_refused(
        log,
        InvalidValueError,
        "recorded_at",
        lambda: log.record(note_id="n1", at=minutes(-6), context=CONTEXT, fields=NOTE),
    )
    # A device's clock may run a few minutes behind: that is kept, as a small negative offset.
    note, _ = a_log().record(note_id="n1", at=minutes(-4), context=CONTEXT, fields=NOTE)
    assert note["offset_seconds"] == -240.0


def test_record_refuses_another_teachings_context() -> None:
    log = a_log()
    other = NoteContext(teaching_id="teaching-2", started_at=AT, codes=CONTEXT.codes)
    then_refused(
        log,
        InvalidValueError,
        "teaching_id",
        lambda: log.record(note_id="n1", at=minutes(1), context=other, fields=NOTE),
    )


def test_amend_records_only_the_changed_fields() -> None:
    log = a_log_with_a_note()
    changes = {"text": "0.25 > 0.3", "flagged": True, "kind": "student_talk"}
    assert log.amend(note_id="n1", at=minutes(13), context=CONTEXT, changes=changes)
    assert then_events(log) == [
        (
            "ObservationLog.NoteAmended",
            {
                "note_id": "n1",
                "at": minutes(13),
                "changes": {"text": "0.25 > 0.3", "flagged": True},
            },
        )
    ]
    assert (log.notes["n1"]["text"], log.notes["n1"]["amendments"]) == ("0.25 > 0.3", 1)


def test_amend_with_unchanged_values_changes_nothing() -> None:
    log = a_log_with_a_note()
    assert not log.amend(note_id="n1", at=minutes(13), context=CONTEXT, changes={"step_id": "s2"})
    then_no_events(log)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"mood": "happy", "text": "x"}, "mood"),
        ({"step_id": "s1"}, "response_ids"),
        ({"unanticipated": True}, "unanticipated"),
        ({"subject_code": "G9"}, "subject_code"),
    ],
)
def test_amend_checks_the_merged_note(changes: dict[str, Any], field: str) -> None:
    log = a_log_with_a_note()
    then_refused(
        log,
        InvalidValueError,
        field,
        lambda: log.amend(note_id="n1", at=minutes(13), context=CONTEXT, changes=changes),
    )


def test_retract() -> None:
    log = a_log_with_a_note()
    log.retract(note_id="n1", at=minutes(14), reason="wrong student")
    assert then_events(log) == [
        (
            "ObservationLog.NoteRetracted",
            {"note_id": "n1", "at": minutes(14), "reason": "wrong student"},
        )
    ]
    assert log.notes["n1"]["retracted"] is True
    assert log.live_notes() == []


def test_retract_checks_the_reason() -> None:
    log = a_log_with_a_note()
    then_refused(
        log,
        InvalidValueError,
        "reason",
        lambda: log.retract(note_id="n1", at=minutes(14), reason="r" * 501),
    )


def a_log_with_a_retracted_note() -> ObservationLog:
    log = a_log_with_a_note()
    log.retract(note_id="n1", at=minutes(14))
    return given(log)


@pytest.mark.parametrize(
    ("note_id", "history", "error"),
    [("n9", a_log_with_a_note, NotFoundError), ("n1", a_log_with_a_retracted_note, LifecycleError)],
)
def test_amend_and_retract_need_an_open_note(note_id: str, history: Any, error: Any) -> None:
    log = history()
    then_refused(
        log,
        error,
        "note_id",
        lambda: log.amend(note_id=note_id, at=minutes(15), context=CONTEXT, changes={"text": "x"}),
    )
    if error is NotFoundError:
        then_refused(log, error, "note_id", lambda: log.retract(note_id=note_id, at=minutes(15)))


def test_retracting_again_is_a_resend_and_changes_nothing() -> None:
    log = a_log_with_a_retracted_note()
    assert log.retract(note_id="n1", at=minutes(15)) is False
    then_no_events(log)


def test_version_1_notes_are_upcast_with_no_photo_and_no_flag() -> None:
    assert ObservationLog.NoteRecorded.class_version == 2
    state: dict[str, Any] = {"note_id": "n1", "fields": {"text": "t"}}
    ObservationLog.NoteRecorded.upcast_v1_v2(state)
    assert state == {"note_id": "n1", "fields": {"text": "t", "photo_id": None, "flagged": False}}


def test_replay() -> None:
    log = ObservationLog(teaching_id="teaching-1", observer_id="cy")
    log.record(note_id="n1", at=minutes(2), context=CONTEXT, fields=NOTE)
    log.record(note_id="n2", at=minutes(3), context=CONTEXT, fields={**NOTE, "response_ids": []})
    log.amend(note_id="n2", at=minutes(4), context=CONTEXT, changes={"unanticipated": True})
    log.retract(note_id="n1", at=minutes(5), reason="duplicate")
    assert_replays(log, log.collect_events())
    assert [n["note_id"] for n in log.live_notes()] == ["n2"]


def test_a_copy_changes_without_touching_the_original() -> None:
    """The repository hands commands a copy; the cached original must not move."""
    import copy

    original = a_log_with_a_note()
    before = copy.deepcopy(original.notes["n1"])
    clone = copy.deepcopy(original)
    clone.amend(note_id="n1", at=minutes(15), context=CONTEXT, changes={"text": "changed"})
    clone.retract(note_id="n1", at=minutes(16))
    clone.record(note_id="n2", at=minutes(17), context=CONTEXT, fields=dict(clone.notes["n1"]))
    assert original.notes == {"n1": before}
    assert original.version == 2 and not original.pending_events
    assert clone.notes["n1"]["retracted"] is True and "n2" in clone.notes

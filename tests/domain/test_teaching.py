"""Teaching: scheduled from a plan with steps, started once, run, ended; guests and focus."""

from __future__ import annotations

from typing import Any

import pytest
from domain.gwt import AT, assert_replays, given, minutes, then_events, then_no_events, then_refused

from lessonstudy.domain.errors import InvalidValueError, LifecycleError, PermissionDeniedError
from lessonstudy.domain.teaching import NoteContext, Teaching

LAYOUT = {"G1": ["G1-S1", "G1-S2"], "G2": ["G2-S1"]}
SCHEDULE: dict[str, Any] = {
    "lesson_id": "lesson-1",
    "team_id": "team-1",
    "plan_version": 1,
    "plan_revision": 4,
    "instructor_id": "bob",
    "class_label": "5B",
    "class_layout": LAYOUT,
    "responses_by_step": {"s1": [], "s2": ["r1", "r2"]},
    "by": "ann",
}


def a_scheduled_teaching() -> Teaching:
    return given(Teaching.schedule(**SCHEDULE))


def a_started_teaching() -> Teaching:
    teaching = Teaching.schedule(**SCHEDULE)
    teaching.start(by="bob", at=AT)
    return given(teaching)


def an_ended_teaching() -> Teaching:
    teaching = a_started_teaching()
    teaching.end(by="bob", at=minutes(45))
    return given(teaching)


def test_schedule() -> None:
    teaching = Teaching.schedule(**{**SCHEDULE, "instructor_id": " bob ", "class_label": " 5B "})
    assert then_events(teaching) == [("Teaching.Scheduled", SCHEDULE)]
    assert (teaching.status, teaching.join_code, teaching.current_step_id) == (
        "scheduled",
        None,
        None,
    )


def test_schedule_needs_steps() -> None:
    with pytest.raises(LifecycleError) as info:
        Teaching.schedule(**{**SCHEDULE, "responses_by_step": {}})
    assert info.value.field == "steps"


@pytest.mark.parametrize(
    ("field", "value"), [("instructor_id", ""), ("class_label", " "), ("class_label", "c" * 101)]
)
def test_schedule_validates(field: str, value: str) -> None:
    with pytest.raises(InvalidValueError) as info:
        Teaching.schedule(**{**SCHEDULE, field: value})
    assert info.value.field == field


def test_start_opens_the_first_step_and_mode() -> None:
    teaching = a_scheduled_teaching()
    teaching.start(by="bob", at=AT, first_mode="group")
    assert then_events(teaching) == [
        ("Teaching.Started", {"at": AT, "mode": "group", "step_id": "s1", "by": "bob"})
    ]
    assert (teaching.status, teaching.started_at, teaching.current_step_id) == ("started", AT, "s1")


def test_start_refuses_an_unknown_mode() -> None:
    teaching = a_scheduled_teaching()
    then_refused(
        teaching, InvalidValueError, "mode", lambda: teaching.start(by="bob", at=AT, first_mode="x")
    )


@pytest.mark.parametrize("history", [a_started_teaching, an_ended_teaching])
def test_start_happens_once(history: Any) -> None:
    teaching = history()
    then_refused(teaching, LifecycleError, "status", lambda: teaching.start(by="bob", at=AT))


def test_change_mode() -> None:
    teaching = a_started_teaching()
    teaching.change_mode(by="bob", mode="pairs", at=minutes(5))
    assert then_events(teaching) == [
        ("Teaching.ModeChanged", {"mode": "pairs", "at": minutes(5), "by": "bob"})
    ]
    assert [m["mode"] for m in teaching.modes] == ["whole_class", "pairs"]


def test_change_to_the_current_mode_changes_nothing() -> None:
    teaching = a_started_teaching()
    teaching.change_mode(by="bob", mode="whole_class", at=minutes(5))
    then_no_events(teaching)


def test_move_to_step() -> None:
    teaching = a_started_teaching()
    teaching.move_to_step(by="bob", step_id="s2", at=minutes(10))
    assert then_events(teaching) == [
        ("Teaching.StepChanged", {"step_id": "s2", "at": minutes(10), "by": "bob"})
    ]
    assert teaching.current_step_id == "s2"


def test_move_to_the_current_step_changes_nothing() -> None:
    teaching = a_started_teaching()
    teaching.move_to_step(by="bob", step_id="s1", at=minutes(10))
    then_no_events(teaching)


def test_move_to_an_unknown_step_is_refused() -> None:
    teaching = a_started_teaching()
    then_refused(
        teaching,
        InvalidValueError,
        "step_id",
        lambda: teaching.move_to_step(by="bob", step_id="s9", at=minutes(1)),
    )


def test_change_mode_refuses_an_unknown_mode() -> None:
    teaching = a_started_teaching()
    then_refused(
        teaching,
        InvalidValueError,
        "mode",
        lambda: teaching.change_mode(by="bob", mode="chaos", at=minutes(1)),
    )


RUNNING_COMMANDS = {
    "change_mode": lambda t, at: t.change_mode(by="bob", mode="group", at=at),
    "move_to_step": lambda t, at: t.move_to_step(by="bob", step_id="s2", at=at),
    "end": lambda t, at: t.end(by="bob", at=at),
}


@pytest.mark.parametrize("command", list(RUNNING_COMMANDS))
@pytest.mark.parametrize("history", [a_scheduled_teaching, an_ended_teaching])
def test_running_commands_need_a_lesson_under_way(command: str, history: Any) -> None:
    teaching = history()
    then_refused(
        teaching, LifecycleError, "status", lambda: RUNNING_COMMANDS[command](teaching, minutes(50))
    )


@pytest.mark.parametrize("command", list(RUNNING_COMMANDS))
def test_running_commands_refuse_a_time_before_the_start(command: str) -> None:
    teaching = a_started_teaching()
    then_refused(
        teaching, InvalidValueError, "at", lambda: RUNNING_COMMANDS[command](teaching, minutes(-1))
    )


def test_end() -> None:
    teaching = a_started_teaching()
    teaching.end(by="bob", at=minutes(45))
    assert then_events(teaching) == [("Teaching.Ended", {"at": minutes(45), "by": "bob"})]
    assert (teaching.status, teaching.ended_at) == ("ended", minutes(45))


def test_open_to_guests_before_the_lesson() -> None:
    teaching = a_scheduled_teaching()
    teaching.open_to_guests(by="ann", join_code="K7QX2M")
    assert then_events(teaching) == [
        ("Teaching.GuestsInvited", {"join_code": "K7QX2M", "by": "ann"})
    ]


def test_open_to_guests_refusals() -> None:
    teaching = a_scheduled_teaching()
    then_refused(
        teaching,
        InvalidValueError,
        "join_code",
        lambda: teaching.open_to_guests(by="ann", join_code="k7 qx"),
    )
    ended = an_ended_teaching()
    then_refused(
        ended, LifecycleError, "status", lambda: ended.open_to_guests(by="ann", join_code="K7QX2M")
    )


def an_open_teaching() -> Teaching:
    teaching = Teaching.schedule(**SCHEDULE)
    teaching.open_to_guests(by="ann", join_code="K7QX2M")
    teaching.start(by="bob", at=AT)
    return given(teaching)


def test_admit_guest_with_the_join_code() -> None:
    teaching = an_open_teaching()
    teaching.admit_guest(join_code="K7QX2M", person_id="kim", name=" Kim ", roles=["observer"])
    assert then_events(teaching) == [
        ("Teaching.GuestAdmitted", {"person_id": "kim", "name": "Kim", "roles": ["observer"]})
    ]
    teaching.admit_guest(join_code="K7QX2M", person_id="kim", name="Kim", roles=["observer"])
    then_no_events(teaching)


@pytest.mark.parametrize(
    ("change", "error", "field"),
    [
        ({"join_code": "WRONG1"}, InvalidValueError, "join_code"),
        ({"name": ""}, InvalidValueError, "name"),
        ({"roles": []}, InvalidValueError, "roles"),
        ({"roles": ["boss"]}, InvalidValueError, "roles"),
        ({"roles": ["observer", "facilitator"]}, PermissionDeniedError, "roles"),
    ],
)
def test_admit_guest_refusals(change: dict[str, Any], error: type[Any], field: str) -> None:
    teaching = an_open_teaching()
    args = {"join_code": "K7QX2M", "person_id": "kim", "name": "Kim", "roles": ["observer"]}
    then_refused(teaching, error, field, lambda: teaching.admit_guest(**{**args, **change}))


def test_admit_guest_needs_an_invitation_and_a_lesson_not_ended() -> None:
    uninvited = a_started_teaching()
    then_refused(
        uninvited,
        InvalidValueError,
        "join_code",
        lambda: uninvited.admit_guest(
            join_code="K7QX2M", person_id="kim", name="K", roles=["observer"]
        ),
    )
    ended = an_open_teaching()
    ended.end(by="bob", at=minutes(45))
    given(ended)
    then_refused(
        ended,
        LifecycleError,
        "status",
        lambda: ended.admit_guest(
            join_code="K7QX2M", person_id="kim", name="K", roles=["observer"]
        ),
    )


def test_choose_focus() -> None:
    teaching = a_started_teaching()
    teaching.choose_focus(observer_id="cy", codes=["G1", "G2-S1"])
    assert then_events(teaching) == [
        ("Teaching.FocusChosen", {"observer_id": "cy", "codes": ["G1", "G2-S1"]})
    ]
    teaching.choose_focus(observer_id="cy", codes=["G1", "G2-S1"])
    then_no_events(teaching)


@pytest.mark.parametrize("codes", [["G3"], ["G1", "G1-S9"], ["g1"]])
def test_focus_codes_must_be_in_the_layout(codes: list[str]) -> None:
    teaching = a_started_teaching()
    then_refused(
        teaching,
        InvalidValueError,
        "codes",
        lambda: teaching.choose_focus(observer_id="cy", codes=codes),
    )


def test_without_a_layout_any_code_may_be_followed() -> None:
    teaching = Teaching.schedule(**{**SCHEDULE, "class_layout": {}})
    given(teaching)
    teaching.choose_focus(observer_id="cy", codes=["G3"])
    assert then_events(teaching) == [
        ("Teaching.FocusChosen", {"observer_id": "cy", "codes": ["G3"]})
    ]


def test_note_context_refuses_before_the_start() -> None:
    teaching = a_scheduled_teaching()
    with pytest.raises(LifecycleError) as info:
        teaching.note_context()
    assert info.value.field == "teaching_id"


def test_note_context_once_started() -> None:
    context = a_started_teaching().note_context()
    assert context == NoteContext(
        teaching_id=context.teaching_id,
        started_at=AT,
        codes=frozenset({"G1", "G2", "G1-S1", "G1-S2", "G2-S1"}),
        responses_by_step={"s1": frozenset(), "s2": frozenset({"r1", "r2"})},
        groups=frozenset({"G1", "G2"}),
        seats=frozenset({"G1-S1", "G1-S2", "G2-S1"}),
    )
    assert context.offset_seconds(minutes(1.5)) == 90.0


def test_replay() -> None:
    teaching = Teaching.schedule(**SCHEDULE)
    teaching.open_to_guests(by="ann", join_code="K7QX2M")
    teaching.start(by="bob", at=AT)
    teaching.admit_guest(join_code="K7QX2M", person_id="kim", name="Kim", roles=["observer"])
    teaching.choose_focus(observer_id="kim", codes=["G2"])
    teaching.change_mode(by="bob", mode="group", at=minutes(3))
    teaching.move_to_step(by="bob", step_id="s2", at=minutes(9))
    teaching.end(by="bob", at=minutes(45))
    assert_replays(teaching, teaching.collect_events())


def test_register_observer_once() -> None:
    teaching = a_started_teaching()
    assert teaching.register_observer(observer_id="oli") is True
    assert then_events(teaching) == [("Teaching.ObserverRegistered", {"observer_id": "oli"})]
    assert teaching.register_observer(observer_id="oli") is False
    then_no_events(teaching)
    assert teaching.observers == ["oli"]

"""Guests who come only to the discussion: a code of its own, valid while it is open."""

from __future__ import annotations

from typing import Any

import pytest
from domain.gwt import assert_replays, given, minutes, then_events, then_no_events, then_refused
from domain.test_teaching import SCHEDULE, a_started_teaching, an_ended_teaching

from lessonstudy.domain.errors import InvalidValueError, LifecycleError, PermissionDeniedError
from lessonstudy.domain.teaching import Teaching

KIM = {"person_id": "kim", "name": "Kim", "roles": ["knowledgeable_other"]}


def invited_to_the_discussion() -> Teaching:
    teaching = an_ended_teaching()
    teaching.open_discussion_to_guests(by="ann", join_code="D1SC2X", discussion_open=True)
    return given(teaching)


def test_the_facilitator_invites_guests_to_the_discussion_after_the_lesson() -> None:
    teaching = an_ended_teaching()
    teaching.open_discussion_to_guests(by="ann", join_code="D1SC2X", discussion_open=True)
    assert then_events(teaching) == [
        ("Teaching.DiscussionGuestsInvited", {"join_code": "D1SC2X", "by": "ann"})
    ]
    assert teaching.discussion_join_code == "D1SC2X"
    teaching.open_discussion_to_guests(by="bob", join_code="D1SC2X", discussion_open=True)
    then_no_events(teaching)  # the same code again changes nothing


def test_inviting_to_the_discussion_refusals() -> None:
    running = a_started_teaching()
    then_refused(
        running,
        LifecycleError,
        "status",
        lambda: running.open_discussion_to_guests(by="a", join_code="D1SC2X", discussion_open=True),
    )
    ended = an_ended_teaching()
    then_refused(
        ended,
        LifecycleError,
        "discussion",
        lambda: ended.open_discussion_to_guests(by="a", join_code="D1SC2X", discussion_open=False),
    )
    then_refused(
        ended,
        InvalidValueError,
        "join_code",
        lambda: ended.open_discussion_to_guests(by="a", join_code="d1 sc", discussion_open=True),
    )


def test_a_guest_joins_the_open_discussion_with_its_code() -> None:
    teaching = invited_to_the_discussion()
    teaching.admit_guest(join_code="D1SC2X", **KIM, discussion_open=True)
    assert then_events(teaching) == [("Teaching.GuestAdmitted", KIM)]
    assert teaching.guests["kim"] == {"name": "Kim", "roles": ["knowledgeable_other"]}


def test_a_discussion_guest_replays() -> None:
    teaching = Teaching.schedule(**SCHEDULE)
    teaching.start(by="bob", at=minutes(0))
    teaching.end(by="bob", at=minutes(45))
    teaching.open_discussion_to_guests(by="ann", join_code="D1SC2X", discussion_open=True)
    teaching.admit_guest(join_code="D1SC2X", **KIM, discussion_open=True)
    assert_replays(teaching, teaching.collect_events())


@pytest.mark.parametrize(
    ("code", "discussion_open", "error", "field"),
    [
        ("D1SC2X", False, LifecycleError, "discussion"),  # closed (or not yet open)
        ("K7QX2M", True, LifecycleError, "status"),  # the lesson's code ended with it
        ("WRONG1", True, InvalidValueError, "join_code"),
    ],
)
def test_after_the_lesson_only_the_discussions_code_admits_and_only_while_it_is_open(
    code: str, discussion_open: bool, error: type[Any], field: str
) -> None:
    teaching = Teaching.schedule(**SCHEDULE)
    teaching.open_to_guests(by="ann", join_code="K7QX2M")
    teaching.start(by="bob", at=minutes(0))
    teaching.end(by="bob", at=minutes(45))
    teaching.open_discussion_to_guests(by="ann", join_code="D1SC2X", discussion_open=True)
    given(teaching)
    then_refused(
        teaching,
        error,
        field,
        lambda: teaching.admit_guest(join_code=code, **KIM, discussion_open=discussion_open),
    )


def test_a_discussion_guest_has_a_guests_roles_only() -> None:
    teaching = invited_to_the_discussion()
    then_refused(
        teaching,
        PermissionDeniedError,
        "roles",
        lambda: teaching.admit_guest(
            join_code="D1SC2X", **{**KIM, "roles": ["facilitator"]}, discussion_open=True
        ),
    )

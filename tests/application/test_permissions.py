"""Who may not: outsiders, members without the role, guests without the code.

Every case asserts the exact error class and its ``field`` (what the boundaries show),
and that the log's head did not move.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from application.scenario import (
    CURATOR,
    FACILITATOR,
    GUEST_OBSERVER,
    INSTRUCTOR,
    KNOWLEDGEABLE_OTHER,
    OBSERVER,
    OUTSIDER,
    PLANNER,
    note,
)
from application.world import World, check_refused

from lessonstudy.domain.errors import (
    InvalidValueError,
    LifecycleError,
    NotAMemberError,
    PermissionDeniedError,
)


def test_permissions(world: World) -> None:
    app, lesson, live, disc = world.app, world.lesson_id, world.live_id, world.discussion_id

    def edit(actor: str) -> Callable[[], Any]:
        return lambda: app.change_plan_field(
            actor_id=actor, lesson_id=lesson, field="rationale", value="Why", base_revision=None
        )

    def phase(actor: str) -> Callable[[], Any]:
        return lambda: app.move_discussion_phase(
            actor_id=actor, discussion_id=disc, phase="planning_team"
        )

    def merge(actor: str) -> Callable[[], Any]:
        other = app.catalogue_misconception(
            actor_id=PLANNER, team_id=world.team_id, statement="Same", topic="probability"
        )
        return lambda: app.merge_misconceptions(
            actor_id=actor, team_id=world.team_id, source_id=other, target_id=world.misconception_id
        )

    roles = PermissionDeniedError
    check_refused(
        app,
        [
            ("outsider edits the plan", edit(OUTSIDER), NotAMemberError, "actor"),
            ("guest edits the plan", edit(KNOWLEDGEABLE_OTHER), NotAMemberError, "actor"),
            ("observer edits the plan", edit(OBSERVER), roles, "roles"),
            ("curator edits the plan", edit(CURATOR), roles, "roles"),
            ("facilitator edits the plan", edit(FACILITATOR), roles, "roles"),
            (
                "planner schedules a teaching",
                lambda: app.schedule_teaching(
                    actor_id=PLANNER, lesson_id=lesson, instructor_id=INSTRUCTOR, class_label="6D"
                ),
                roles,
                "roles",
            ),
            (
                "planner starts a teaching",
                lambda: app.start_teaching(actor_id=PLANNER, teaching_id=world.scheduled_id),
                roles,
                "roles",
            ),
            (
                "observer ends the lesson",
                lambda: app.end_teaching(actor_id=OBSERVER, teaching_id=live),
                roles,
                "roles",
            ),
            (
                "outsider opens to guests",
                lambda: app.open_to_guests(actor_id=OUTSIDER, teaching_id=live),
                NotAMemberError,
                "actor",
            ),
            ("planner facilitates", phase(PLANNER), roles, "roles"),
            ("instructor facilitates", phase(INSTRUCTOR), roles, "roles"),
            ("guest facilitates", phase(KNOWLEDGEABLE_OTHER), roles, "roles"),
            ("outsider facilitates", phase(OUTSIDER), NotAMemberError, "actor"),
            (
                "observer opens the discussion",
                lambda: app.open_discussion(actor_id=OBSERVER, teaching_id=world.done_id),
                roles,
                "roles",
            ),
            (
                "planner accepts a revision",
                lambda: app.decide_revision(
                    actor_id=PLANNER, discussion_id=disc, revision_id="v1", accept=True
                ),
                roles,
                "roles",
            ),
            (
                "planner starts the next cycle",
                lambda: app.start_next_cycle(actor_id=PLANNER, discussion_id=disc),
                roles,
                "roles",
            ),
            (
                "not the instructor speaks first",
                lambda: app.contribute(
                    actor_id=PLANNER, discussion_id=disc, contribution_id="x", text="Me first"
                ),
                roles,
                "phase",
            ),
            ("planner merges entries", merge(PLANNER), roles, "roles"),
            ("facilitator merges entries", merge(FACILITATOR), roles, "roles"),
            (
                "planner edits an entry",
                lambda: app.edit_misconception(
                    actor_id=PLANNER,
                    team_id=world.team_id,
                    misconception_id=world.misconception_id,
                    statement="Reworded",
                ),
                roles,
                "roles",
            ),
            (
                "observer hides a quote",
                lambda: app.hide_quote(
                    actor_id=OBSERVER,
                    team_id=world.team_id,
                    misconception_id=world.misconception_id,
                    note_id="n1",
                ),
                roles,
                "roles",
            ),
            (
                "observer adds a member",
                lambda: app.add_member(
                    actor_id=OBSERVER,
                    team_id=world.team_id,
                    person_id="new",
                    name="New",
                    roles=["observer"],
                ),
                roles,
                "roles",
            ),
        ],
    )


def test_guests_need_the_code_and_stay_guests(world: World) -> None:
    app, live = world.app, world.live_id

    def join(teaching: str, code: str, roles: list[str] | None = None) -> Callable[[], Any]:
        return lambda: app.join_as_guest(
            teaching_id=teaching, join_code=code, person_id=GUEST_OBSERVER, name="Gus", roles=roles
        )

    wrong = "ZZZZZZ" if world.code != "ZZZZZZ" else "YYYYYY"
    ended_code = app.get_teaching(world.done_id).join_code
    check_refused(
        app,
        [
            ("a wrong code", join(live, wrong), InvalidValueError, "join_code"),
            ("no code given", join(live, ""), InvalidValueError, "join_code"),
            ("a lesson not opened", join(world.scheduled_id, world.code), InvalidValueError,
             "join_code"),
            (
                "a note without joining",
                lambda: app.record_note(
                    actor_id=GUEST_OBSERVER, teaching_id=live, note_id="g1", **note("Hm")
                ),
                NotAMemberError,
                "actor",
            ),
            ("a guest as facilitator", join(live, world.code, ["facilitator"]),
             PermissionDeniedError, "roles"),
            ("a guest as curator", join(live, world.code, ["observer", "curator"]),
             PermissionDeniedError, "roles"),
            ("a role nobody has", join(live, world.code, ["admin"]), InvalidValueError, "roles"),
            ("a lesson that has ended", join(world.done_id, str(ended_code)), LifecycleError,
             "status"),
        ],
    )  # fmt: skip
    assert set(app.get_teaching(live).guests) == {KNOWLEDGEABLE_OTHER}
    app.join_as_guest(teaching_id=live, join_code=world.code, person_id=GUEST_OBSERVER, name="Gus")
    receipt = app.record_note(
        actor_id=GUEST_OBSERVER, teaching_id=live, note_id="g1", **note('"Red"')
    )
    assert receipt.duplicate is False
    assert app.get_teaching(live).guests[GUEST_OBSERVER] == {"name": "Gus", "roles": ["observer"]}


def test_a_member_who_joins_with_the_code_keeps_their_team_roles(world: World) -> None:
    """The facilitator types the code on a phone too: they must still run the discussion."""
    app, live = world.app, world.live_id
    app.join_as_guest(teaching_id=live, join_code=world.code, person_id=FACILITATOR, name="Fay")
    app.record_note(actor_id=FACILITATOR, teaching_id=live, note_id="f1", **note('"Red!"'))
    app.end_teaching(actor_id=INSTRUCTOR, teaching_id=live)
    discussion_id = app.open_discussion(actor_id=FACILITATOR, teaching_id=live)
    app.move_discussion_phase(
        actor_id=FACILITATOR, discussion_id=discussion_id, phase="planning_team"
    )
    assert app.get_discussion(discussion_id).phase == "planning_team"
    assert [n["note_id"] for n in app.get_notes(live)] == ["f1"]

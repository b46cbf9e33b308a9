"""Team: formed by someone who can manage it, members added, re-roled and removed."""

from __future__ import annotations

from typing import Any

import pytest
from domain.gwt import assert_replays, given, then_events, then_no_events, then_refused

from lessonstudy.domain.errors import (
    InvalidValueError,
    NotAMemberError,
    NotFoundError,
    PermissionDeniedError,
)
from lessonstudy.domain.permissions import Action
from lessonstudy.domain.team import Team

FORM: dict[str, Any] = {
    "name": "Grade 5 maths",
    "school": "Hillside Primary",
    "research_theme": "Students explain their reasoning",
    "founder_id": "ann",
    "founder_name": "Ann",
    "founder_roles": ["planner"],
}


def a_team() -> Team:
    return given(Team.form(**FORM))


def a_team_with_bob() -> Team:
    team = Team.form(**FORM)
    team.add_member(by="ann", person_id="bob", name="Bob", roles=["observer"])
    return given(team)


def test_form_records_founder_with_sorted_roles() -> None:
    team = Team.form(
        **{**FORM, "name": "  Grade 5 maths ", "founder_roles": ["planner", "observer"]}
    )
    assert then_events(team) == [
        (
            "Team.Formed",
            {
                "name": "Grade 5 maths",
                "school": "Hillside Primary",
                "research_theme": "Students explain their reasoning",
                "founder_id": "ann",
                "founder_name": "Ann",
                "founder_roles": ["observer", "planner"],
            },
        )
    ]
    assert team.members == {"ann": {"name": "Ann", "roles": ["observer", "planner"]}}


@pytest.mark.parametrize("roles", [["observer"], ["instructor", "curator"]])
def test_form_refuses_founder_who_cannot_manage(roles: list[str]) -> None:
    with pytest.raises(PermissionDeniedError) as info:
        Team.form(**{**FORM, "founder_roles": roles})
    assert info.value.field == "roles"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"founder_roles": []}, "roles"),
        ({"founder_roles": ["boss"]}, "roles"),
        ({"name": "  "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"school": ""}, "school"),
        ({"research_theme": 7}, "research_theme"),
        ({"founder_id": ""}, "founder_id"),
        ({"founder_name": ""}, "founder_name"),
    ],
)
def test_form_validates_each_field(change: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidValueError) as info:
        Team.form(**{**FORM, **change})
    assert type(info.value) is InvalidValueError
    assert info.value.field == field


def test_add_member() -> None:
    team = a_team()
    team.add_member(by="ann", person_id="bob", name=" Bob ", roles=["observer", "instructor"])
    assert then_events(team) == [
        (
            "Team.MemberAdded",
            {"person_id": "bob", "name": "Bob", "roles": ["instructor", "observer"], "by": "ann"},
        )
    ]
    assert team.roles_of("bob") == ["instructor", "observer"]


def test_adding_the_same_member_twice_changes_nothing() -> None:
    team = a_team_with_bob()
    team.add_member(by="ann", person_id="bob", name="Bob", roles=["observer", "observer"])
    then_no_events(team)


def test_re_adding_a_member_with_new_roles_replaces_them() -> None:
    team = a_team_with_bob()
    team.add_member(by="ann", person_id="bob", name="Bob", roles=["planner"])
    assert then_events(team) == [
        ("Team.MemberAdded", {"person_id": "bob", "name": "Bob", "roles": ["planner"], "by": "ann"})
    ]


def test_re_adding_the_last_manager_without_a_managing_role_is_refused() -> None:
    team = a_team_with_bob()
    then_refused(
        team,
        InvalidValueError,
        "roles",
        lambda: team.add_member(by="ann", person_id="ann", name="Ann", roles=["observer"]),
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"roles": []}, "roles"),
        ({"roles": ["chief"]}, "roles"),
        ({"person_id": " "}, "person_id"),
        ({"name": ""}, "name"),
    ],
)
def test_add_member_validates(change: dict[str, Any], field: str) -> None:
    team = a_team()
    args = {"by": "ann", "person_id": "bob", "name": "Bob", "roles": ["observer"], **change}
    then_refused(team, InvalidValueError, field, lambda: team.add_member(**args))


def test_non_member_cannot_manage() -> None:
    team = a_team()
    then_refused(
        team,
        NotAMemberError,
        "actor",
        lambda: team.add_member(by="zoe", person_id="bob", name="Bob", roles=["observer"]),
    )


def test_member_without_managing_role_cannot_manage() -> None:
    team = a_team_with_bob()
    then_refused(
        team, PermissionDeniedError, "roles", lambda: team.remove_member(by="bob", person_id="ann")
    )
    then_refused(
        team,
        PermissionDeniedError,
        "roles",
        lambda: team.change_roles(by="bob", person_id="bob", roles=["planner"]),
    )


def test_change_roles() -> None:
    team = a_team_with_bob()
    team.change_roles(by="ann", person_id="bob", roles=["facilitator", "observer"])
    assert then_events(team) == [
        (
            "Team.RolesChanged",
            {"person_id": "bob", "roles": ["facilitator", "observer"], "by": "ann"},
        )
    ]


def test_change_to_the_same_roles_changes_nothing() -> None:
    team = a_team_with_bob()
    team.change_roles(by="ann", person_id="bob", roles=["observer"])
    then_no_events(team)


def test_change_roles_of_a_non_member_is_not_found() -> None:
    team = a_team()
    then_refused(
        team,
        NotFoundError,
        "person_id",
        lambda: team.change_roles(by="ann", person_id="zoe", roles=["observer"]),
    )


def test_change_roles_validates_roles() -> None:
    team = a_team_with_bob()
    then_refused(
        team,
        InvalidValueError,
        "roles",
        lambda: team.change_roles(by="ann", person_id="bob", roles=[]),
    )


def test_the_last_manager_cannot_be_demoted() -> None:
    team = a_team_with_bob()
    then_refused(
        team,
        InvalidValueError,
        "roles",
        lambda: team.change_roles(by="ann", person_id="ann", roles=["observer"]),
    )


def test_a_manager_can_be_demoted_while_another_remains() -> None:
    team = a_team_with_bob()
    team.change_roles(by="ann", person_id="bob", roles=["facilitator"])
    given(team)
    team.change_roles(by="bob", person_id="ann", roles=["observer"])
    assert then_events(team) == [
        ("Team.RolesChanged", {"person_id": "ann", "roles": ["observer"], "by": "bob"})
    ]


def test_remove_member() -> None:
    team = a_team_with_bob()
    team.remove_member(by="ann", person_id="bob")
    assert then_events(team) == [("Team.MemberRemoved", {"person_id": "bob", "by": "ann"})]
    assert not team.is_member("bob")
    with pytest.raises(NotAMemberError):
        team.roles_of("bob")


def test_the_last_manager_cannot_be_removed() -> None:
    team = a_team_with_bob()
    then_refused(
        team, InvalidValueError, "roles", lambda: team.remove_member(by="ann", person_id="ann")
    )


def test_remove_a_non_member_is_not_found() -> None:
    team = a_team()
    then_refused(
        team, NotFoundError, "person_id", lambda: team.remove_member(by="ann", person_id="zoe")
    )


def test_change_details() -> None:
    team = a_team()
    team.change_details(by="ann", name="Maths 5", school="Hillside Primary", research_theme="")
    assert then_events(team) == [
        (
            "Team.DetailsChanged",
            {"name": "Maths 5", "school": "Hillside Primary", "research_theme": "", "by": "ann"},
        )
    ]


def test_change_details_to_the_same_details_changes_nothing() -> None:
    team = a_team()
    team.change_details(
        by="ann",
        name="Grade 5 maths ",
        school="Hillside Primary",
        research_theme="Students explain their reasoning",
    )
    then_no_events(team)


@pytest.mark.parametrize(("field", "value"), [("name", ""), ("school", " "), ("research_theme", 1)])
def test_change_details_validates(field: str, value: Any) -> None:
    team = a_team()
    details: dict[str, Any] = {"name": "N", "school": "S", "research_theme": "", field: value}
    then_refused(team, InvalidValueError, field, lambda: team.change_details(by="ann", **details))


def test_authorize_checks_membership_then_roles() -> None:
    team = a_team_with_bob()
    team.authorize("ann", Action.MANAGE_TEAM)
    team.authorize("bob", Action.OBSERVE)
    with pytest.raises(PermissionDeniedError):
        team.authorize("bob", Action.EDIT_PLAN)
    with pytest.raises(NotAMemberError):
        team.authorize("zoe", Action.OBSERVE)


def test_replay() -> None:
    team = Team.form(**FORM)
    team.add_member(by="ann", person_id="bob", name="Bob", roles=["observer"])
    team.add_member(by="ann", person_id="cy", name="Cy", roles=["instructor"])
    team.change_roles(by="ann", person_id="bob", roles=["facilitator"])
    team.remove_member(by="bob", person_id="cy")
    team.change_details(by="bob", name="Maths", school="Hillside", research_theme="Reasoning")
    events = team.collect_events()
    assert_replays(team, events)
    assert team.members == {
        "ann": {"name": "Ann", "roles": ["planner"]},
        "bob": {"name": "Bob", "roles": ["facilitator"]},
    }

"""How people join: an Account per e-mail, an Invitation per code, and Team.admit."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import NAMESPACE_URL, uuid5

import pytest
from domain.gwt import AT, assert_replays, given, then_events, then_no_events, then_refused

from lessonstudy.domain.account import Account, account_id_for, normalise_email
from lessonstudy.domain.errors import (
    InvalidValueError,
    LifecycleError,
    NotAMemberError,
    PermissionDeniedError,
)
from lessonstudy.domain.invitation import Invitation, invitation_id_for, normalise_code
from lessonstudy.domain.team import Team

EXPIRES = AT + dt.timedelta(days=7)
ISSUE: dict[str, Any] = {
    "code": "k7qx-2m",
    "team_id": "team-1",
    "roles": ["observer", "instructor"],
    "expires_at": EXPIRES,
    "max_uses": 2,
    "by": "ann",
}


def an_account() -> Account:
    return given(Account.register(email="ann@school.org", display_name="Ann", password_hash="h1"))


def an_invitation(**change: Any) -> Invitation:
    return given(Invitation.issue(**{**ISSUE, **change}))


def test_register() -> None:
    account = Account.register(email=" Ann@School.ORG ", display_name=" Ann ", password_hash="h1")
    assert then_events(account) == [
        (
            "Account.Registered",
            {"email": "ann@school.org", "display_name": "Ann", "password_hash": "h1"},
        )
    ]
    assert account.id == uuid5(NAMESPACE_URL, "lessonstudy:account:ann@school.org")
    assert account.id == account_id_for("ANN@school.org")


@pytest.mark.parametrize(
    ("email", "display_name", "field"),
    [
        ("ann", "Ann", "email"),
        ("ann@school", "Ann", "email"),
        ("a n@school.org", "Ann", "email"),
        ("", "Ann", "email"),
        ("ann@school.org", " ", "display_name"),
        ("ann@school.org", "n" * 201, "display_name"),
    ],
)
def test_register_validates(email: str, display_name: str, field: str) -> None:
    with pytest.raises(InvalidValueError) as info:
        Account.register(email=email, display_name=display_name, password_hash="h")
    assert info.value.field == field


def test_normalise_email() -> None:
    assert normalise_email("  Kim.Lee@Example.Org") == "kim.lee@example.org"


def test_change_password() -> None:
    account = an_account()
    account.change_password(password_hash="h2")
    assert then_events(account) == [("Account.PasswordChanged", {"password_hash": "h2"})]


def test_rename() -> None:
    account = an_account()
    account.rename(display_name=" Ann B ")
    assert then_events(account) == [("Account.Renamed", {"display_name": "Ann B"})]
    account.rename(display_name="Ann B")
    then_no_events(account)
    then_refused(
        account, InvalidValueError, "display_name", lambda: account.rename(display_name="")
    )


def test_issue_invitation_with_an_id_from_its_code() -> None:
    invitation = Invitation.issue(**ISSUE)
    assert then_events(invitation) == [
        (
            "Invitation.Issued",
            {
                "team_id": "team-1",
                "roles": ["instructor", "observer"],
                "expires_at": EXPIRES,
                "max_uses": 2,
                "by": "ann",
            },
        )
    ]
    assert normalise_code(" k7qx-2m ") == "K7QX2M"
    assert invitation.id == invitation_id_for("K7QX 2M")
    assert invitation.id == uuid5(NAMESPACE_URL, "lessonstudy:invitation:K7QX2M")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"max_uses": 0}, "max_uses"),
        ({"max_uses": 201}, "max_uses"),
        ({"roles": ["boss"]}, "roles"),
    ],
)
def test_issue_validates(change: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidValueError) as info:
        Invitation.issue(**{**ISSUE, **change})
    assert info.value.field == field


def test_accept() -> None:
    invitation = an_invitation()
    assert invitation.accept(person_id="bob", at=AT)
    assert then_events(invitation) == [("Invitation.Accepted", {"person_id": "bob", "at": AT})]
    assert not invitation.accept(person_id="bob", at=AT)
    then_no_events(invitation)


def test_accept_until_used_up() -> None:
    invitation = an_invitation(max_uses=1)
    invitation.accept(person_id="bob", at=AT)
    given(invitation)
    then_refused(
        invitation, LifecycleError, "code", lambda: invitation.accept(person_id="cy", at=AT)
    )


def test_accept_refuses_after_expiry() -> None:
    invitation = an_invitation()
    later = EXPIRES + dt.timedelta(seconds=1)
    then_refused(
        invitation, LifecycleError, "code", lambda: invitation.accept(person_id="cy", at=later)
    )
    assert invitation.accept(person_id="cy", at=EXPIRES)


def test_revoke() -> None:
    invitation = an_invitation()
    invitation.revoke(by="ann")
    assert then_events(invitation) == [("Invitation.Revoked", {"by": "ann"})]
    invitation.revoke(by="ann")
    then_no_events(invitation)
    then_refused(
        invitation, LifecycleError, "code", lambda: invitation.accept(person_id="cy", at=AT)
    )


def a_team() -> Team:
    team = Team.form(
        name="Maths",
        school="Hillside",
        research_theme="",
        founder_id="ann",
        founder_name="Ann",
        founder_roles=["planner"],
    )
    team.add_member(by="ann", person_id="bob", name="Bob", roles=["observer"])
    return given(team)


def test_admit_adds_whoever_accepted_an_invitation() -> None:
    team = a_team()
    team.admit(person_id=" cy ", name=" Cy ", roles=["observer"], invited_by="ann")
    assert then_events(team) == [
        ("Team.MemberAdded", {"person_id": "cy", "name": "Cy", "roles": ["observer"], "by": "ann"})
    ]
    team.admit(person_id="bob", name="Bob", roles=["planner"], invited_by="ann")
    team.admit(person_id=" ann ", name="Ann", roles=["observer"], invited_by="ann")
    then_no_events(team)
    assert team.roles_of("ann") == ["planner"]


@pytest.mark.parametrize(
    ("invited_by", "change", "error", "field"),
    [
        ("zoe", {}, NotAMemberError, "actor"),
        ("bob", {}, PermissionDeniedError, "roles"),
        ("ann", {"roles": []}, InvalidValueError, "roles"),
        ("ann", {"name": ""}, InvalidValueError, "name"),
        ("ann", {"person_id": ""}, InvalidValueError, "person_id"),
    ],
)
def test_admit_refusals(
    invited_by: str, change: dict[str, Any], error: type[Any], field: str
) -> None:
    team = a_team()
    args = {"person_id": "cy", "name": "Cy", "roles": ["observer"], **change}
    then_refused(team, error, field, lambda: team.admit(invited_by=invited_by, **args))


def test_replay() -> None:
    account = Account.register(email="ann@school.org", display_name="Ann", password_hash="h1")
    account.change_password(password_hash="h2")
    account.rename(display_name="Ann B")
    assert_replays(account, account.collect_events())
    invitation = Invitation.issue(**ISSUE)
    invitation.accept(person_id="bob", at=AT)
    invitation.revoke(by="ann")
    assert_replays(invitation, invitation.collect_events())

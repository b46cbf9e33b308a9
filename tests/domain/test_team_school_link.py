"""A team opens its school's read-only catalogue link, replaces it and closes it."""

from __future__ import annotations

from domain.gwt import given, then_events, then_no_events, then_refused

from lessonstudy.domain.errors import InvalidValueError, PermissionDeniedError
from lessonstudy.domain.team import Team, token_digest

TOKEN = "k3Yq0mZl8TqsbH1v2x9W-aBcDeFgHiJk"
OTHER = "zz" * 16


def a_team() -> Team:
    team = Team.form(
        name="Grade 5 maths",
        school="Hillside Primary",
        research_theme="",
        founder_id="ann",
        founder_name="Ann",
        founder_roles=["planner", "facilitator"],
    )
    team.add_member(by="ann", person_id="cat", name="Cat", roles=["curator"])
    team.add_member(by="ann", person_id="pat", name="Pat", roles=["planner"])
    return given(team)


def test_a_new_team_has_no_open_link() -> None:
    team = a_team()
    assert team.school_link_open is False
    assert team.school_link_opens(TOKEN) is False


def test_a_curator_opens_the_link_and_only_the_digest_is_logged() -> None:
    team = a_team()
    team.open_school_link(by="cat", token=TOKEN)
    assert then_events(team) == [
        ("Team.SchoolLinkOpened", {"token_digest": token_digest(TOKEN), "by": "cat"})
    ]
    assert TOKEN not in repr(team.collect_events())
    assert team.school_link_opens(TOKEN) is True
    assert team.school_link_opens(OTHER) is False


def test_a_new_token_replaces_the_old_and_closing_stops_both() -> None:
    team = a_team()
    team.open_school_link(by="ann", token=TOKEN)
    team.open_school_link(by="ann", token=OTHER)
    assert (team.school_link_opens(TOKEN), team.school_link_opens(OTHER)) == (False, True)
    team.collect_events()
    team.close_school_link(by="cat")
    assert then_events(team) == [("Team.SchoolLinkClosed", {"by": "cat"})]
    assert team.school_link_open is False and team.school_link_opens(OTHER) is False
    team.close_school_link(by="cat")
    then_no_events(team)


def test_a_planner_may_not_share_and_a_short_token_is_refused() -> None:
    team = a_team()
    then_refused(
        team,
        PermissionDeniedError,
        "roles",
        lambda: team.open_school_link(by="pat", token=TOKEN),
    )
    then_refused(team, PermissionDeniedError, "roles", lambda: team.close_school_link(by="pat"))
    then_refused(
        team, InvalidValueError, "token", lambda: team.open_school_link(by="ann", token="short")
    )

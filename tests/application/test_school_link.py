"""A school's catalogue link through the service, on every store: opened, checked by
another process (its own cache), replaced and closed, taking effect at once there."""

from __future__ import annotations

import pytest
from application.scenario import FACILITATOR, OBSERVER, form_team

from lessonstudy.application import LessonStudy
from lessonstudy.domain.errors import NotFoundError, PermissionDeniedError


def refused(service: LessonStudy, team_id: str, token: str) -> None:
    with pytest.raises(NotFoundError) as info:
        service.school_of_link(team_id, token)
    assert (info.value.field, info.value.message) == ("token", "this school link is not open")


def test_a_link_opens_for_another_process_and_stops_there_at_once(
    app: LessonStudy, peer: LessonStudy
) -> None:
    team_id = str(form_team(app))
    assert app.school_link_open(team_id) is False
    refused(peer, team_id, "x" * 32)

    token = app.open_school_link(actor_id=FACILITATOR, team_id=team_id)
    assert len(token) >= 32
    assert peer.school_of_link(team_id, token) == "Hill School"  # peer cached the team
    assert peer.school_link_open(team_id) is True

    newer = app.open_school_link(actor_id=FACILITATOR, team_id=team_id)
    refused(peer, team_id, token)
    assert peer.school_of_link(team_id, newer) == "Hill School"

    head = app.recorder.max_notification_id()
    app.close_school_link(actor_id=FACILITATOR, team_id=team_id)
    refused(peer, team_id, newer)
    app.close_school_link(actor_id=FACILITATOR, team_id=team_id)  # closed: nothing new
    assert app.recorder.max_notification_id() == (head or 0) + 1


def test_an_observer_may_not_share_and_unknown_teams_look_closed(app: LessonStudy) -> None:
    team_id = str(form_team(app))
    head = app.recorder.max_notification_id()
    with pytest.raises(PermissionDeniedError):
        app.open_school_link(actor_id=OBSERVER, team_id=team_id)
    assert app.recorder.max_notification_id() == head
    refused(app, "00000000-0000-4000-8000-000000000000", "x" * 32)
    refused(app, "not-a-uuid", "x" * 32)

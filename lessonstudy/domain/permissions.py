"""Who may do what: the roles of lesson study mapped to the actions they allow.

The rule lives here, in one table, so a new action cannot be added without saying
who may take it. Nothing here scores or ranks a teacher: roles describe the work a
member does in the cycle, not their standing.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from lessonstudy.domain.errors import PermissionDeniedError
from lessonstudy.domain.values import Role


class Action(StrEnum):
    MANAGE_TEAM = "manage_team"
    DEFINE_TASK = "define_task"
    EDIT_PLAN = "edit_plan"
    RUN_TEACHING = "run_teaching"
    OBSERVE = "observe"
    FACILITATE = "facilitate"
    REFLECT_AS_INSTRUCTOR = "reflect_as_instructor"
    CONTRIBUTE_TO_DISCUSSION = "contribute_to_discussion"
    COMMENT_AS_KNOWLEDGEABLE_OTHER = "comment_as_knowledgeable_other"
    CURATE_CATALOGUE = "curate_catalogue"
    SHARE_CATALOGUE = "share_catalogue"


_EVERY_ROLE = frozenset(Role)

ALLOWED_ROLES: dict[Action, frozenset[Role]] = {
    Action.MANAGE_TEAM: frozenset({Role.PLANNER, Role.FACILITATOR}),
    Action.DEFINE_TASK: frozenset({Role.PLANNER, Role.INSTRUCTOR, Role.FACILITATOR}),
    Action.EDIT_PLAN: frozenset({Role.PLANNER, Role.INSTRUCTOR}),
    Action.RUN_TEACHING: frozenset({Role.INSTRUCTOR, Role.FACILITATOR}),
    # Everyone in the room may record what students do; that is the point.
    Action.OBSERVE: _EVERY_ROLE,
    Action.FACILITATE: frozenset({Role.FACILITATOR}),
    Action.REFLECT_AS_INSTRUCTOR: frozenset({Role.INSTRUCTOR}),
    Action.CONTRIBUTE_TO_DISCUSSION: _EVERY_ROLE,
    Action.COMMENT_AS_KNOWLEDGEABLE_OTHER: frozenset({Role.KNOWLEDGEABLE_OTHER}),
    Action.CURATE_CATALOGUE: frozenset({Role.CURATOR}),
    # Opening the catalogue to a whole school speaks for the team: its facilitator or
    # the curator who keeps the catalogue, not any member.
    Action.SHARE_CATALOGUE: frozenset({Role.FACILITATOR, Role.CURATOR}),
}


def may(roles: Iterable[Role | str], action: Action) -> bool:
    return any(Role(role) in ALLOWED_ROLES[action] for role in roles)


def require(roles: Iterable[Role | str], action: Action) -> None:
    """Raise PermissionDeniedError unless one of the roles allows the action."""
    roles = list(roles)
    if not may(roles, action):
        allowed = ", ".join(sorted(ALLOWED_ROLES[action]))
        raise PermissionDeniedError(
            f"{action.value.replace('_', ' ')} needs one of the roles: {allowed}",
            field="roles",
        )

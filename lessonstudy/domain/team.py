"""A lesson-study team: its school, research theme and members with their roles."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from typing import Any

from eventsourcing.domain import Aggregate, event

from lessonstudy.domain.errors import InvalidValueError, NotAMemberError, NotFoundError
from lessonstudy.domain.permissions import Action, require
from lessonstudy.domain.values import Role, check_choice, check_text

SCHOOL_LINK_MIN_TOKEN = 20  # characters of a URL-safe token: far beyond guessing


def token_digest(token: str) -> str:
    """What the log keeps of a school link's token: anyone who can read the log must
    not be able to open the link, as with invitation codes."""
    return hashlib.sha256(token.encode()).hexdigest()


def check_roles(roles: Iterable[str]) -> list[str]:
    checked = sorted({check_choice(Role, role, "roles").value for role in roles})
    if not checked:
        raise InvalidValueError("a member needs at least one role", field="roles")
    return checked


class Team(Aggregate):
    """Members are keyed by person id; a person's display name travels with them."""

    # The digest of the token of the school's read-only catalogue link, while it is
    # open. A class default, so teams (and snapshots) from before the link read as closed.
    school_link_digest: str | None = None

    @event("Formed")
    def __init__(
        self,
        name: str,
        school: str,
        research_theme: str,
        founder_id: str,
        founder_name: str,
        founder_roles: list[str],
    ) -> None:
        self.name = name
        self.school = school
        self.research_theme = research_theme
        self.members: dict[str, dict[str, Any]] = {
            founder_id: {"name": founder_name, "roles": list(founder_roles)}
        }

    @classmethod
    def form(
        cls,
        *,
        name: str,
        school: str,
        research_theme: str,
        founder_id: str,
        founder_name: str,
        founder_roles: Iterable[str],
    ) -> Team:
        roles = check_roles(founder_roles)
        require(roles, Action.MANAGE_TEAM)  # someone must be able to add the others
        return cls(
            name=check_text(name, "name", max_length=200),
            school=check_text(school, "school", max_length=200),
            research_theme=check_text(research_theme, "research_theme", required=False),
            founder_id=check_text(founder_id, "founder_id", max_length=100),
            founder_name=check_text(founder_name, "founder_name", max_length=200),
            founder_roles=roles,
        )

    # --- queries -------------------------------------------------------------------

    def roles_of(self, person_id: str) -> list[str]:
        member = self.members.get(person_id)
        if member is None:
            # Not the team's name: this is what an outsider hears, and they learn nothing.
            raise NotAMemberError(f"{person_id} is not a member of this team", field="actor")
        return list(member["roles"])

    def is_member(self, person_id: str) -> bool:
        return person_id in self.members

    def authorize(self, person_id: str, action: Action) -> None:
        """Raise unless the person is a member whose roles allow the action."""
        require(self.roles_of(person_id), action)

    # --- commands ------------------------------------------------------------------

    def add_member(self, *, by: str, person_id: str, name: str, roles: Iterable[str]) -> None:
        self.authorize(by, Action.MANAGE_TEAM)
        checked = check_roles(roles)
        person_id = check_text(person_id, "person_id", max_length=100)
        name = check_text(name, "name", max_length=200)
        current = self.members.get(person_id)
        if current == {"name": name, "roles": checked}:
            return  # adding the same member twice changes nothing
        if current is not None:
            # Re-adding an existing member replaces their roles: the same rule as
            # change_roles, or the last manager could demote themselves this way.
            self._check_someone_can_manage(person_id, checked)
        self._member_added(person_id=person_id, name=name, roles=checked, by=by)

    def admit(self, *, person_id: str, name: str, roles: Iterable[str], invited_by: str) -> None:
        """Add someone who accepted an invitation; its issuer must still manage the team."""
        self.authorize(invited_by, Action.MANAGE_TEAM)
        # Normalised before the membership check, or " ann " would replace ann's roles.
        person_id = check_text(person_id, "person_id", max_length=100)
        if person_id in self.members:
            return  # already in: accepting again changes nothing
        self._member_added(
            person_id=person_id,
            name=check_text(name, "name", max_length=200),
            roles=check_roles(roles),
            by=invited_by,
        )

    @event("MemberAdded")
    def _member_added(self, person_id: str, name: str, roles: list[str], by: str) -> None:
        self.members[person_id] = {"name": name, "roles": list(roles)}

    def change_roles(self, *, by: str, person_id: str, roles: Iterable[str]) -> None:
        self.authorize(by, Action.MANAGE_TEAM)
        self._require_member(person_id)
        checked = check_roles(roles)
        if self.members[person_id]["roles"] == checked:
            return
        self._check_someone_can_manage(person_id, checked)
        self._roles_changed(person_id=person_id, roles=checked, by=by)

    @event("RolesChanged")
    def _roles_changed(self, person_id: str, roles: list[str], by: str) -> None:
        self.members[person_id]["roles"] = list(roles)

    def remove_member(self, *, by: str, person_id: str) -> None:
        self.authorize(by, Action.MANAGE_TEAM)
        self._require_member(person_id)
        self._check_someone_can_manage(person_id, [])
        self._member_removed(person_id=person_id, by=by)

    @event("MemberRemoved")
    def _member_removed(self, person_id: str, by: str) -> None:
        del self.members[person_id]

    def change_details(self, *, by: str, name: str, school: str, research_theme: str) -> None:
        self.authorize(by, Action.MANAGE_TEAM)
        details = {
            "name": check_text(name, "name", max_length=200),
            "school": check_text(school, "school", max_length=200),
            "research_theme": check_text(research_theme, "research_theme", required=False),
        }
        if details == {
            "name": self.name,
            "school": self.school,
            "research_theme": self.research_theme,
        }:
            return
        self._details_changed(by=by, **details)

    @event("DetailsChanged")
    def _details_changed(self, name: str, school: str, research_theme: str, by: str) -> None:
        self.name = name
        self.school = school
        self.research_theme = research_theme

    # --- the school's read-only catalogue link -------------------------------------

    def open_school_link(self, *, by: str, token: str) -> None:
        """Let anyone with the token read the catalogue without an account; a new
        token replaces the old one, whose link stops working."""
        self.authorize(by, Action.SHARE_CATALOGUE)
        token = check_text(token, "token", max_length=200)
        if len(token) < SCHOOL_LINK_MIN_TOKEN:
            raise InvalidValueError(
                f"a school link token needs at least {SCHOOL_LINK_MIN_TOKEN} characters",
                field="token",
            )
        self._school_link_opened(token_digest=token_digest(token), by=by)

    @event("SchoolLinkOpened")
    def _school_link_opened(self, token_digest: str, by: str) -> None:
        self.school_link_digest = token_digest

    def close_school_link(self, *, by: str) -> None:
        self.authorize(by, Action.SHARE_CATALOGUE)
        if self.school_link_digest is None:
            return  # closing a closed link changes nothing
        self._school_link_closed(by=by)

    @event("SchoolLinkClosed")
    def _school_link_closed(self, by: str) -> None:
        self.school_link_digest = None

    @property
    def school_link_open(self) -> bool:
        return self.school_link_digest is not None

    def school_link_opens(self, token: str) -> bool:
        """Whether token opens the school's link now (compared in constant time)."""
        if self.school_link_digest is None:
            return False
        return hmac.compare_digest(self.school_link_digest, token_digest(token))

    # --- rules ---------------------------------------------------------------------

    def _require_member(self, person_id: str) -> None:
        if person_id not in self.members:
            raise NotFoundError(f"{person_id} is not a member of {self.name}", field="person_id")

    def _check_someone_can_manage(self, person_id: str, new_roles: list[str]) -> None:
        """A team must keep at least one member who can manage it."""
        managers = {
            pid
            for pid, member in self.members.items()
            if any(r in (Role.PLANNER, Role.FACILITATOR) for r in member["roles"])
        }
        if managers <= {person_id} and not any(
            r in (Role.PLANNER, Role.FACILITATOR) for r in new_roles
        ):
            raise InvalidValueError(
                "the team would have no planner or facilitator left to manage it",
                field="roles",
            )

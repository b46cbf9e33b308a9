"""An invitation to join a team, by link or by a short code read out in a meeting.

The invitation's id is derived from its code, so a code finds its invitation with
no index. The code itself is a bearer secret and is never stored: only the id
derived from it (one-way) is.
"""

from __future__ import annotations

import datetime as dt
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from lessonstudy.domain.errors import InvalidValueError, LifecycleError
from lessonstudy.domain.team import check_roles


def normalise_code(code: str) -> str:
    return "".join(ch for ch in str(code).upper() if ch.isalnum())


def invitation_id_for(code: str) -> UUID:
    normalised = normalise_code(code)
    if len(normalised) < 6:
        raise InvalidValueError("that is not an invitation code", field="code")
    return uuid5(NAMESPACE_URL, f"lessonstudy:invitation:{normalised}")


class Invitation(Aggregate):
    # The id is given (derived from the code) rather than random.
    @event("Issued")
    def __init__(
        self,
        id: UUID,
        team_id: str,
        roles: list[str],
        expires_at: dt.datetime,
        max_uses: int,
        by: str,
    ) -> None:
        self.team_id = team_id
        self.roles = roles
        self.expires_at = expires_at
        self.max_uses = max_uses
        self.used_by: list[str] = []
        self.revoked = False
        self.issued_by = by

    @classmethod
    def issue(
        cls,
        *,
        code: str,
        team_id: str,
        roles: list[str],
        expires_at: dt.datetime,
        max_uses: int,
        by: str,
    ) -> Invitation:
        if expires_at.tzinfo is None:
            raise InvalidValueError("expires_at needs a time zone", field="expires_at")
        if isinstance(max_uses, bool) or not isinstance(max_uses, int) or not 1 <= max_uses <= 200:
            raise InvalidValueError("max_uses must be from 1 to 200", field="max_uses")
        return cls(
            id=invitation_id_for(code),
            team_id=team_id,
            roles=check_roles(roles),
            expires_at=expires_at,
            max_uses=max_uses,
            by=by,
        )

    def accept(self, *, person_id: str, at: dt.datetime) -> bool:
        """Use the invitation; False when this person already used it."""
        if person_id in self.used_by:
            return False
        if self.revoked:
            raise LifecycleError("this invitation was withdrawn", field="code")
        if at > self.expires_at:
            raise LifecycleError("this invitation has expired; ask for a new one", field="code")
        if len(self.used_by) >= self.max_uses:
            raise LifecycleError("this invitation has been used up", field="code")
        self._accepted(person_id=person_id, at=at)
        return True

    @event("Accepted")
    def _accepted(self, person_id: str, at: dt.datetime) -> None:
        self.used_by.append(person_id)

    def revoke(self, *, by: str) -> None:
        if not self.revoked:
            self._revoked(by=by)

    @event("Revoked")
    def _revoked(self, by: str) -> None:
        self.revoked = True

"""Accounts (sign-up, sign-in, passwords) and invitations to join a team."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from lessonstudy.application.base import ServiceBase
from lessonstudy.application.codes import spoken_code
from lessonstudy.domain.account import Account, account_id_for
from lessonstudy.domain.errors import DomainError, InvalidValueError, NotFoundError
from lessonstudy.domain.invitation import Invitation, invitation_id_for
from lessonstudy.domain.permissions import Action
from lessonstudy.domain.team import Team

MIN_PASSWORD = 10


class InvalidCredentialsError(DomainError):
    """Raised when an e-mail and password do not match an account (never says which)."""


@dataclass(frozen=True)
class AccountView:
    id: str
    email: str
    display_name: str


class Accounts(ServiceBase):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.hasher = PasswordHasher()
        # Verified against when the e-mail is unknown, so both cases take as long.
        self._decoy_hash = self.hasher.hash(secrets.token_hex(16))

    def register_account(self, *, email: str, display_name: str, password: str) -> UUID:
        _check_password(password)
        account = Account.register(
            email=email, display_name=display_name, password_hash=self.hasher.hash(password)
        )
        if self._exists(account.id):
            raise InvalidValueError("an account with this e-mail already exists", field="email")
        self._transact(lambda: (None, [account]))
        return account.id

    def authenticate(self, *, email: str, password: str) -> AccountView:
        try:
            account = self._load(Account, account_id_for(email), field="email")
        except (NotFoundError, InvalidValueError):
            self._verify(self._decoy_hash, password)
            raise InvalidCredentialsError(
                "e-mail or password is not right", field="password"
            ) from None
        if not self._verify(account.password_hash, password):
            raise InvalidCredentialsError("e-mail or password is not right", field="password")
        return _account_view(account)

    def change_password(self, *, account_id: UUID | str, current: str, new: str) -> int:
        _check_password(new, field="new_password")

        def attempt() -> tuple[None, list[Any]]:
            account = self._load(Account, account_id, field="account_id")
            if not self._verify(account.password_hash, current):
                raise InvalidCredentialsError(
                    "the current password is not right", field="current_password"
                )
            account.change_password(password_hash=self.hasher.hash(new))
            return None, [account]

        return self._transact(attempt)[1]

    def get_account(self, account_id: UUID | str) -> AccountView:
        return _account_view(self._load(Account, account_id, field="account_id"))

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self.hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    # --- invitations -----------------------------------------------------------------

    def invite(
        self,
        *,
        actor_id: str,
        team_id: UUID | str,
        roles: list[str],
        days: int = 14,
        max_uses: int = 30,
    ) -> str:
        """Issue an invitation; returns its code (shown once, never stored)."""
        team = self.authorize(actor_id, team_id, Action.MANAGE_TEAM)
        if not 1 <= days <= 90:
            raise InvalidValueError("days must be from 1 to 90", field="days")
        code = spoken_code(10)
        invitation = Invitation.issue(
            code=code,
            team_id=str(team.id),
            roles=roles,
            max_uses=max_uses,
            by=actor_id,
            expires_at=self.clock() + dt.timedelta(days=days),
        )
        self._transact(lambda: (None, [invitation]))
        return f"{code[:5]}-{code[5:]}"

    def accept_invitation(self, *, code: str, person_id: str, name: str) -> UUID:
        """Join the team the code invites to; returns the team's id."""

        def attempt() -> tuple[UUID, list[Any]]:
            invitation = self._load(Invitation, invitation_id_for(code), field="code")
            team = self._load(Team, invitation.team_id, field="team_id")
            if invitation.accept(person_id=person_id, at=self.clock()):
                team.admit(
                    person_id=person_id,
                    name=name,
                    roles=invitation.roles,
                    invited_by=invitation.issued_by,
                )
            return team.id, [invitation, team]

        return self._transact(attempt)[0]


def _check_password(password: object, field: str = "password") -> None:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise InvalidValueError(f"{field} needs at least {MIN_PASSWORD} characters", field=field)
    if len(password) > 1024:
        raise InvalidValueError(f"{field} is too long", field=field)


def _account_view(account: Account) -> AccountView:
    return AccountView(id=str(account.id), email=account.email, display_name=account.display_name)

"""A person's account: how they sign in, and the id every other event names them by.

The account id is derived from the normalised e-mail address, so the event store's
own uniqueness of (id, version) makes a second account for one address impossible,
without any index. Only a password *hash* is ever in an event; hashing happens in
the application layer, which passes the hash in.
"""

from __future__ import annotations

import re
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from lessonstudy.domain.errors import InvalidValueError
from lessonstudy.domain.values import check_text

EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s]{2,63}$")


def normalise_email(email: object) -> str:
    text = check_text(email, "email", max_length=320).lower()
    if not EMAIL.match(text):
        raise InvalidValueError("email must be an address like name@school.org", field="email")
    return text


def account_id_for(email: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"lessonstudy:account:{normalise_email(email)}")


class Account(Aggregate):
    @event("Registered")
    def __init__(self, email: str, display_name: str, password_hash: str) -> None:
        self.email = email
        self.display_name = display_name
        self.password_hash = password_hash

    @classmethod
    def create_id(cls, email: str, **_: Any) -> UUID:
        return account_id_for(email)

    @classmethod
    def register(cls, *, email: str, display_name: str, password_hash: str) -> Account:
        return cls(
            email=normalise_email(email),
            display_name=check_text(display_name, "display_name", max_length=200),
            password_hash=password_hash,
        )

    def change_password(self, *, password_hash: str) -> None:
        self._password_changed(password_hash=password_hash)

    @event("PasswordChanged")
    def _password_changed(self, password_hash: str) -> None:
        self.password_hash = password_hash

    def rename(self, *, display_name: str) -> None:
        name = check_text(display_name, "display_name", max_length=200)
        if name != self.display_name:
            self._renamed(display_name=name)

    @event("Renamed")
    def _renamed(self, display_name: str) -> None:
        self.display_name = display_name

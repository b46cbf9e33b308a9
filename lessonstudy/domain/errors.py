"""Domain errors: every rule the domain enforces fails with one of these.

Each error carries a machine-readable ``field`` (or None) so the boundaries (REST,
Socket.IO, CLI) can name what was wrong without parsing the message.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Raised when a command breaks a rule of the lesson-study domain."""

    field: str | None = None

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if field is not None:
            self.field = field


class InvalidValueError(DomainError):
    """Raised when a value given to a command is not acceptable (names the field)."""


class NotFoundError(DomainError):
    """Raised when a referenced team, lesson, step, note or entry does not exist."""


class NotAMemberError(DomainError):
    """Raised when a person acts on a team they do not belong to."""


class PermissionDeniedError(DomainError):
    """Raised when a member's roles do not allow what they try to do."""


class LifecycleError(DomainError):
    """Raised when a command comes at the wrong stage of the cycle."""


class PhaseOrderError(LifecycleError):
    """Raised when a discussion phase is skipped or an action is out of its phase."""


class EvidenceRequiredError(DomainError):
    """Raised when a claim, confirmation or revision cites no (or unknown) notes."""


class ConflictError(DomainError):
    """Raised when a change was made from a stale base; carries the current state."""

    def __init__(
        self, message: str, *, field: str | None = None, current: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message, field=field)
        self.current: dict[str, Any] = current or {}


class EditConflictError(ConflictError):
    """Raised when the same plan field was changed since the editor's base revision."""

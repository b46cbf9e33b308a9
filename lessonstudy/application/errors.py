"""Errors the application service adds to the domain's: storage and contention."""

from __future__ import annotations

from lessonstudy.domain.errors import ConflictError, DomainError


class StorageUnavailableError(DomainError):
    """Raised when the database cannot be reached or is locked for too long.

    Answered 503 ``unavailable`` naming the field ``database`` unless it names another
    (``database_url`` when the URL itself cannot be opened): a client resends later."""

    field = "database"


class ServiceBusyError(ConflictError):
    """Raised when a command kept losing races with other writers and gave up."""

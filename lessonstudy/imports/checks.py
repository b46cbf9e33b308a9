"""What every reader of a taxonomy file shares: the entry it yields and the checks it applies.

A reader checks the *whole* file before anything is written; any problem is an
ImportFileError naming the line or record and the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lessonstudy.domain.errors import InvalidValueError
from lessonstudy.domain.values import check_text

# The limits the domain applies (Misconception.catalogue), checked before writing.
LIMITS = {"external_id": 100, "statement": 2000, "topic": 200, "subject": 100}


class ImportFileError(InvalidValueError):
    """Raised when an import file is malformed; nothing from it has been written."""

    def __init__(self, where: str, field: str, problem: str) -> None:
        # The field travels separately (the CLI prints "field: message").
        super().__init__(f"{where}: {problem}; nothing was imported", field=field)
        self.where = where


@dataclass(frozen=True)
class ImportEntry:
    """One misconception of a taxonomy, as the file gives it."""

    external_id: str
    statement: str
    topic: str
    subject: str
    examples: tuple[dict[str, Any], ...]
    where: str  # e.g. "record 5 (line 42)", for messages


def check_entry_text(value: object, name: str, where: str, *, required: bool = True) -> str:
    """A text field of the file within the domain's limits, or ImportFileError."""
    try:
        return check_text(value, name, max_length=LIMITS.get(name, 10_000), required=required)
    except InvalidValueError as error:
        raise ImportFileError(where, name, error.message.removeprefix(f"{name} ")) from None

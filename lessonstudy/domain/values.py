"""Value types of the domain: the fixed vocabularies and the checks on codes and text.

Events store these as plain strings so the log stays readable by any client.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import TypeVar

from lessonstudy.domain.errors import InvalidValueError


class Role(StrEnum):
    PLANNER = "planner"
    INSTRUCTOR = "instructor"
    OBSERVER = "observer"
    FACILITATOR = "facilitator"
    KNOWLEDGEABLE_OTHER = "knowledgeable_other"
    CURATOR = "curator"


class CognitiveDemand(StrEnum):
    """The levels of the revised Bloom's taxonomy."""

    REMEMBER = "remember"
    UNDERSTAND = "understand"
    APPLY = "apply"
    ANALYSE = "analyse"
    EVALUATE = "evaluate"
    CREATE = "create"


class ResponseKind(StrEnum):
    CORRECT_STRATEGY = "correct_strategy"
    MISCONCEPTION = "misconception"


class SubjectKind(StrEnum):
    """Whom a note is about."""

    SEAT = "seat"
    GROUP = "group"
    TEACHER = "teacher"
    WHOLE_CLASS = "whole_class"


class NoteKind(StrEnum):
    STUDENT_TALK = "student_talk"
    STUDENT_WORK = "student_work"
    TEACHER_MOVE = "teacher_move"
    MODE_CHANGE = "mode_change"


class LessonMode(StrEnum):
    WHOLE_CLASS = "whole_class"
    GROUP = "group"
    PAIRS = "pairs"
    INDIVIDUAL = "individual"


class MisconceptionSource(StrEnum):
    ANTICIPATED = "anticipated"
    OBSERVED = "observed"
    IMPORTED = "imported"


# Seat and group codes such as "G3-S2" or "G3": pseudonymous by construction. The
# pattern refuses spaces and lower-case words, which keeps names out of the codes.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")

CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9_.-]{0,15}$")


def check_code(value: str, field: str) -> str:
    """A seat or group code, or InvalidValueError naming the field."""
    if not isinstance(value, str) or not CODE_PATTERN.match(value):
        raise InvalidValueError(
            f"{field} must be a code such as 'G3-S2' (capitals, digits, '-', at most 16"
            " characters), never a student's name",
            field=field,
        )
    return value


def check_text(
    value: object, field: str, *, max_length: int = 10_000, required: bool = True
) -> str:
    """Stripped text within bounds, or InvalidValueError naming the field."""
    if not isinstance(value, str):
        raise InvalidValueError(f"{field} must be text", field=field)
    text = value.strip()
    if required and not text:
        raise InvalidValueError(f"{field} must not be empty", field=field)
    if len(text) > max_length:
        raise InvalidValueError(f"{field} is longer than {max_length} characters", field=field)
    if UNSTORABLE.search(text):
        # NUL cannot be stored in PostgreSQL text, and a lone surrogate cannot be
        # encoded at all: refuse them here rather than fail in a projection later.
        raise InvalidValueError(f"{field} contains a character that cannot be stored", field=field)
    return text


E = TypeVar("E", bound=StrEnum)


def check_choice(enum: type[E], value: object, field: str) -> E:
    """A member of the given vocabulary, or InvalidValueError listing the choices."""
    try:
        return enum(str(value))
    except ValueError:
        choices = ", ".join(member.value for member in enum)
        raise InvalidValueError(f"{field} must be one of: {choices}", field=field) from None

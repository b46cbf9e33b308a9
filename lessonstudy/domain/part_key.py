"""The key that names one editable part of a lesson plan.

Conflict detection, the plan's history and the live plan news all speak of parts by
key: a plan field (``title``), a step or one of its fields (``step:<id>``,
``step:<id>:minutes``), an anticipated response or one of its fields
(``response:<id>``, ``response:<id>:text``). Events store these texts and clients
receive them, so the text form never changes; this is the one place that builds
and reads it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from lessonstudy.domain.errors import InvalidValueError

PartKind = Literal["plan", "step", "response"]


@dataclass(frozen=True, slots=True)
class PartKey:
    kind: PartKind
    ident: str  # the step's or response's id; "" for a plan field
    field: str | None  # None for a whole step or response

    @classmethod
    def plan(cls, field: str) -> PartKey:
        return cls("plan", "", field)

    @classmethod
    def step(cls, step_id: str, field: str | None = None) -> PartKey:
        return cls("step", step_id, field)

    @classmethod
    def response(cls, response_id: str, field: str | None = None) -> PartKey:
        return cls("response", response_id, field)

    @classmethod
    def parse(cls, text: str) -> PartKey:
        """Read a key back from its text; a malformed one names the field "part"."""
        pieces = text.split(":") if isinstance(text, str) else []
        if len(pieces) == 1 and pieces[0]:
            return cls.plan(pieces[0])
        if len(pieces) in (2, 3) and pieces[0] in ("step", "response") and all(pieces[1:]):
            kind: PartKind = "step" if pieces[0] == "step" else "response"
            return cls(kind, pieces[1], pieces[2] if len(pieces) == 3 else None)
        raise InvalidValueError(
            f"part must be a plan field, step:<id>[:<field>] or response:<id>[:<field>],"
            f" not {text!r}",
            field="part",
        )

    # The two text builders below make no key object: they serve the loops over a
    # plan's parts and events (a 30-step plan has some 250 parts), where making an
    # object per part would cost more than the rest of the loop.

    @staticmethod
    def text(kind: PartKind, ident: str, field: str | None = None) -> str:
        """A key's text, as str() of the key would give it."""
        if kind == "plan":
            return field or ""
        if field is None:
            return f"{kind}:{ident}"
        return f"{kind}:{ident}:{field}"

    @staticmethod
    def texts(kind: PartKind, ident: str, fields: Iterable[str]) -> list[str]:
        """The texts of several fields of one step or response."""
        prefix = f"{kind}:{ident}:"
        return [prefix + field for field in fields]

    def __str__(self) -> str:
        return PartKey.text(self.kind, self.ident, self.field)

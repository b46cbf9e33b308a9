"""A taught lesson with notes from two observers, and its discussion open: the givens of
the discussion tests. Imported as ``realtime.discussing``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from realtime.room import Lesson, record, teach_lesson
from server.site import Person, ok
from server.world import World

from lessonstudy.domain.discussion import PHASES


@dataclass
class Discussed:
    lesson: Lesson
    discussion_id: str
    notes: list[str] = field(default_factory=list)  # n0..n3: Ana two, Obi two
    kit: Person | None = None  # a knowledgeable other, a guest admitted during the lesson

    @property
    def world(self) -> World:
        return self.lesson.world

    @property
    def url(self) -> str:
        return f"/api/v1/discussions/{self.discussion_id}"

    def state(self, person: Person | None = None) -> dict[str, Any]:
        found: dict[str, Any] = ok((person or self.world.ana).get(self.url))["discussion"]
        return found

    def to_phase(self, phase: str) -> None:
        """The facilitator (Ana) moves on, one phase at a time, up to phase."""
        here = self.state()["phase"]
        for name in PHASES[PHASES.index(here) + 1 : PHASES.index(phase) + 1]:
            ok(self.world.ana.put(f"{self.url}/phase", {"phase": name}))


def discussed(world: World, *, with_guest: bool = False) -> Discussed:
    """The world's lesson taught (Ana teaches and observes, Obi observes), ended, and
    its discussion opened by Ana, the facilitator. A guest joins with the code while
    the lesson runs (a teaching that has ended admits nobody new)."""
    lesson = teach_lesson(world)
    kit = lesson.guest("Kit", roles=["knowledgeable_other"]) if with_guest else None
    notes = []
    for person, texts in (
        (world.ana, ['"B has more red, so B"', "G1 counts reds only"]),
        (world.obi, ['"A is 2 out of 3"', "G2-S1 draws a ratio table"]),
    ):
        client = lesson.observer(person)
        for text in texts:
            ack = record(client, lesson, text=text)
            assert ack["ok"] is True, ack
            notes.append(ack["note_id"])
        client.disconnect()
    ok(world.ana.post(f"{lesson.url}/end"))
    opened = ok(world.ana.post(f"{lesson.url}/discussion"), 201)
    return Discussed(lesson, opened["discussion"]["id"], notes, kit)

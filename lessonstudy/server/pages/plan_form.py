"""The plan editor's form: a hint for each field, as on the paper form, the response
kinds' labels, and the layout and focus as printed. The parts' names themselves are
lessonstudy.application.planning's (shared with the history and the diff)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from lessonstudy.application.planning import PLAN_FIELD_LABELS

PLAN_HINTS: dict[str, str] = {
    "instructor_id": "Who teaches the study lesson.",
    "research_theme": "The long-term goal for students this lesson serves.",
    "unit_goals": "What students should understand by the end of the unit.",
    "lesson_goals": "What students should be able to do after this lesson.",
    "rationale": "Why this content; what is hard about it; what we notice in our students.",
    "development": "What students learned in earlier grades, and where this leads later.",
    "data_collection_points": "What observers should watch for, and the evidence that would"
    " show it.",
    "class_layout": "One group per line: the group code, a colon, then its seat codes."
    " Example: G1: G1-S1, G1-S2, G1-S3. Codes only, never students' names.",
    "focus": "The seats or groups each observer follows.",
}

# (field, label, hint), in the paper plan's order.
PLAN_FIELDS: list[tuple[str, str, str]] = [
    (name, label, PLAN_HINTS.get(name, "")) for name, label in PLAN_FIELD_LABELS.items()
]
KIND_LABELS = {"correct_strategy": "Correct strategy", "misconception": "Misconception"}


def layout_text(layout: Mapping[str, Iterable[str]]) -> str:
    return "\n".join(f"{group}: {', '.join(seats)}" for group, seats in layout.items())


def focus_text(focus: Mapping[str, Iterable[str]], names: Mapping[str, str]) -> str:
    return "\n".join(f"{names.get(who, who)}: {', '.join(codes)}" for who, codes in focus.items())

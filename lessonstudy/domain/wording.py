"""A gentle check that a note describes rather than judges.

Lesson study asks for low-inference notes: what a student said or did, not what the
observer concluded ("good", "bored", "weak"). This never blocks a note; it returns
the words that read like a judgement so the page can suggest a description.
"""

from __future__ import annotations

import re

JUDGEMENT_WORDS = frozenset(
    [
        "good",
        "great",
        "excellent",
        "brilliant",
        "smart",
        "clever",
        "bright",
        "gifted",
        "talented",
        "amazing",
        "bad",
        "poor",
        "weak",
        "slow",
        "lazy",
        "bored",
        "boring",
        "confused",
        "lost",
        "struggling",
        "struggled",
        "careless",
        "sloppy",
        "messy",
        "rude",
        "disruptive",
        "unmotivated",
        "motivated",
        "engaged",
        "disengaged",
        "distracted",
        "attentive",
        "inattentive",
        "capable",
        "incapable",
        "high-ability",
        "low-ability",
    ]
)

_WORD = re.compile(r"[a-z]+(?:-[a-z]+)?")


def judgement_words(text: str) -> list[str]:
    """The words in text that read like a judgement, in order of appearance."""
    seen: list[str] = []
    for word in _WORD.findall(text.lower()):
        if word in JUDGEMENT_WORDS and word not in seen:
            seen.append(word)
    return seen


def nudge_for(text: str) -> str | None:
    """A suggestion to show beside the note, or None when it reads as a description."""
    words = judgement_words(text)
    if not words:
        return None
    quoted = ", ".join(f"'{w}'" for w in words)
    return (
        f"{quoted} reads like a judgement. What did the student say or do that showed it?"
        " A quote or a description of the work helps the team most."
    )

"""The numbers behind a task page's two charts, drawn server-side as bars with text.

Each bar carries its number as text beside it (a chart read at a glance must not rely
on length or colour alone, and must print). Widths are percentages of the largest
value shown, with a sliver for any value above zero so a small count stays visible.
"""

from __future__ import annotations

from typing import Any

LATEST_SURPRISES = 5


def width(value: int, largest: int) -> float:
    """The bar's length in percent of the longest bar."""
    if value <= 0 or largest <= 0:
        return 0.0
    return round(max(2.0, 100.0 * value / largest), 1)


def frequency(cards: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """How often each misconception was observed (notes) and in how many students."""
    largest = max((c["numbers"]["observed"] for c in cards), default=0)
    return [
        {
            "id": card["id"],
            "statement": card["statement"],
            "observed": card["numbers"]["observed"],
            "students": card["numbers"]["students"],
            "anticipated": card["numbers"]["anticipated"],
            "width": width(card["numbers"]["observed"], largest),
        }
        for card in cards
    ]


def anticipated_vs_observed(compared: dict[str, Any]) -> dict[str, Any]:
    """Anticipated responses that occurred (most noted first), those that did not,
    and what nobody anticipated."""
    responses = compared.get("responses", [])
    largest = max((r["notes"] for r in responses), default=0)
    rows = [{**r, "width": width(r["notes"], largest)} for r in responses]
    # Misconceptions first: what a teacher must be ready to respond to.
    occurred = sorted(
        (r for r in rows if r["occurred_in"] > 0),
        key=lambda r: (r["kind"] != "misconception", -r["notes"], r["text"]),
    )
    surprises = compared.get("unanticipated") or {}
    return {
        "teachings": compared.get("teachings", 0),
        "anticipated": len(rows),
        "occurred": occurred,
        "not_occurred": [r for r in rows if r["occurred_in"] == 0],
        "unanticipated_notes": surprises.get("notes", 0),
        "unanticipated_misconceptions": surprises.get("misconceptions", []),
        "unanticipated_latest": surprises.get("latest", [])[:LATEST_SURPRISES],
    }

"""The catalogue as a file: CSV for spreadsheets, JSON for programs, streamed.

Both are written entry by entry as the catalogue is read in chunks, so exporting
twenty thousand entries never holds them all in memory. The JSON keeps every value
as the API gives it. The CSV has one row per entry with lists joined by " | ", and a
cell that a spreadsheet would run as a formula (one starting with =, +, -, @, a tab
or a carriage return: note text can start "=2/3" or "-1") is prefixed with an
apostrophe, the usual defence against formula injection.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from typing import Any

from lessonstudy.projections.catalogue import Filters

COLUMNS = (
    "id",
    "statement",
    "topic",
    "subject",
    "source",
    "taxonomies",
    "anticipated",
    "observed",
    "teachings",
    "students",
    "confirmed",
    "first_seen",
    "last_seen",
    "quotes",
    "helpful_responses",
    "lessons",
    "examples",
    "merged",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_row(card: dict[str, Any]) -> list[str]:
    joined = {
        "taxonomies": [f"{t['taxonomy']}:{t['external_id']}" for t in card.get("taxonomies", [])],
        "quotes": [f"{q['code'] or '-'}: {q['text']}" for q in card.get("quotes", [])],
        "helpful_responses": [h["text"] for h in card.get("helpful_responses", [])],
        "lessons": [lesson["title"] for lesson in card.get("lessons", [])],
        "examples": [_example(x) for x in card.get("examples", [])],
        "merged": card.get("merged", []),
    }
    values = {**card, **card.get("numbers", {})}
    return [
        _cell(" | ".join(joined[name]) if name in joined else values.get(name, ""))
        for name in COLUMNS
    ]


def export_csv(cards: Iterable[dict[str, Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for card in cards:
        writer.writerow(csv_row(card))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def export_json(cards: Iterable[dict[str, Any]], filters: Filters) -> Iterator[str]:
    yield '{"filters": ' + json.dumps(asdict(filters)) + ', "items": ['
    for number, card in enumerate(cards):
        yield ("," if number else "") + "\n" + json.dumps(card, ensure_ascii=False)
    yield "\n]}\n"


def _example(example: dict[str, Any]) -> str:
    parts = [
        f"{label}: {example[key]}"
        for key, label in (
            ("question", "Q"),
            ("incorrect_answer", "student"),
            ("correct_answer", "correct"),
        )
        if example.get(key)
    ]
    return " / ".join(parts).replace("\n", " ")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text

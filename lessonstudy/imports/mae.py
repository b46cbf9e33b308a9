"""Reading the MaE dataset (Otero, Druga and Lan; ``shared/data/mae/data.json``).

The file is a JSON array of records, one per example: four examples of each of 55
misconceptions ("MaE01".."MaE55") across 8 topics. Each misconception becomes one
catalogue entry (statement, topic, subject "Mathematics") with its examples kept as
published: question, incorrect answer, correct answer, explanation, source and image
names, with the file's escaped line breaks (a backslash and an "n") made real ones.
Known flaws in the data (one wrong correct answer) are kept, not "fixed".

Records are numbered from 1 in the order of the file, and each error names the
record, its line and the field.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from lessonstudy.imports.checks import ImportEntry, ImportFileError, check_entry_text

SUBJECT = "Mathematics"
TEXT_FIELDS = {
    "Misconception": "statement",
    "Misconception ID": "external_id",
    "Topic": "topic",
}
EXAMPLE_FIELDS = {
    "Question": "question",
    "Incorrect Answer": "incorrect_answer",
    "Correct Answer": "correct_answer",
    "Explanation": "explanation",
    "Source": "source",
    "Question image": "question_image",
    "Learner Answer image": "learner_answer_image",
    "Correct Answer image": "correct_answer_image",
}


@dataclass
class Record:
    number: int
    line: int
    data: dict[str, Any]

    @property
    def where(self) -> str:
        return f"record {self.number} (line {self.line})"


def read_mae(text: str) -> tuple[list[ImportEntry], list[tuple[str, str]]]:
    """Entries, and the records skipped as exact repeats (with why), or ImportFileError."""
    entries: dict[str, list[Record]] = {}
    examples: dict[tuple[str, int], tuple[Record, dict[str, Any]]] = {}
    skipped: list[tuple[str, str]] = []
    for record in records(text):
        external_id, example = _check(record)
        key = (external_id, example["number"])
        if key in examples:
            first, kept = examples[key]
            if kept != example:
                raise ImportFileError(
                    record.where,
                    "Example Number",
                    f"{external_id} example {key[1]} differs from {first.where}",
                )
            skipped.append((record.where, f"repeats {first.where} exactly"))
            continue
        _same_entry(record, entries.setdefault(external_id, []))
        entries[external_id].append(record)
        examples[key] = (record, example)
    return [
        _entry(external_id, group, [examples[external_id, _number(r)][1] for r in group])
        for external_id, group in entries.items()
    ], skipped


def records(text: str) -> list[Record]:
    """The array's objects, each with its number and the line it starts on."""
    decoder = json.JSONDecoder()
    try:
        position = _skip(text, 0)
        if text[position : position + 1] != "[":
            raise ImportFileError(f"line {_line(text, position)}", "file", "expected a JSON array")
        found: list[Record] = []
        position = _skip(text, position + 1)
        while text[position : position + 1] != "]":
            if found:
                if text[position : position + 1] != ",":
                    where = f"line {_line(text, position)}"
                    raise ImportFileError(where, "file", "expected ',' or ']' between records")
                position = _skip(text, position + 1)
            start = position
            value, position = decoder.raw_decode(text, position)
            record = Record(len(found) + 1, _line(text, start), value)
            if not isinstance(value, dict):
                raise ImportFileError(record.where, "record", "must be a JSON object")
            found.append(record)
            position = _skip(text, position)
        if text[_skip(text, position + 1) :]:
            raise ImportFileError(f"line {_line(text, position)}", "file", "text after the array")
        return found
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        raise ImportFileError(where, "file", f"not valid JSON ({error.msg})") from None


def _check(record: Record) -> tuple[str, dict[str, Any]]:
    data = record.data
    missing = [
        name for name in (*TEXT_FIELDS, "Example Number", *EXAMPLE_FIELDS) if name not in data
    ]
    if missing:
        raise ImportFileError(record.where, missing[0], "missing")
    for name in (*TEXT_FIELDS, *EXAMPLE_FIELDS):
        if not isinstance(data[name], str):
            raise ImportFileError(record.where, name, f"must be text, not {_kind(data[name])}")
    number = data["Example Number"]
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        raise ImportFileError(record.where, "Example Number", "must be a whole number from 1")
    for name, ours in TEXT_FIELDS.items():
        check_entry_text(data[name], ours, f"{record.where}, {name}")
    example: dict[str, Any] = {"number": number}
    example.update({ours: unescape(data[name]) for name, ours in EXAMPLE_FIELDS.items()})
    return data["Misconception ID"].strip(), example


def _same_entry(record: Record, group: list[Record]) -> None:
    """Every example of one misconception names the same statement and topic."""
    if not group:
        return
    first = group[0]
    for name in ("Misconception", "Topic"):
        if record.data[name].strip() != first.data[name].strip():
            raise ImportFileError(
                record.where, name, f"differs from {first.where} for the same Misconception ID"
            )


def _entry(external_id: str, group: list[Record], examples: list[dict[str, Any]]) -> ImportEntry:
    first = group[0].data
    return ImportEntry(
        external_id=external_id,
        statement=unescape(first["Misconception"]).strip(),
        topic=first["Topic"].strip(),
        subject=SUBJECT,
        examples=tuple(sorted(examples, key=lambda x: x["number"])),
        where=group[0].where,
    )


def unescape(value: str) -> str:
    """The dataset writes line breaks as a backslash and an "n"; make them line breaks."""
    return value.replace("\\r\\n", "\n").replace("\\n", "\n")


def _number(record: Record) -> int:
    number: int = record.data["Example Number"]
    return number


def _skip(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\r\n":
        position += 1
    return position


def _line(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def _kind(value: object) -> str:
    return {type(None): "null", bool: "true/false", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__
    )

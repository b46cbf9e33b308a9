"""Reading a taxonomy from the catalogue's CSV format (see docs/catalogue-import.md).

One row per example of a misconception, or one row for a misconception without
examples; rows with the same ``external_id`` belong to one entry and must agree on
its statement, topic and subject. UTF-8 (a byte-order mark is fine), a header row,
any dialect Python's csv module sniffs (comma, semicolon or tab separated).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from lessonstudy.imports.checks import ImportEntry, ImportFileError, check_entry_text

REQUIRED = ("external_id", "statement", "topic")
ENTRY = (*REQUIRED, "subject")
EXAMPLE = ("question", "incorrect_answer", "correct_answer", "explanation", "source")
COLUMNS = (*ENTRY, "example_number", *EXAMPLE)


def read_csv(text: str, *, subject: str = "") -> tuple[list[ImportEntry], list[tuple[str, str]]]:
    """Entries, and rows skipped as exact repeats (with why), or ImportFileError."""
    rows = _rows(text.removeprefix("\ufeff"))
    entries: dict[str, list[tuple[str, dict[str, str]]]] = {}
    examples: dict[tuple[str, int], tuple[str, dict[str, Any]]] = {}
    skipped: list[tuple[str, str]] = []
    counts: dict[str, int] = {}  # examples per external_id so far
    for where, row in rows:
        fields = {
            name: check_entry_text(row.get(name, ""), name, where, required=name in REQUIRED)
            for name in ENTRY
        }
        fields["subject"] = fields["subject"] or subject
        group = entries.setdefault(fields["external_id"], [])
        for name in ("statement", "topic", "subject"):
            if group and group[0][1][name] != fields[name]:
                raise ImportFileError(
                    where, name, f"differs from {group[0][0]} for the same external_id"
                )
        numbered = counts.get(fields["external_id"], 0)
        example = _example(where, row, numbered)
        if example is not None:
            key = (fields["external_id"], example["number"])
            if key in examples:
                first, kept = examples[key]
                if kept != example:
                    raise ImportFileError(
                        where, "example_number", f"example {key[1]} differs from {first}"
                    )
                skipped.append((where, f"repeats {first} exactly"))
                continue
            examples[key] = (where, example)
            counts[fields["external_id"]] = numbered + 1
        group.append((where, fields))
    return [
        ImportEntry(
            external_id=external_id,
            statement=group[0][1]["statement"],
            topic=group[0][1]["topic"],
            subject=group[0][1]["subject"],
            examples=tuple(
                sorted(
                    (x for (e, _), (_, x) in examples.items() if e == external_id),
                    key=lambda x: x["number"],
                )
            ),
            where=group[0][0],
        )
        for external_id, group in entries.items()
    ], skipped


def _rows(text: str) -> list[tuple[str, dict[str, str]]]:
    if not text.strip():
        raise ImportFileError("line 1", "file", "is empty: it needs a header row")
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        header = [name.strip() for name in next(reader)]
        _check_header(header)
        rows = []
        line = reader.line_num + 1
        for values in reader:
            where = f"line {line}"
            line = reader.line_num + 1
            if not any(v.strip() for v in values):
                continue  # a blank line
            if len(values) != len(header):
                raise ImportFileError(
                    where, "row", f"has {len(values)} values for {len(header)} columns"
                )
            rows.append((where, dict(zip(header, values, strict=True))))
    except csv.Error as error:
        raise ImportFileError(
            f"line {reader.line_num}", "file", f"not valid CSV ({error})"
        ) from None
    if not rows:
        raise ImportFileError("line 2", "file", "has a header but no rows")
    return rows


def _check_header(header: list[str]) -> None:
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        raise ImportFileError(
            "line 1", unknown[0], f"is not a column of the format (columns: {', '.join(COLUMNS)})"
        )
    repeated = [name for name in header if header.count(name) > 1]
    if repeated:
        raise ImportFileError("line 1", repeated[0], "appears twice in the header")
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ImportFileError("line 1", missing[0], "is a required column")


def _example(where: str, row: dict[str, str], earlier: int) -> dict[str, Any] | None:
    """The row's example, or None when it has none (an entry without examples)."""
    texts = {name: row.get(name, "").replace("\r\n", "\n") for name in EXAMPLE}
    raw_number = row.get("example_number", "").strip()
    if not any(v.strip() for v in texts.values()):
        if raw_number:
            raise ImportFileError(where, "example_number", "given for a row with no example")
        return None
    if raw_number:
        if not raw_number.isdigit() or int(raw_number) < 1:
            raise ImportFileError(where, "example_number", "must be a whole number from 1")
        number = int(raw_number)
    else:
        number = earlier + 1  # in the order of the file
    for name, value in texts.items():
        check_entry_text(value, name, where, required=False)
    return {"number": number, **texts}

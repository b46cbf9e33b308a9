"""Importing a published misconception taxonomy into the catalogue, all or nothing.

A reader (catalogue_import_mae for the MaE dataset, catalogue_import_csv for the
documented CSV format, docs/catalogue-import.md) checks the *whole* file first and
turns it into entries; any problem rejects the file with the line or record and the
field, before anything is written. Only then is each entry imported through the
service, whose deterministic ids make a second import add nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lessonstudy.application import LessonStudy
from lessonstudy.domain.errors import InvalidValueError, NotFoundError
from lessonstudy.domain.misconception import imported_misconception_id
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


@dataclass
class ImportReport:
    taxonomy: str
    added: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (what, why)
    examples_added: int = 0


def check_entry_text(value: object, name: str, where: str, *, required: bool = True) -> str:
    """A text field of the file within the domain's limits, or ImportFileError."""
    try:
        return check_text(value, name, max_length=LIMITS.get(name, 10_000), required=required)
    except InvalidValueError as error:
        raise ImportFileError(where, name, error.message.removeprefix(f"{name} ")) from None


def import_entries(
    app: LessonStudy, taxonomy: str, entries: list[ImportEntry], *, by: str = "import"
) -> ImportReport:
    """Import each entry once; report what was added and what was skipped, and why."""
    taxonomy = check_entry_text(taxonomy, "taxonomy", "--taxonomy")
    report = ImportReport(taxonomy)
    for entry in entries:
        reason = _already_there(app, taxonomy, entry)
        if reason is not None:
            report.skipped.append((entry.external_id, reason))
            continue
        _, added = app.import_misconception(
            taxonomy=taxonomy,
            external_id=entry.external_id,
            statement=entry.statement,
            topic=entry.topic,
            subject=entry.subject,
            examples=[dict(x) for x in entry.examples],
            by=by,
        )
        if added:
            report.added.append(entry.external_id)
            report.examples_added += len(entry.examples)
        else:  # another import got there between our look and our write
            report.skipped.append((entry.external_id, "already in the catalogue"))
    return report


def _already_there(app: LessonStudy, taxonomy: str, entry: ImportEntry) -> str | None:
    try:
        found = app.get_misconception(imported_misconception_id(taxonomy, entry.external_id))
    except NotFoundError:
        return None
    changed = [
        name
        for name, ours in (
            ("statement", entry.statement),
            ("topic", entry.topic),
            ("subject", entry.subject),
        )
        if getattr(found, name) != ours
    ]
    if list(entry.examples) != list(found.examples)[: len(entry.examples)]:
        changed.append("examples")
    if not changed:
        return "already in the catalogue"
    return (
        f"already in the catalogue; the file's {', '.join(changed)} differ from it"
        " (the catalogue's are kept: curators edit entries there)"
    )

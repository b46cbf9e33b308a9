"""Writing checked entries into the catalogue through the service, each once.

The service's deterministic ids make a second import of the same file add nothing;
an entry already there is skipped, saying whether the file differs from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lessonstudy.application import LessonStudy
from lessonstudy.domain.errors import NotFoundError
from lessonstudy.domain.misconception import imported_misconception_id
from lessonstudy.imports.checks import ImportEntry, check_entry_text


@dataclass
class ImportReport:
    taxonomy: str
    added: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (what, why)
    examples_added: int = 0


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

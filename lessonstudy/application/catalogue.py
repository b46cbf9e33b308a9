"""Commands and queries for misconception entries: cataloguing, imports, curation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from lessonstudy.application.base import ServiceBase
from lessonstudy.application.results import MisconceptionView, snapshot
from lessonstudy.domain.errors import ConflictError
from lessonstudy.domain.misconception import Misconception, imported_misconception_id
from lessonstudy.domain.permissions import Action


@dataclass(frozen=True)
class MisconceptionChange:
    """One change to an entry, in plain words (an entry's history)."""

    at: dt.datetime
    version: int
    what: str  # created, statement_edited, merged_into, absorbed, quote_hidden
    summary: str
    by: str  # a person's id, or "import"
    details: dict[str, Any] = field(default_factory=dict)


class Catalogue(ServiceBase):
    def catalogue_misconception(
        self,
        *,
        actor_id: str,
        team_id: UUID | str,
        statement: str,
        task_id: UUID | str | None = None,
        topic: str = "",
        subject: str = "",
        source: str = "anticipated",
    ) -> UUID:
        """A team names a misconception (anticipated in a plan, or seen in a lesson)."""
        self.authorize(actor_id, team_id, Action.CONTRIBUTE_TO_DISCUSSION)
        entry = Misconception.catalogue(
            statement=statement,
            task_id=str(task_id) if task_id else None,
            topic=topic,
            subject=subject,
            source=source,
            by=actor_id,
        )
        self._transact(lambda: (None, [entry]))
        return entry.id

    def import_misconception(
        self,
        *,
        taxonomy: str,
        external_id: str,
        statement: str,
        topic: str,
        subject: str,
        examples: list[dict[str, Any]],
        by: str = "import",
    ) -> tuple[UUID, bool]:
        """Add a published taxonomy's entry once; (id, False) when it was already there."""
        entry_id = imported_misconception_id(taxonomy, external_id)

        def attempt() -> tuple[tuple[UUID, bool], list[Any]]:
            # Checked on every attempt: after losing a race to another importer the
            # entry is there, and this import adds nothing.
            if self._exists(entry_id):
                return (entry_id, False), []
            entry = Misconception.catalogue(
                statement=statement,
                task_id=None,
                topic=topic,
                subject=subject,
                source="imported",
                by=by,
                taxonomy=taxonomy,
                external_id=external_id,
                examples=examples,
            )
            return (entry.id, True), [entry]

        return self._transact(attempt)[0]

    def edit_misconception(
        self,
        *,
        actor_id: str,
        team_id: UUID | str,
        misconception_id: UUID | str,
        statement: str,
        version: int | None = None,
    ) -> int:
        """A curator rewords an entry; with version, only if nobody changed it since
        (ConflictError naming version, with the current statement and version)."""
        self.authorize(actor_id, team_id, Action.CURATE_CATALOGUE)

        def attempt() -> tuple[None, list[Any]]:
            entry = self._load(Misconception, misconception_id, field="misconception_id")
            if version is not None and version != entry.version:
                raise ConflictError(
                    f"the entry changed since version {version}: it is at {entry.version}",
                    field="version",
                    current={"statement": entry.statement, "version": entry.version},
                )
            entry.edit_statement(by=actor_id, statement=statement)
            return None, [entry]

        return self._transact(attempt)[1]

    def merge_misconceptions(
        self, *, actor_id: str, team_id: UUID | str, source_id: UUID | str, target_id: UUID | str
    ) -> int:
        """A curator marks source as a duplicate of target; both record the merge."""
        self.authorize(actor_id, team_id, Action.CURATE_CATALOGUE)

        def attempt() -> tuple[None, list[Any]]:
            source = self._load(Misconception, source_id, field="source_id")
            target = self._load(Misconception, target_id, field="target_id")
            source.merge_into(by=actor_id, target=target)
            target.absorb(by=actor_id, source=source)
            return None, [source, target]

        return self._transact(attempt)[1]

    def hide_quote(
        self,
        *,
        actor_id: str,
        team_id: UUID | str,
        misconception_id: UUID | str,
        note_id: str,
        reason: str = "",
    ) -> int:
        self.authorize(actor_id, team_id, Action.CURATE_CATALOGUE)

        def attempt() -> tuple[None, list[Any]]:
            entry = self._load(Misconception, misconception_id, field="misconception_id")
            entry.hide_quote(by=actor_id, note_id=note_id, reason=reason)
            return None, [entry]

        return self._transact(attempt)[1]

    def get_misconception(self, misconception_id: UUID | str) -> MisconceptionView:
        m = self._load(Misconception, misconception_id, field="misconception_id")
        return MisconceptionView(
            id=str(m.id),
            statement=m.statement,
            task_id=m.task_id,
            topic=m.topic,
            subject=m.subject,
            source=m.source,
            taxonomy=m.taxonomy,
            external_id=m.external_id,
            examples=snapshot(m.examples),
            merged_into=m.merged_into,
            absorbed=list(m.absorbed),
            hidden_quotes=list(m.hidden_quotes),
            version=m.version,
        )

    def misconception_history(self, misconception_id: UUID | str) -> list[MisconceptionChange]:
        """Every change to an entry, oldest first: created, statement edits, merges (into
        another, or another absorbed), hidden quotes."""
        entry = self._load(Misconception, misconception_id, field="misconception_id")
        changes = []
        statement = ""
        for event in self.events.get(entry.id):
            name = type(event).__qualname__.rpartition(".")[2]
            found = _change(self, name, event, statement)
            if found is not None:
                changes.append(found)
            statement = getattr(event, "statement", statement)
        return changes


def _change(app: Catalogue, name: str, event: Any, before: str) -> MisconceptionChange | None:
    def made(what: str, summary: str, **details: Any) -> MisconceptionChange:
        return MisconceptionChange(
            at=event.timestamp,
            version=event.originator_version,
            what=what,
            summary=summary,
            by=event.by,
            details=details,
        )

    if name == "Catalogued":
        origin = f"imported from {event.taxonomy}" if event.taxonomy else event.source
        return made(
            "created", f"Catalogued ({origin})", statement=event.statement, source=event.source
        )
    if name == "StatementEdited":
        return made(
            "statement_edited", "Statement edited", statement=event.statement, before=before
        )
    if name in ("MergedInto", "Absorbed"):
        other_id = event.target_id if name == "MergedInto" else event.source_id
        other = app._load(Misconception, other_id, field="misconception_id").statement
        if name == "MergedInto":
            summary, what, key = f"Merged into \u201c{other}\u201d", "merged_into", "into"
        else:
            summary, what, key = (
                f"Absorbed the duplicate \u201c{other}\u201d",
                "absorbed",
                "absorbed",
            )
        return made(what, summary, **{key: other_id, "other_statement": other})
    if name == "QuoteHidden":
        return made("quote_hidden", "Quote hidden", note_id=event.note_id, reason=event.reason)
    return None

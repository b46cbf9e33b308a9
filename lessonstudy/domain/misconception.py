"""A misconception as a catalogue entry, and the curator's merge of duplicates.

Two teams describe the same misconception in different words; a merge points one
entry at another so that every count follows, and both entries keep the history.
Imported entries get deterministic ids (see ``imported_misconception_id``) so that
importing a taxonomy twice adds nothing.
"""

from __future__ import annotations

from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from lessonstudy.domain.errors import InvalidValueError, LifecycleError
from lessonstudy.domain.values import MisconceptionSource, check_choice, check_text


def imported_misconception_id(taxonomy: str, external_id: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"lessonstudy:taxonomy:{taxonomy}:{external_id}")


class Misconception(Aggregate):
    @event("Catalogued")
    def __init__(
        self,
        statement: str,
        task_id: str | None,
        topic: str,
        subject: str,
        source: str,
        taxonomy: str | None,
        external_id: str | None,
        examples: list[dict[str, Any]],
        by: str,
    ) -> None:
        self.statement = statement
        self.task_id = task_id
        self.topic = topic
        self.subject = subject
        self.source = source
        self.taxonomy = taxonomy
        self.external_id = external_id
        self.examples = list(examples)
        self.catalogued_by = by
        self.merged_into: str | None = None
        self.absorbed: list[str] = []
        self.hidden_quotes: list[str] = []

    @classmethod
    def catalogue(
        cls,
        *,
        statement: str,
        task_id: str | None,
        topic: str,
        subject: str = "",
        source: str,
        by: str,
        taxonomy: str | None = None,
        external_id: str | None = None,
        examples: list[dict[str, Any]] | None = None,
    ) -> Misconception:
        source = check_choice(MisconceptionSource, source, "source").value
        topic = check_text(topic, "topic", max_length=200, required=task_id is None)
        if task_id is None and not topic:
            raise InvalidValueError("a misconception needs a task or a topic", field="topic")
        if source == MisconceptionSource.IMPORTED and not (taxonomy and external_id):
            raise InvalidValueError(
                "an imported misconception needs its taxonomy and external id",
                field="external_id",
            )
        return cls(
            statement=check_text(statement, "statement", max_length=2000),
            task_id=task_id,
            topic=topic,
            subject=check_text(subject, "subject", max_length=100, required=False),
            source=source,
            taxonomy=taxonomy,
            external_id=external_id,
            examples=list(examples or []),
            by=by,
        )

    @classmethod
    def create_id(cls, taxonomy: str | None = None, external_id: str | None = None) -> UUID:
        # The library passes create_id only the parameters it names (never **kwargs),
        # so these two must be named or every imported entry gets a random id.
        if taxonomy and external_id:
            return imported_misconception_id(taxonomy, external_id)
        return super().create_id()

    @property
    def is_merged(self) -> bool:
        return self.merged_into is not None

    def edit_statement(self, *, by: str, statement: str) -> None:
        self._require_not_merged()
        statement = check_text(statement, "statement", max_length=2000)
        if statement != self.statement:
            self._statement_edited(statement=statement, by=by)

    @event("StatementEdited")
    def _statement_edited(self, statement: str, by: str) -> None:
        self.statement = statement

    def merge_into(self, *, by: str, target: Misconception) -> None:
        """Mark this entry as a duplicate of target (call target.absorb too)."""
        self._require_not_merged()
        if target.id == self.id:
            raise InvalidValueError("an entry cannot be merged into itself", field="target_id")
        if target.is_merged:
            raise LifecycleError(
                "the target was itself merged; merge into the entry it points at",
                field="target_id",
            )
        self._merged_into(target_id=str(target.id), by=by)

    @event("MergedInto")
    def _merged_into(self, target_id: str, by: str) -> None:
        self.merged_into = target_id

    def absorb(self, *, by: str, source: Misconception) -> None:
        """Take in a duplicate that was just merged into this entry (see merge_into)."""
        if source.merged_into != str(self.id) or str(source.id) in self.absorbed:
            raise LifecycleError(
                "only an entry merged into this one can be absorbed, once", field="source_id"
            )
        self._require_not_merged()
        self._absorbed(source_id=str(source.id), examples=list(source.examples), by=by)

    @event("Absorbed")
    def _absorbed(self, source_id: str, examples: list[dict[str, Any]], by: str) -> None:
        self.absorbed.append(source_id)
        self.examples.extend(examples)

    def hide_quote(self, *, by: str, note_id: str, reason: str) -> None:
        reason = check_text(reason, "reason", max_length=500, required=False)
        if note_id not in self.hidden_quotes:
            self._quote_hidden(note_id=note_id, reason=reason, by=by)

    @event("QuoteHidden")
    def _quote_hidden(self, note_id: str, reason: str, by: str) -> None:
        self.hidden_quotes.append(note_id)

    def _require_not_merged(self) -> None:
        if self.merged_into is not None:
            raise LifecycleError(
                f"this entry was merged into {self.merged_into}; change that one",
                field="misconception_id",
            )

"""The catalogue's handlers for tasks, entries and plans (what teams anticipate)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection

import lessonstudy.projections.catalogue.search as search
from lessonstudy.projections.base import LoggedEvent, handles, stamp
from lessonstudy.projections.catalogue.batch import Batch
from lessonstudy.projections.catalogue.facts import Facts
from lessonstudy.projections.catalogue.tables import CatalogueTables
from lessonstudy.projections.row_buffer import Row

TASK_COLUMNS = ("statement", "subject", "grade", "topic", "cognitive_demand")
RESPONSE_COLUMNS = ("kind", "text", "misconception_id")


class MissingFactError(LookupError):
    """Raised when an event refers to something the log never created before it."""


class CatalogueState:
    """What every handler works on: the tables, this batch's changes, the fact caches."""

    t: CatalogueTables
    batch: Batch
    facts: Facts

    def must(self, row: Row | None, what: str) -> Row:
        if row is None:
            raise MissingFactError(f"no {what} before this event")
        return row

    def task_of(self, db: Connection, lesson_id: str) -> str:
        task_id = self.facts.lessons.get(lesson_id)
        if task_id is None:
            lesson = self.must(self.batch.lessons.get(db, lesson_id), f"lesson {lesson_id}")
            task_id = str(lesson["task_id"])
            self.facts.lessons.put(lesson_id, task_id)
        return task_id


class PlanHandlers(CatalogueState):
    # --- tasks ---------------------------------------------------------------------

    @handles("AcademicTask.Defined")
    def _task_defined(self, db: Connection, e: LoggedEvent) -> None:
        row = {"task_id": str(e.originator_id), "defined_at": stamp(e.timestamp)}
        self.batch.tasks.add({**row, **{name: getattr(e, name) for name in TASK_COLUMNS}})

    @handles("AcademicTask.Revised")
    def _task_revised(self, db: Connection, e: LoggedEvent) -> None:
        task_id = str(e.originator_id)
        row = self.must(self.batch.tasks.get(db, task_id), f"task {task_id}")
        row.update({k: v for k, v in e.changes.items() if k in TASK_COLUMNS})
        self.batch.tasks.changed(row)

    # --- entries -------------------------------------------------------------------

    @handles("Misconception.Catalogued")
    def _catalogued(self, db: Connection, e: LoggedEvent) -> None:
        entry_id = str(e.originator_id)
        row = {
            "misconception_id": entry_id,
            "root_id": entry_id,
            "statement": e.statement,
            "task_id": e.task_id,
            "topic": e.topic,
            "subject": e.subject,
            "source": e.source,
            "taxonomy": e.taxonomy,
            "external_id": e.external_id,
            "examples": json.dumps(e.examples, ensure_ascii=False, default=str),
            "catalogued_at": stamp(e.timestamp),
            "merged_into": None,
            "merged_at": None,
        }
        self.batch.entries.add(row)
        self.batch.docs.add(
            {"misconception_id": entry_id, "doc_id": e.position, "document": document(row)}
        )
        self.batch.touch(entry_id)

    @handles("Misconception.StatementEdited")
    def _statement_edited(self, db: Connection, e: LoggedEvent) -> None:
        entry = self._entry(db, str(e.originator_id))
        entry["statement"] = e.statement
        self.batch.entries.changed(entry)
        self.batch.redocument.add(entry["root_id"])

    @handles("Misconception.MergedInto")
    def _merged_into(self, db: Connection, e: LoggedEvent) -> None:
        entry = self._entry(db, str(e.originator_id))
        entry.update(merged_into=e.target_id, merged_at=stamp(e.timestamp))
        self.batch.entries.changed(entry)
        target = self.batch.entries.get(db, e.target_id)
        new_root = target["root_id"] if target is not None else e.target_id
        # The merged entry was a root (the domain refuses to merge a merged entry), and
        # everything that counted for it, itself included, now counts for new_root,
        # which is found by the words of both from now on.
        old_root = entry["root_id"]
        self.batch.reroot(old_root, new_root)
        self.batch.touch(old_root, new_root)
        merged_doc = self.batch.docs.get(db, old_root)
        if merged_doc is not None:
            self.batch.unindexed.append(merged_doc["doc_id"])
            self.batch.docs.remove((old_root,))
        self.batch.redocument.add(new_root)

    @handles("Misconception.QuoteHidden")
    def _quote_hidden(self, db: Connection, e: LoggedEvent) -> None:
        self.batch.hidden.put(
            {
                "misconception_id": str(e.originator_id),
                "note_id": e.note_id,
                "hidden_at": stamp(e.timestamp),
            }
        )

    def _entry(self, db: Connection, entry_id: str) -> Row:
        return self.must(self.batch.entries.get(db, entry_id), f"misconception {entry_id}")

    # --- lessons and their plans ---------------------------------------------------

    @handles("StudyLesson.Planned")
    def _planned(self, db: Connection, e: LoggedEvent) -> None:
        lesson_id = str(e.originator_id)
        self.batch.lessons.add(
            {"lesson_id": lesson_id, "task_id": e.task_id, "title": e.title, "plan_version": 1}
        )
        self.facts.lessons.put(lesson_id, e.task_id)
        self.batch.new_lessons.add(lesson_id)

    @handles("StudyLesson.PlanFieldChanged", "StudyLesson.NextVersionStarted")
    def _lesson_changed(self, db: Connection, e: LoggedEvent) -> None:
        changes: dict[str, Any] = {}
        if e.event_name.endswith("NextVersionStarted"):
            changes["plan_version"] = e.plan_version
        elif e.field == "title":
            changes["title"] = e.value
        if changes:
            lesson_id = str(e.originator_id)
            lesson = self.must(self.batch.lessons.get(db, lesson_id), f"lesson {lesson_id}")
            lesson.update(changes)
            self.batch.lessons.changed(lesson)

    @handles("StudyLesson.StepAdded")
    def _step_added(self, db: Connection, e: LoggedEvent) -> None:
        support = e.fields.get("teacher_support", "")
        self.batch.steps.put(
            {"lesson_id": str(e.originator_id), "step_id": e.step_id, "teacher_support": support}
        )

    @handles("StudyLesson.StepFieldChanged")
    def _step_changed(self, db: Connection, e: LoggedEvent) -> None:
        if e.field != "teacher_support":
            return
        step = self.batch.steps.get(db, str(e.originator_id), e.step_id)
        step = self.must(step, f"step {e.step_id}")
        step["teacher_support"] = e.value
        self.batch.steps.changed(step)

    @handles("StudyLesson.StepRemoved")
    def _step_removed(self, db: Connection, e: LoggedEvent) -> None:
        lesson_id = str(e.originator_id)
        self.batch.steps.get(db, lesson_id, e.step_id)  # so its stored row is deleted
        self.batch.steps.remove((lesson_id, e.step_id))
        stored = lesson_id not in self.batch.new_lessons
        for response in self.batch.responses.load_where(db, "lesson_id", lesson_id, stored=stored):
            if response["step_id"] == e.step_id:
                self.batch.touch(response["misconception_id"])
                self.batch.responses.remove((lesson_id, response["response_id"]))

    @handles("StudyLesson.ResponseAnticipated")
    def _anticipated(self, db: Connection, e: LoggedEvent) -> None:
        lesson_id = str(e.originator_id)
        self.batch.responses.add(
            {
                "lesson_id": lesson_id,
                "response_id": e.response_id,
                "task_id": self.task_of(db, lesson_id),
                "step_id": e.step_id,
                "kind": e.kind,
                "text": e.text,
                "misconception_id": e.misconception_id,
                "linked_at": stamp(e.timestamp),
            }
        )
        self.batch.touch(e.misconception_id)

    @handles("StudyLesson.ResponseChanged")
    def _response_changed(self, db: Connection, e: LoggedEvent) -> None:
        if e.field not in RESPONSE_COLUMNS:
            return
        response = self._response(db, str(e.originator_id), e.response_id)
        if e.field == "misconception_id":
            self.batch.touch(response["misconception_id"], e.value)
            response["linked_at"] = stamp(e.timestamp)
        response[e.field] = e.value
        self.batch.responses.changed(response)

    @handles("StudyLesson.ResponseRemoved")
    def _response_removed(self, db: Connection, e: LoggedEvent) -> None:
        response = self._response(db, str(e.originator_id), e.response_id)
        self.batch.touch(response["misconception_id"])
        self.batch.responses.remove((response["lesson_id"], e.response_id))

    def _response(self, db: Connection, lesson_id: str, response_id: str) -> Row:
        found = self.batch.responses.get(db, lesson_id, response_id)
        return self.must(found, f"anticipated response {response_id}")


def document(entry: Row) -> str:
    """The words an entry is found by: its statement, filing, taxonomy id and examples."""
    parts: list[str | None] = [
        entry["statement"],
        entry["topic"],
        entry["subject"],
        entry["taxonomy"],
        entry["external_id"],
    ]
    for example in json.loads(entry["examples"]):
        if isinstance(example, dict):
            parts.extend(str(v) for k, v in example.items() if k in EXAMPLE_TEXT and v)
    return search.document_of(parts)


EXAMPLE_TEXT = ("question", "incorrect_answer", "correct_answer", "explanation")

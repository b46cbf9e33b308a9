"""The catalogue's tables: facts kept from the log, and the numbers computed from them.

Fact tables hold what the events said, keyed by the ids the events carry (a note
keeps its raw tags; a response its raw misconception id). Which entry a raw id counts
for is a lookup in ``cat_entries.root_id``, so a curator's merge changes one column
there and every count, quote and source follows. ``cat_stats`` holds the numbers per
(task, root entry), and per root entry over all tasks (task_id ""), recomputed from
the facts (see stats).

Times are stored as fixed-width UTC text (``2025-03-01T09:30:00.000000+00:00``): MIN and
MAX then order them the same way on SQLite and PostgreSQL, and writing them costs no
per-row type conversion in a rebuild.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

ID = String(36)
CODE = String(100)
STAMP = String(32)
# A log position as a table's key: in SQLite, INTEGER makes it the rowid itself.
POSITION = BigInteger().with_variant(Integer(), "sqlite")
ALL_TASKS = ""  # the task_id of a root entry's numbers over every task


@dataclass
class CatalogueTables:
    tasks: Table
    entries: Table
    hidden: Table
    lessons: Table
    steps: Table
    responses: Table
    teachings: Table
    taught: Table
    logs: Table
    notes: Table
    links: Table
    discussions: Table
    confirmations: Table
    revisions: Table
    stats: Table
    docs: Table


def define(metadata: MetaData, prefix: str) -> CatalogueTables:
    p = f"{prefix}cat_"
    return CatalogueTables(
        tasks=Table(
            f"{p}tasks",
            metadata,
            Column("task_id", ID, primary_key=True),
            Column("statement", Text, nullable=False),
            Column("subject", Text, nullable=False),
            Column("grade", Text, nullable=False),
            Column("topic", Text, nullable=False),
            Column("cognitive_demand", String(20), nullable=False),
            Column("defined_at", STAMP, nullable=False),
        ),
        entries=_entries(metadata, p),
        hidden=Table(
            f"{p}hidden_quotes",
            metadata,
            Column("misconception_id", ID, primary_key=True),
            Column("note_id", CODE, primary_key=True),
            Column("hidden_at", STAMP, nullable=False),
        ),
        lessons=Table(
            f"{p}lessons",
            metadata,
            Column("lesson_id", ID, primary_key=True),
            Column("task_id", ID, nullable=False),
            Column("title", Text, nullable=False),
            Column("plan_version", Integer, nullable=False),
        ),
        steps=Table(
            f"{p}steps",
            metadata,
            Column("lesson_id", ID, primary_key=True),
            Column("step_id", CODE, primary_key=True),
            Column("teacher_support", Text, nullable=False),
        ),
        responses=_responses(metadata, p),
        teachings=_teachings(metadata, p),
        taught=Table(  # each anticipated response as it stood when the plan was taught
            f"{p}taught_responses",
            metadata,
            Column("teaching_id", ID, primary_key=True),
            Column("response_id", CODE, primary_key=True),
            Column("seq", Integer, nullable=False),  # the plan's order of steps and responses
            Column("step_id", CODE, nullable=False),
            Column("kind", String(20), nullable=False),
            Column("text", Text, nullable=False),
            Column("misconception_id", CODE),
        ),
        logs=Table(
            f"{p}observation_logs",
            metadata,
            Column("log_id", ID, primary_key=True),
            Column("teaching_id", ID, nullable=False),
        ),
        notes=_notes(metadata, p),
        links=_links(metadata, p),
        discussions=Table(
            f"{p}discussions",
            metadata,
            Column("discussion_id", ID, primary_key=True),
            Column("teaching_id", ID, nullable=False),
            Column("lesson_id", ID, nullable=False),
            Column("task_id", ID, nullable=False),
        ),
        confirmations=_confirmations(metadata, p),
        revisions=_revisions(metadata, p),
        stats=_stats(metadata, p),
        docs=Table(  # one searchable document per entry (see search)
            f"{p}search_docs",
            metadata,
            Column("misconception_id", ID, primary_key=True),
            Column("doc_id", BigInteger, nullable=False, unique=True, autoincrement=False),
            Column("document", Text, nullable=False),
        ),
    )


def _entries(metadata: MetaData, p: str) -> Table:
    table = Table(
        f"{p}entries",
        metadata,
        Column("misconception_id", ID, primary_key=True),
        # The entry this one counts for: itself, or the end of its chain of merges.
        Column("root_id", ID, nullable=False),
        Column("statement", Text, nullable=False),
        Column("task_id", ID),
        Column("topic", Text, nullable=False),
        Column("subject", Text, nullable=False),
        Column("source", String(20), nullable=False),
        Column("taxonomy", Text),
        Column("external_id", Text),
        Column("examples", Text, nullable=False),  # JSON list, as catalogued
        Column("catalogued_at", STAMP, nullable=False),
        Column("merged_into", ID),
        Column("merged_at", STAMP),
    )
    # Looked up while building (a merge re-points every entry of a root), so not deferred.
    Index(f"ix_{p}entries_root", table.c.root_id)
    return table


def _responses(metadata: MetaData, p: str) -> Table:
    """The current plan's anticipated responses (what "anticipated in plans" counts)."""
    table = Table(
        f"{p}responses",
        metadata,
        Column("lesson_id", ID, primary_key=True),
        Column("response_id", CODE, primary_key=True),
        Column("task_id", ID, nullable=False),
        Column("step_id", CODE, nullable=False),
        Column("kind", String(20), nullable=False),
        Column("text", Text, nullable=False),
        Column("misconception_id", CODE),
        Column("linked_at", STAMP, nullable=False),  # when misconception_id was last set
    )
    Index(f"ix_{p}responses_misconception", table.c.misconception_id)
    Index(f"ix_{p}responses_task", table.c.task_id)
    return table


def _teachings(metadata: MetaData, p: str) -> Table:
    table = Table(
        f"{p}teachings",
        metadata,
        Column("teaching_id", ID, primary_key=True),
        Column("lesson_id", ID, nullable=False),
        Column("task_id", ID, nullable=False),
        Column("plan_version", Integer, nullable=False),
        Column("status", String(20), nullable=False),
        Column("scheduled_at", STAMP, nullable=False),
        Column("started_at", STAMP),
        Column("ended_at", STAMP),
    )
    Index(f"ix_{p}teachings_lesson", table.c.lesson_id)
    Index(f"ix_{p}teachings_task", table.c.task_id)
    return table


# The column order of a note's and a link's row tuple (the rebuild's hot path builds
# tuples, not dicts: see row_buffer.KeyedRows.append).
NOTE_ROW = (
    "note_pos",
    "note_key",
    "log_id",
    "note_id",
    "teaching_id",
    "step_id",
    "subject_kind",
    "subject_code",
    "kind",
    "text",
    "response_ids",
    "misconception_ids",
    "unanticipated",
    "recorded_at",
    "retracted",
)
LINK_ROW = (
    "note_pos",
    "seq",
    "teaching_id",
    "task_id",
    "response_id",
    "misconception_id",
    "student",
    "recorded_at",
)


def _notes(metadata: MetaData, p: str) -> Table:
    table = Table(
        f"{p}notes",
        metadata,
        # The position of the NoteRecorded event: unique, deterministic, and rising, so
        # a rebuild appends to the table's b-tree instead of inserting at random. In
        # SQLite it is the table's rowid (declared INTEGER): a BIGINT key was a second
        # b-tree beside the rowid's, written for every note.
        Column("note_pos", POSITION, primary_key=True, autoincrement=False),
        # A 63-bit hash of (log_id, note_id): amendments find their note through an
        # index a fifth the size of one on the two ids (see facts.note_key).
        Column("note_key", BigInteger, nullable=False),
        Column("log_id", ID, nullable=False),
        Column("note_id", CODE, nullable=False),
        Column("teaching_id", ID, nullable=False),
        Column("step_id", CODE, nullable=False),
        Column("subject_kind", String(20), nullable=False),
        Column("subject_code", String(20)),
        Column("kind", String(20), nullable=False),
        Column("text", Text, nullable=False),
        Column("response_ids", Text, nullable=False),  # JSON list
        Column("misconception_ids", Text, nullable=False),  # JSON list
        Column("unanticipated", Boolean, nullable=False),
        Column("recorded_at", STAMP, nullable=False),
        Column("retracted", Boolean, nullable=False),
    )
    Index(f"ix_{p}notes_key", table.c.note_key)
    Index(f"ix_{p}notes_teaching", table.c.teaching_id)
    return _in_order(table, NOTE_ROW)


def _links(metadata: MetaData, p: str) -> Table:
    """A live note and what it counts for: a response it matched, a misconception, or both.

    A retracted note has no links; an amended one gets its links anew.
    """
    table = Table(
        f"{p}links",
        metadata,
        Column("note_pos", BigInteger, primary_key=True, autoincrement=False),
        Column("seq", Integer, primary_key=True, autoincrement=False),
        Column("teaching_id", ID, nullable=False),
        Column("task_id", ID, nullable=False),
        Column("response_id", CODE),
        Column("misconception_id", CODE),
        Column("student", String(60)),  # "<teaching>:<seat code>" for a note about a seat
        Column("recorded_at", STAMP, nullable=False),
        sqlite_with_rowid=False,
    )
    Index(f"ix_{p}links_task", table.c.task_id, table.c.misconception_id)
    Index(f"ix_{p}links_misconception", table.c.misconception_id)
    Index(f"ix_{p}links_response", table.c.teaching_id, table.c.response_id)
    return _in_order(table, LINK_ROW)


def _in_order(table: Table, columns: tuple[str, ...]) -> Table:
    """The table, once sure its columns are in the order its row tuples follow."""
    if tuple(c.name for c in table.columns) != columns:
        raise RuntimeError(f"{table.name}'s columns are not in the order {columns}")
    return table


def _confirmations(metadata: MetaData, p: str) -> Table:
    table = Table(
        f"{p}confirmations",
        metadata,
        Column("discussion_id", ID, primary_key=True),
        Column("misconception_id", CODE, primary_key=True),
        Column("teaching_id", ID, nullable=False),
        Column("lesson_id", ID, nullable=False),
        Column("task_id", ID, nullable=False),
        Column("note_ids", Text, nullable=False),  # JSON list
        Column("helpful", Text, nullable=False),
        Column("confirmed_at", STAMP, nullable=False),
    )
    Index(f"ix_{p}confirmations_misconception", table.c.misconception_id)
    Index(f"ix_{p}confirmations_task", table.c.task_id)
    return table


def _revisions(metadata: MetaData, p: str) -> Table:
    """A proposed revision and each entry it concerns (see revisions).

    One row per (revision, raw misconception id), like a confirmation, so a merge needs
    no rewrite here; the catalogue shows the rows whose status is "accepted".
    """
    table = Table(
        f"{p}revisions",
        metadata,
        Column("discussion_id", ID, primary_key=True),
        Column("revision_id", CODE, primary_key=True),
        Column("misconception_id", CODE, primary_key=True),
        Column("teaching_id", ID, nullable=False),
        Column("lesson_id", ID, nullable=False),
        Column("task_id", ID, nullable=False),
        Column("summary", Text, nullable=False),
        Column("teacher_support", Text, nullable=False),  # JSON list of the new supports
        Column("status", String(20), nullable=False),  # proposed, accepted or rejected
        Column("proposed_at", STAMP, nullable=False),
        Column("decided_at", STAMP),
    )
    Index(f"ix_{p}revisions_misconception", table.c.misconception_id)
    return table


def _stats(metadata: MetaData, p: str) -> Table:
    table = Table(
        f"{p}stats",
        metadata,
        Column("task_id", ID, primary_key=True),  # "" (ALL_TASKS): over every task
        Column("misconception_id", ID, primary_key=True),  # a root entry
        Column("anticipated", Integer, nullable=False),  # lessons whose plan links it
        Column("observed", Integer, nullable=False),  # live notes
        Column("teachings", Integer, nullable=False),  # teachings with such notes
        Column("students", Integer, nullable=False),  # distinct (teaching, seat)
        Column("confirmed", Integer, nullable=False),  # discussions confirming it
        Column("first_seen", STAMP, nullable=False),
        Column("last_seen", STAMP, nullable=False),
    )
    Index(f"ix_{p}stats_misconception", table.c.misconception_id)
    return table

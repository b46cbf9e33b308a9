"""Finding the log position of an event already stored, on each kind of store.

A retried note is acknowledged with the position of the original (the client keeps
the highest position it has seen to catch up from). The library has no query from
(originator, version) to notification id, so this asks each store directly; the
tables and columns named here are the library's own.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder
from eventsourcing.popo import POPOApplicationRecorder
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder
from psycopg.sql import SQL, Identifier


def position_of(recorder: ApplicationRecorder, originator_id: UUID, version: int) -> int | None:
    if isinstance(recorder, SQLiteApplicationRecorder):
        return _sqlite_position(recorder, originator_id, version)
    if isinstance(recorder, PostgresApplicationRecorder):
        return _postgres_position(recorder, originator_id, version)
    if isinstance(recorder, POPOApplicationRecorder):
        index: dict[int, int] = recorder._stored_events_index.get(str(originator_id), {})
        return index[version] + 1 if version in index else None
    raise TypeError(f"unsupported recorder {type(recorder).__name__}")


def _sqlite_position(
    recorder: SQLiteApplicationRecorder, originator_id: UUID, version: int
) -> int | None:
    statement = (
        f"SELECT rowid FROM {recorder.events_table_name}"
        " WHERE originator_id=? AND originator_version=?"
    )
    with recorder.datastore.transaction(commit=False) as cursor:
        cursor.execute(statement, (originator_id.hex, version))
        row: Any = cursor.fetchone()
    return int(row[0]) if row else None


def _postgres_position(
    recorder: PostgresApplicationRecorder, originator_id: UUID, version: int
) -> int | None:
    statement = SQL(
        "SELECT notification_id FROM {schema}.{table}"
        " WHERE originator_id=%s AND originator_version=%s"
    ).format(
        schema=Identifier(recorder.datastore.schema), table=Identifier(recorder.events_table_name)
    )
    with recorder.datastore.transaction(commit=False) as cursor:
        cursor.execute(statement, (originator_id, version))
        row: Any = cursor.fetchone()
    return int(row["notification_id"]) if row else None

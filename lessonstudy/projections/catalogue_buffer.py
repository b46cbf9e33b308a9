"""Rows changed by a batch of events, written at its end with one executemany per table.

Handlers never write directly: they read a row (from this batch's changes, else from
the table), change it, and hand it back. At the end of the batch every changed key is
deleted where a stored row may exist and inserted as it now stands. That turns a
rebuild's million single-row statements into a few hundred bulk ones, and because the
table is only written at the end, "the table plus this batch's changes" is always the
current state a handler needs to see.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import Connection, Table, and_, bindparam, select

Row = dict[str, Any]
Key = tuple[Any, ...]


class KeyedRows:
    """One table's rows changed in this batch, by primary key."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.key_names = tuple(c.name for c in table.primary_key.columns)
        self.rows: dict[Key, Row | None] = {}  # the row as it now stands; None: no row
        self.dirty: dict[Key, None] = {}  # keys to write, in the order they changed
        self.stored: set[Key] = set()  # keys whose stored row (if any) must go first

    def key_of(self, row: Row) -> Key:
        return tuple(row[name] for name in self.key_names)

    def get(self, db: Connection, *key: Any) -> Row | None:
        """The row under key as it now stands (edit it, then call changed())."""
        if key in self.rows:
            return self.rows[key]
        found = db.execute(select(self.table).where(self._match(key))).mappings().first()
        row = dict(found) if found is not None else None
        self.rows[key] = row
        if row is not None:
            self.stored.add(key)
        return row

    def load_where(self, db: Connection, column: str, value: Any) -> list[Row]:
        """Every row whose column equals value, as it now stands."""
        query = select(self.table).where(self.table.c[column] == value)
        for found in db.execute(query).mappings():
            key = tuple(found[name] for name in self.key_names)
            if key not in self.rows:
                self.rows[key] = dict(found)
                self.stored.add(key)
        return [row for row in self.rows.values() if row is not None and row[column] == value]

    def adopt(self, row: Row) -> None:
        """A stored row the caller read itself (through another index)."""
        key = self.key_of(row)
        if key not in self.rows:
            self.rows[key] = row
            self.stored.add(key)

    def add(self, row: Row) -> None:
        """A row the table cannot have yet (a new note, a new task)."""
        key = self.key_of(row)
        self.rows[key] = row
        self.dirty[key] = None

    def put(self, row: Row) -> None:
        """A row that replaces whatever the table has under its key."""
        key = self.key_of(row)
        self.rows[key] = row
        self.dirty[key] = None
        self.stored.add(key)

    def changed(self, row: Row) -> None:
        self.dirty[self.key_of(row)] = None

    def remove(self, key: Key) -> None:
        self.rows[key] = None
        self.dirty[key] = None

    def cached(self) -> Iterator[Row]:
        return (row for row in self.rows.values() if row is not None)

    def flush(self, db: Connection) -> None:
        gone = [k for k in self.dirty if k in self.stored]
        if gone:
            params = [{f"k_{n}": v for n, v in zip(self.key_names, k, strict=True)} for k in gone]
            condition = and_(*(self.table.c[n] == bindparam(f"k_{n}") for n in self.key_names))
            db.execute(self.table.delete().where(condition), params)
        rows = [row for k in self.dirty if (row := self.rows[k]) is not None]
        if rows:
            db.execute(self.table.insert(), rows)
        self.clear()

    def clear(self) -> None:
        self.rows.clear()
        self.dirty.clear()
        self.stored.clear()

    def _match(self, key: Key) -> Any:
        return and_(*(self.table.c[n] == v for n, v in zip(self.key_names, key, strict=True)))


class GroupedRows:
    """Sets of rows replaced as a whole: a note's links, a teaching's responses."""

    def __init__(self, table: Table, group: str) -> None:
        self.table = table
        self.group = group
        self.groups: dict[Any, list[Row]] = {}
        self.stored: set[Any] = set()

    def set(self, group: Any, rows: Iterable[Row], *, stored: bool) -> None:
        self.groups[group] = list(rows)
        if stored:
            self.stored.add(group)

    def get(self, group: Any) -> list[Row] | None:
        return self.groups.get(group)

    def flush(self, db: Connection) -> None:
        if self.stored:
            column = self.table.c[self.group]
            db.execute(
                self.table.delete().where(column == bindparam("k_group")),
                [{"k_group": g} for g in self.stored],
            )
        rows = [row for rows in self.groups.values() for row in rows]
        if rows:
            db.execute(self.table.insert(), rows)
        self.clear()

    def clear(self) -> None:
        self.groups.clear()
        self.stored.clear()

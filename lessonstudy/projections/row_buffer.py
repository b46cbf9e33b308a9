"""Rows changed by a batch of events, written at its end with one executemany per table.

Handlers never write directly: they read a row (from this batch's changes, else from
the table), change it, and hand it back. At the end of the batch every changed key is
deleted where a stored row may exist and inserted as it now stands. That turns a
rebuild's million single-row statements into a few hundred bulk ones, and because the
table is only written at the end, "the table plus this batch's changes" is always the
current state a handler needs to see.

New rows nothing else reads (nearly every note and its links in a rebuild) may be handed
over as tuples in column order (``append``): they go to the driver as they are, and
become a dict only if a handler asks for one later in the batch. Building a dict per
row and reading it back into a tuple was a good part of the catalogue's cost in a rebuild.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from operator import itemgetter
from typing import Any

from sqlalchemy import Boolean, Connection, Dialect, Select, Table, and_, bindparam, select

Row = dict[str, Any]
Key = tuple[Any, ...]


class KeyedRows:
    """One table's rows changed in this batch, by primary key."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.key_names = tuple(c.name for c in table.primary_key.columns)
        self.column_names = tuple(c.name for c in table.columns)
        self.key_of: Callable[[Row], Key] = (
            itemgetter(*self.key_names) if len(self.key_names) > 1 else _single(self.key_names[0])
        )
        self.rows: dict[Key, Row | None] = {}  # the row as it now stands; None: no row
        self.dirty: dict[Key, None] = {}  # keys to write, in the order they changed
        self.stored: set[Key] = set()  # keys whose stored row (if any) must go first
        self.appended: dict[Key, tuple[Any, ...]] = {}  # new rows, in column order
        self._select: Select[Any] | None = None
        self._where: dict[str, Select[Any]] = {}

    def get(self, db: Connection, *key: Any) -> Row | None:
        """The row under key as it now stands (edit it, then call changed())."""
        if key in self.rows:
            return self.rows[key]
        if key in self.appended:
            return self._unpack(key)
        if self._select is None:  # built once: constructing it costs more than running it
            self._select = select(self.table).where(self._by_key())
        params = {f"k_{n}": v for n, v in zip(self.key_names, key, strict=True)}
        found = db.execute(self._select, params).mappings().first()
        row = dict(found) if found is not None else None
        self.rows[key] = row
        if row is not None:
            self.stored.add(key)
        return row

    def load_where(
        self, db: Connection, column: str, value: Any, *, stored: bool = True
    ) -> list[Row]:
        """Every row whose column equals value, as it now stands (stored=False: the
        caller knows the table has none yet, e.g. for a lesson planned in this batch)."""
        query = self._where.get(column)
        if query is None:
            query = self._where[column] = select(self.table).where(
                self.table.c[column] == bindparam("value")
            )
        found_rows = db.execute(query, {"value": value}).mappings() if stored else ()
        if self.appended:
            at = self.column_names.index(column)
            for key in [k for k, values in self.appended.items() if values[at] == value]:
                self._unpack(key)
        for found in found_rows:
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

    def append(self, key: Key, values: tuple[Any, ...]) -> None:
        """A row the table cannot have yet, as a tuple in the table's column order."""
        self.appended[key] = values

    def add(self, row: Row) -> None:
        """A row the table cannot have yet (a new note, a new task)."""
        key = self.key_of(row)
        self.appended.pop(key, None)
        self.rows[key] = row
        self.dirty[key] = None

    def put(self, row: Row) -> None:
        """A row that replaces whatever the table has under its key."""
        key = self.key_of(row)
        self.appended.pop(key, None)
        self.rows[key] = row
        self.dirty[key] = None
        self.stored.add(key)

    def changed(self, row: Row) -> None:
        self.dirty[self.key_of(row)] = None

    def remove(self, key: Key) -> None:
        self.appended.pop(key, None)
        self.rows[key] = None
        self.dirty[key] = None

    def cached(self) -> Iterator[Row]:
        for key in list(self.appended):
            self._unpack(key)
        return (row for row in self.rows.values() if row is not None)

    def flush(self, db: Connection) -> None:
        gone = [k for k in self.dirty if k in self.stored]
        if gone:
            params = [{f"k_{n}": v for n, v in zip(self.key_names, k, strict=True)} for k in gone]
            db.execute(self.table.delete().where(self._by_key()), params)
        rows = [row for k in self.dirty if (row := self.rows[k]) is not None]
        insert_many(db, self.table, rows)
        insert_tuples(db, self.table, list(self.appended.values()))
        self.clear()

    def clear(self) -> None:
        self.rows.clear()
        self.dirty.clear()
        self.stored.clear()
        self.appended.clear()

    def _unpack(self, key: Key) -> Row:
        """An appended row as a dict a handler may change (it is then written as one)."""
        row = dict(zip(self.column_names, self.appended.pop(key), strict=True))
        self.rows[key] = row
        self.dirty[key] = None
        return row

    def _by_key(self) -> Any:
        return and_(*(self.table.c[n] == bindparam(f"k_{n}") for n in self.key_names))


class GroupedRows:
    """Sets of rows replaced as a whole: a note's links, a teaching's responses."""

    def __init__(self, table: Table, group: str) -> None:
        self.table = table
        self.group = group
        self.column_names = tuple(c.name for c in table.columns)
        self.groups: dict[Any, list[Row]] = {}
        self.appended: dict[Any, list[tuple[Any, ...]]] = {}  # new groups, in column order
        self.stored: set[Any] = set()

    def set(self, group: Any, rows: Iterable[Row], *, stored: bool) -> None:
        self.appended.pop(group, None)
        self.groups[group] = list(rows)
        if stored:
            self.stored.add(group)

    def append(self, group: Any, rows: list[tuple[Any, ...]]) -> None:
        """A group the table cannot have yet, as tuples in the table's column order."""
        self.appended[group] = rows

    def get(self, group: Any) -> list[Row] | None:
        if group in self.appended:
            names = self.column_names
            rows = [dict(zip(names, values, strict=True)) for values in self.appended[group]]
            self.set(group, rows, stored=False)
        return self.groups.get(group)

    def flush(self, db: Connection) -> None:
        if self.stored:
            column = self.table.c[self.group]
            db.execute(
                self.table.delete().where(column == bindparam("k_group")),
                [{"k_group": g} for g in self.stored],
            )
        insert_many(db, self.table, [row for rows in self.groups.values() for row in rows])
        insert_tuples(db, self.table, [row for rows in self.appended.values() for row in rows])
        self.clear()

    def clear(self) -> None:
        self.groups.clear()
        self.appended.clear()
        self.stored.clear()


def insert_many(db: Connection, table: Table, rows: list[Row]) -> None:
    """INSERT rows in one executemany; on SQLite straight through the driver.

    SQLAlchemy's executemany costs about 15 us a row in Python before SQLite sees it;
    handing the driver tuples (each value through its column type's bind processor,
    as SQLAlchemy would) makes a rebuild's million-row inserts several times cheaper.
    PostgreSQL keeps SQLAlchemy's path, which batches rows into multi-row VALUES.
    """
    if not rows:
        return
    if db.dialect.name != "sqlite":
        db.execute(table.insert(), rows)
        return
    _, getter, _ = _insert_sql(table, db.dialect)
    insert_tuples(db, table, [getter(row) for row in rows])


def insert_tuples(db: Connection, table: Table, rows: list[tuple[Any, ...]]) -> None:
    """INSERT rows given as tuples in the table's column order (see insert_many)."""
    if not rows:
        return
    if db.dialect.name != "sqlite":
        names = [c.name for c in table.columns]
        db.execute(table.insert(), [dict(zip(names, row, strict=True)) for row in rows])
        return
    sql, _, processors = _insert_sql(table, db.dialect)
    if processors:
        rows = [
            tuple(v if p is None else p(v) for v, p in zip(row, processors, strict=True))
            for row in rows
        ]
    db.exec_driver_sql(sql, rows)


Prepared = tuple[str, Callable[[Row], tuple[Any, ...]], list[Any] | None]


def _insert_sql(table: Table, dialect: Dialect) -> Prepared:
    """The table's INSERT for the driver, a row -> tuple getter, and bind processors."""
    key = f"lessonstudy.insert_many.{dialect.name}"
    found: Prepared | None = table.info.get(key)
    if found is None:
        names = [c.name for c in table.columns]
        quote = dialect.identifier_preparer.quote
        sql = (
            f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)})"
            f" VALUES ({', '.join('?' for _ in names)})"
        )
        # Booleans need no processing: sqlite3 stores True and False as 1 and 0, which is
        # what SQLAlchemy's processor would hand it.
        processors = [
            None
            if isinstance(c.type, Boolean)
            else c.type.dialect_impl(dialect).bind_processor(dialect)
            for c in table.columns
        ]
        getter = itemgetter(*names) if len(names) > 1 else _single(names[0])
        found = table.info[key] = (sql, getter, processors if any(processors) else None)
    return found


def _single(name: str) -> Callable[[Row], Key]:
    def get(row: Row) -> Key:
        return (row[name],)

    return get

"""Full-text search over catalogue entries: SQLite FTS5 embedded, PostgreSQL otherwise.

Both engines index the same text: each entry's statement, topic, subject, taxonomy id
and published examples, reduced in Python to lower-case words without accents
("Élève's 1/3" -> "eleve s 1 3"). Queries are reduced the same way and every word
must match as a prefix ("fract" finds "fractions"), so a query finds the same entries
on either engine. There is one document per root entry (with the words of the entries
merged into it), so a match is an entry as the catalogue shows it. Matches come newest
entry first: both engines can then stop at the end of the page, where ordering by the
numbers or by a relevance score (whose values differ between the engines anyway)
would have to look at every match of a short word first.

SQLite keeps an FTS5 table beside ``cat_search_docs`` (rowid = doc_id), written by the
projection in the same transaction as the docs. PostgreSQL needs no second table: a
GIN index on ``to_tsvector('simple', document)`` serves the same query.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import BigInteger, Connection, String, Subquery, Table, event, text

WORD = re.compile(r"[^\W_]+")
MAX_QUERY_WORDS = 12


def words(value: str) -> list[str]:
    if value.isascii():  # nothing to decompose, no accents to drop: the same words, faster
        return WORD.findall(value.casefold())
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return WORD.findall(plain)


def document_of(parts: Iterable[str | None]) -> str:
    return " ".join(w for part in parts if part for w in words(part))


def fts_table(docs: Table) -> str:
    return f"{docs.name}_fts"


def gin_index(docs: Table) -> str:
    return f"ix_{docs.name}_tsv"


def attach(docs: Table) -> None:
    """Create (and drop) the engine's search structure with the docs table."""

    @event.listens_for(docs, "after_create")
    def _created(_table: Table, connection: Connection, **_: Any) -> None:
        create_extras(connection, docs)

    @event.listens_for(docs, "after_drop")
    def _dropped(_table: Table, connection: Connection, **_: Any) -> None:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql(f'DROP TABLE IF EXISTS "{fts_table(docs)}"')


def create_extras(connection: Connection, docs: Table) -> None:
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(
            f'CREATE VIRTUAL TABLE IF NOT EXISTS "{fts_table(docs)}" USING fts5('
            "document, tokenize = 'unicode61 remove_diacritics 2')"
        )
    elif connection.dialect.name == "postgresql":
        connection.exec_driver_sql(
            f'CREATE INDEX IF NOT EXISTS "{gin_index(docs)}" ON "{docs.name}" '
            "USING gin (to_tsvector('simple', document))"
        )


def extra_tables(connection: Connection, docs: Table) -> list[str]:
    """Tables beside the metadata's that a rebuild drops and renames with the docs."""
    return [fts_table(docs)] if connection.dialect.name == "sqlite" else []


def sync(
    connection: Connection, docs: Table, changes: Sequence[tuple[int, str | None, bool]]
) -> None:
    """Mirror changed docs into FTS5: (doc_id, document or None, whether it was stored)."""
    if connection.dialect.name != "sqlite" or not changes:
        return
    name = fts_table(docs)
    stale = [{"rowid": doc_id} for doc_id, _, stored in changes if stored]
    if stale:
        connection.execute(text(f'DELETE FROM "{name}" WHERE rowid = :rowid'), stale)
    fresh = [{"rowid": d, "document": doc} for d, doc, _ in changes if doc is not None]
    if fresh:
        connection.execute(
            text(f'INSERT INTO "{name}" (rowid, document) VALUES (:rowid, :document)'), fresh
        )


def query_terms(query: str) -> list[str]:
    return words(query)[:MAX_QUERY_WORDS]


def match_parameter(dialect: str, terms: list[str]) -> str:
    """The engine's query for "every term, as a prefix"."""
    if dialect == "postgresql":
        return " & ".join(f"{t}:*" for t in terms)
    return " ".join(f'"{t}"*' for t in terms)


def hits(dialect: str, docs: Table) -> Subquery:
    """(misconception_id, doc_id) of the root entries whose words match :q."""
    if dialect == "postgresql":
        statement = text(
            f'SELECT misconception_id, doc_id FROM "{docs.name}"'
            " WHERE to_tsvector('simple', document) @@ to_tsquery('simple', :q)"
        )
    else:
        fts = f'"{fts_table(docs)}"'  # FTS5 wants its own name, not an alias, in MATCH
        statement = text(
            f"SELECT d.misconception_id AS misconception_id, {fts}.rowid AS doc_id"
            f' FROM {fts} JOIN "{docs.name}" d ON d.doc_id = {fts}.rowid WHERE {fts} MATCH :q'
        )
    return statement.columns(misconception_id=String, doc_id=BigInteger).subquery("hits")


def count_hits(connection: Connection, docs: Table, q: str) -> int:
    """How many root entries match :q (each has one document)."""
    if connection.dialect.name == "postgresql":
        statement = text(
            f'SELECT count(*) FROM "{docs.name}"'
            " WHERE to_tsvector('simple', document) @@ to_tsquery('simple', :q)"
        )
    else:
        fts = f'"{fts_table(docs)}"'
        statement = text(f"SELECT count(*) FROM {fts} WHERE {fts} MATCH :q")
    return int(connection.execute(statement, {"q": q}).scalar_one())

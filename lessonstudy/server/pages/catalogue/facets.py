"""The browse page's facets: subjects, grades and topics, with how many tasks and how
many entries each has.

The catalogue's own facets count tasks, but an imported taxonomy (MaE: 55 entries in 8
topics) has entries and no tasks, and a teacher browsing by topic must find those too.
So subjects and topics also count the root entries filed under them (an entry merged
into another is counted once, as the entry it was merged into). Read from the same
views as the catalogue's queries.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, func, select

from lessonstudy.projections.catalogue import CatalogueQueries


def facets(found: CatalogueQueries, engine: Engine) -> dict[str, list[dict[str, Any]]]:
    by_tasks = found.facets()
    e = found.t.entries.c
    counted: dict[str, dict[str, dict[str, Any]]] = {
        name: {f["value"]: {"value": f["value"], "tasks": f["tasks"], "entries": 0} for f in rows}
        for name, rows in by_tasks.items()
    }
    with engine.connect() as db:
        for name in ("subject", "topic"):
            rows = db.execute(
                select(e[name], func.count())
                .where(e.misconception_id == e.root_id, e[name] != "")
                .group_by(e[name])
            )
            for value, count in rows:
                facet = counted[name].setdefault(value, {"value": value, "tasks": 0, "entries": 0})
                facet["entries"] = count
    return {
        name: sorted(values.values(), key=lambda f: (str(f["value"]).casefold(), f["value"]))
        for name, values in counted.items()
    }

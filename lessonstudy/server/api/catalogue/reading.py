"""Reading the catalogue's views from a request: their queries, a search's filters, and
reading again once the views caught up, for the catalogue's API and its pages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from lessonstudy.projections.catalogue import Catalogue, CatalogueQueries, Comparisons, Filters
from lessonstudy.server.context import services

T = TypeVar("T")
WAIT_SECONDS = 2.0


def catalogue() -> Catalogue:
    return services().read_models.catalogue


def queries() -> CatalogueQueries:
    return CatalogueQueries(services().engine, catalogue())


def comparisons() -> Comparisons:
    return Comparisons(services().engine, catalogue())


def read_your_writes(read: Callable[[], T | None]) -> T | None:
    """read(), and if it finds nothing, read again once the views hold every event
    logged so far: a task defined a moment ago has its page, not a 404."""
    found = read()
    if found is None:
        head = services().service.recorder.max_notification_id() or 0
        if services().follower.wait_for(head, timeout=WAIT_SECONDS):
            found = read()
    return found


def filters(query: dict[str, Any]) -> Filters:
    task_id = query.get("task_id")
    return Filters(
        q=query.get("q", "").strip(),
        subject=query.get("subject") or None,
        grade=query.get("grade") or None,
        topic=query.get("topic") or None,
        task_id=str(task_id) if task_id else None,
    )

"""Two followers of one database at once (a worker, and a web process waiting to read
its own write) apply each event once: the position row is locked while a batch is
applied, so the second waits and then skips what the first applied."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable

import pytest
from catalogue.history import build, dump, follow
from sqlalchemy import Connection

from lessonstudy.application import LessonStudy
from lessonstudy.projections.base import LoggedEvent
from lessonstudy.projections.catalogue import Catalogue
from lessonstudy.projections.database import read_model_engine


class SlowFirstBatch(Catalogue):
    """The catalogue, pausing inside its first transaction so another follower starts
    while this one holds its batch uncommitted."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = threading.Event()

    def apply(self, connection: Connection, events: Iterable[LoggedEvent]) -> None:
        if not self.inside.is_set():
            self.inside.set()
            time.sleep(0.5)
        super().apply(connection, events)


@pytest.mark.postgres
def test_a_second_follower_waits_for_the_first_batch_and_counts_nothing_twice(
    postgres_url: str,
) -> None:
    app = LessonStudy(postgres_url)
    engine = read_model_engine(app.store)
    try:
        build(app)
        slow = SlowFirstBatch()
        first, second = follow(app, engine, slow, batch=20), follow(app, engine, Catalogue())
        thread = threading.Thread(target=first.catch_up)
        thread.start()
        assert slow.inside.wait(10)
        second.catch_up()  # reads the same events; must apply only what first did not
        thread.join(30)
        fresh = Catalogue(prefix="fresh_")
        follow(app, engine, fresh, batch=50).catch_up()
        assert [s.error for s in first.status() + second.status()] == [None, None]
        assert dump(engine, Catalogue()) == dump(engine, fresh)
    finally:
        app.close()
        engine.dispose()

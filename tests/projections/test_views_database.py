"""The views' own SQLite file: how every connection to it is set up."""

from __future__ import annotations

from lessonstudy.application import LessonStudy
from lessonstudy.projections.database import read_model_engine


def test_every_views_connection_is_set_for_followers_and_rebuilds(sqlite_url: str) -> None:
    app = LessonStudy(sqlite_url)
    engine = read_model_engine(app.store)
    try:
        with engine.connect() as db:
            pragma = {
                name: db.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("journal_mode", "synchronous", "secure_delete", "foreign_keys")
            }
    finally:
        engine.dispose()
        app.close()
    # WAL: pages read while the follower writes. NORMAL (1): no fsync per commit. FAST
    # (2): a dropped table's pages are not zeroed one by one (Debian's SQLite zeroes them
    # by default, and a rebuild's switch drops a million notes' tables).
    assert pragma == {"journal_mode": "wal", "synchronous": 1, "secure_delete": 2,
                      "foreign_keys": 1}  # fmt: skip

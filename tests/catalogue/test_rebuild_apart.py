"""A rebuild with the views applied in a second process (rebuild_apart):
the same tables as in one process, failures that name the event, a process that
dies, and what crosses the pipe."""

from __future__ import annotations

import copy
import datetime as dt
import marshal
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import pytest
from application.scenario import START, FakeClock
from catalogue.apart_views import FAILING_NOTE, BrittleCatalogue, DyingCatalogue
from catalogue.history import History, build, follow
from catalogue.rebuilding import Followed, dumps, live_views, positions
from sqlalchemy import Engine

from lessonstudy.application import LessonStudy
from lessonstudy.projections.base import LoggedEvent, stamp
from lessonstudy.projections.catalogue import Catalogue
from lessonstudy.projections.dashboard import Dashboard
from lessonstudy.projections.database import read_model_engine
from lessonstudy.projections.misconception_index import MisconceptionIndex
from lessonstudy.projections.rebuild import (
    ApartUnavailableError,
    LogReader,
    Rebuild,
    RebuildFailedError,
)
from lessonstudy.projections.rebuild.apart import Decoder, Encoder, shared_packings
from lessonstudy.projections.recorded_note import NOTE_PACKING, RecordedNote, recorded_note
from lessonstudy.projections.registry import read_models

# Applied in the rebuild's second process: all three (the first reads and decodes).
SERVER_VIEWS = ["dashboard", "misconception_index", "catalogue"]


@pytest.fixture(
    params=["sqlite", pytest.param("postgres", id="postgres", marks=pytest.mark.postgres)]
)
def history(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[History, Engine]:
    """A history in each store a second process can open (memory is the first's alone:
    test_apart_needs_a_store_a_second_process_can_open)."""
    url = f"sqlite:///{tmp_path}/lessonstudy.db"
    if request.param == "postgres":
        url = request.getfixturevalue("postgres_url")
    app = LessonStudy(url, clock=FakeClock(START))
    return build(app), read_model_engine(app.store)


def test_apart_the_tables_are_those_of_a_rebuild_in_one_process(
    history: tuple[History, Engine],
) -> None:
    h, engine = history
    views = live_views()
    follow(h.app, engine, *views).catch_up()
    followed = dumps(engine, views)
    one = Rebuild(h.app, engine, batch_size=5, apart=False).run(fresh=True)
    assert one.apart == []
    in_one = dumps(engine, views)
    # Batches of 5 events: many more than are ever in flight at once.
    two = Rebuild(h.app, engine, batch_size=5, apart=True).run(fresh=True)
    assert two.apart == SERVER_VIEWS
    assert two.events == one.events
    assert dumps(engine, views) == in_one == followed
    head = h.app.recorder.max_notification_id()
    assert positions(engine) == {v.name: (head, None) for v in views}


def failing_note_position(app: LessonStudy) -> int:
    notes = app.recorder.select_notifications(start=1, limit=10_000)
    return next(n.id for n in notes if FAILING_NOTE.encode() in n.state)


def test_apart_a_failing_view_stops_naming_the_event_and_resumes_once_fixed(
    followed: Followed,
) -> None:
    app, engine, views, before = followed.app, followed.engine, followed.views, followed.before
    failing = (Dashboard, MisconceptionIndex, BrittleCatalogue)
    with pytest.raises(RebuildFailedError) as stopped:
        Rebuild(app, engine, failing, batch_size=4, apart=True).run()
    message = str(stopped.value)
    at = failing_note_position(app)
    assert f"rebuild_catalogue stopped at event #{at} (ObservationLog.NoteRecorded of" in message
    assert "cannot read this note" in message
    stored = positions(engine)
    assert stored["rebuild_catalogue"][0] == at - 1  # everything before it is kept
    assert stored["rebuild_catalogue"][1] == message  # and the error is on record
    assert stored["rebuild_dashboard"] == (app.recorder.max_notification_id(), None)
    assert dumps(engine, views) == before  # nothing was switched

    report = Rebuild(app, engine, batch_size=4, apart=True).run()  # the fix ships
    assert report.apart == SERVER_VIEWS
    assert report.events <= app.recorder.max_notification_id() - at + 1
    assert dumps(engine, views) == before
    assert all(not name.startswith("rebuild_") for name in positions(engine))


def test_apart_a_process_that_dies_stops_the_rebuild_and_the_next_resumes(
    followed: Followed,
) -> None:
    app, engine, views, before = followed.app, followed.engine, followed.views, followed.before
    dying = (Dashboard, MisconceptionIndex, DyingCatalogue)
    with pytest.raises(RebuildFailedError) as stopped:
        Rebuild(app, engine, dying, batch_size=4, apart=True).run()
    at = failing_note_position(app)
    stored = positions(engine)["rebuild_catalogue"]
    died = (
        f"the process rebuilding rebuild_catalogue stopped (exit code 3) after position {stored[0]}"
    )
    assert died in str(stopped.value)
    assert stored[0] < at  # its last batch before the note committed, no more
    assert dumps(engine, views) == before

    report = Rebuild(app, engine, batch_size=4, apart=True).run()
    assert report.apart == SERVER_VIEWS
    assert dumps(engine, views) == before


@dataclass
class FirstBatch:
    app: LessonStudy
    reader: LogReader  # its notifications: the batch's stored ones
    events: list[LoggedEvent]


@pytest.fixture
def first_batch(sqlite_url: str) -> FirstBatch:
    """A history's events as a rebuild reads them: one batch (it holds them all)."""
    app = LessonStudy(sqlite_url, clock=FakeClock(START))
    build(app)
    reader = LogReader(app, Rebuild(app, read_model_engine(app.store)).topics, 10_000)
    return FirstBatch(app, reader, reader.read(0))


def altered(logged: LoggedEvent, **attributes: object) -> LoggedEvent:
    """A copy of a read event with other attributes (what is logged stays as it was)."""
    event = copy.copy(logged.event)
    event.__dict__.update(attributes)
    return LoggedEvent(logged.position, logged.event_name, logged.originator_id,
                       logged.version, logged.timestamp, event)  # fmt: skip


def carried(events: list) -> list[tuple]:  # type: ignore[type-arg]
    return [
        (e.position, e.event_name, e.originator_id, e.version, e.timestamp, type(e.event),
         e.event.__dict__)
        for e in events
    ]  # fmt: skip


def test_every_event_crosses_the_pipe_unchanged(first_batch: FirstBatch) -> None:
    app, reader, events = first_batch.app, first_batch.reader, first_batch.events
    through, items = marshal.loads(
        Encoder().encode(reader.notifications, events, events[-1].position)
    )
    assert through == events[-1].position
    assert carried(Decoder(app).decode(items)) == carried(events)
    # Every event of this history as its attributes: none needed its stored form.
    assert all(type(item[2]) is dict for item in items)
    # A share of a batch (what one view handles) finds its stored notifications too.
    share = [e for e in events if e.event_name in Catalogue.event_names()][1::2]
    _, items = marshal.loads(Encoder().encode(reader.notifications, share, events[-1].position))
    assert carried(Decoder(app).decode(items)) == carried(share)


def test_an_event_marshal_cannot_carry_crosses_as_stored(first_batch: FirstBatch) -> None:
    app, reader, events = first_batch.app, first_batch.reader, first_batch.events
    note = next(e for e in events if e.event_name == "ObservationLog.NoteRecorded")
    batch = [*events[:3], altered(note, fields={**note.fields, "at": dt.datetime.now(dt.UTC)})]
    batch.sort(key=lambda e: e.position)
    _, items = marshal.loads(Encoder().encode(reader.notifications, batch, events[-1].position))
    assert [type(item[2]) is dict for item in items] == [True, True, True, False]
    decoded = Decoder(app).decode(items)
    assert carried(decoded[:3]) == carried(batch[:3])
    assert decoded[-1].event.__dict__ == note.event.__dict__  # as logged, not as altered


def test_a_small_log_is_rebuilt_in_one_process(history: tuple[History, Engine]) -> None:
    h, engine = history
    assert Rebuild(h.app, engine).run().apart == []  # a second process costs more


def test_apart_needs_a_store_a_second_process_can_open() -> None:
    app = LessonStudy("memory://", clock=FakeClock(START))
    build(app)
    engine = read_model_engine(app.store)
    with pytest.raises(ApartUnavailableError, match="a second process cannot open an in-memory"):
        Rebuild(app, engine, apart=True)  # said before any work is done
    assert Rebuild(app, engine).run().apart == []  # left to decide: one process


def test_apart_needs_views_a_second_process_can_import(history: tuple[History, Engine]) -> None:
    h, engine = history
    local = (Dashboard, MisconceptionIndex, lambda prefix: Catalogue(prefix))
    with pytest.raises(ApartUnavailableError, match="a view a second process cannot import"):
        Rebuild(h.app, engine, local, apart=True)
    # Left to decide, the rebuild keeps such a view in its own process.
    assert Rebuild(h.app, engine, local, apart=None, batch_size=5).run(fresh=True).apart == []


def test_lessonstudy_rebuild_applies_the_catalogue_apart_on_a_large_log(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from lessonstudy.cli import main

    app = LessonStudy(sqlite_url, clock=FakeClock(START))
    build(app)
    app.close()
    # What counts as large, lowered so that this small log is.
    monkeypatch.setattr("lessonstudy.projections.rebuild.build.APART_FROM", 10)
    result = CliRunner().invoke(main, ["rebuild", "--database-url", sqlite_url])
    assert result.exit_code == 0, result.output
    assert "rebuilt 3 views (dashboard, misconception_index, catalogue)" in result.output
    assert (
        " MB in the process that applied dashboard, misconception_index, catalogue" in result.output
    )


def test_events_of_one_topic_in_other_shapes_cross_unchanged(first_batch: FirstBatch) -> None:
    """The encoder converts by the shape of a topic's first event; one whose datetime
    is missing or whose id is a string must still arrive as it was."""
    app, reader, events = first_batch.app, first_batch.reader, first_batch.events
    notes = [e for e in events if e.event_name == "ObservationLog.NoteRecorded"][:3]
    batch = [notes[0], altered(notes[1], recorded_at=None), altered(notes[2], originator_id="x")]
    _, items = marshal.loads(Encoder().encode(reader.notifications, batch, batch[-1].position))
    assert [e.event.__dict__ for e in Decoder(app).decode(items)] == [
        e.event.__dict__ for e in batch
    ]


def test_notes_cross_packed_as_the_flat_tuple_the_catalogue_reads(first_batch: FirstBatch) -> None:
    app, reader = first_batch.app, first_batch.reader
    events = [e for e in first_batch.events if e.event_name in Catalogue.event_names()]
    encoder = Encoder(Catalogue.packings)
    _, items = marshal.loads(encoder.encode(reader.notifications, events, events[-1].position))
    is_note = [e.event_name == "ObservationLog.NoteRecorded" for e in events]
    assert sum(is_note) >= 5
    assert [len(item) == 2 for item in items] == is_note  # only notes go packed
    decoded = Decoder(app, Catalogue.packings).decode(items)
    for original, arrived, note in zip(events, decoded, is_note, strict=True):
        if note:
            assert type(arrived) is RecordedNote
            assert arrived == recorded_note(original)
            assert arrived.originator_id == original.originator_id
            assert arrived.recorded_at == stamp(original.recorded_at)
        else:
            assert carried([arrived]) == carried([original])


def test_an_event_goes_packed_only_if_every_view_handling_it_takes_it_packed() -> None:
    class CountsNotesUnpacked(Dashboard):
        packings = MappingProxyType({})

    server = list(read_models("rebuild_"))
    assert shared_packings(server) == {"ObservationLog.NoteRecorded": NOTE_PACKING}
    assert shared_packings([CountsNotesUnpacked("rebuild_"), Catalogue("rebuild_")]) == {}
    assert shared_packings([MisconceptionIndex("rebuild_")]) == {}


def test_a_note_marshal_cannot_carry_packed_crosses_as_stored(first_batch: FirstBatch) -> None:
    app, reader, events = first_batch.app, first_batch.reader, first_batch.events
    note = next(e for e in events if e.event_name == "ObservationLog.NoteRecorded")
    batch = [altered(note, fields={**note.fields, "text": dt.datetime.now(dt.UTC)})]
    encoded = Encoder(Catalogue.packings).encode(reader.notifications, batch, note.position)
    _, items = marshal.loads(encoded)
    assert type(items[0][2]) is not dict and len(items[0]) == 5  # as stored
    (decoded,) = Decoder(app, Catalogue.packings).decode(items)
    # The child's mapper decodes it as logged, and the catalogue reads it the same.
    assert recorded_note(decoded) == recorded_note(note)


def test_a_rebuild_interrupted_in_the_main_process_stops_its_child(followed: Followed) -> None:
    import multiprocessing

    app, engine, views, before = followed.app, followed.engine, followed.views, followed.before

    def interrupted(position: int, head: int) -> None:
        if position > head // 2:
            raise KeyboardInterrupt  # the operator's Ctrl-C, between two batches

    with pytest.raises(KeyboardInterrupt):
        Rebuild(app, engine, batch_size=4, progress=interrupted, apart=True).run()
    assert multiprocessing.active_children() == []  # stopped and waited for, not left
    assert dumps(engine, views) == before
    assert Rebuild(app, engine, batch_size=4, apart=True).run().apart == SERVER_VIEWS
    assert dumps(engine, views) == before

"""Old events stay readable: a version-1 NoteRecorded (before photos and flags) is
upgraded on read by ``upcast_v1_v2``, through the service, on every store."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from application.scenario import (
    OBSERVER,
    FakeClock,
    ServiceFactory,
    lesson_with_plan,
    note,
    teach,
)
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

from lessonstudy.application import LessonStudy
from lessonstudy.domain.observation import ObservationLog, observation_log_id


def stored_state(app: LessonStudy, event: Any) -> dict[str, Any]:
    """An event's state as the app's mapper writes it to the store."""
    state: dict[str, Any] = app.mapper.transcoder.decode(app.mapper.to_stored_event(event).state)
    return state


def version_1_note(app: LessonStudy, log_id: UUID, note_id: str) -> StoredEvent:
    """A note as version 1 of the event stored it: no class_version, no photo, no flag."""
    current = list(app.events.get(log_id))[-1]
    state = stored_state(app, current)
    assert state.pop("class_version") == 2
    del state["fields"]["photo_id"], state["fields"]["flagged"]
    state["note_id"] = note_id
    state["fields"]["text"] = '"Half red, half white"'
    state["offset_seconds"] = 150.0
    return StoredEvent(
        originator_id=log_id,
        originator_version=current.originator_version + 1,
        topic=get_topic(ObservationLog.NoteRecorded),
        state=app.mapper.transcoder.encode(state),
    )


def test_a_version_1_note_is_read_as_version_2(
    app: LessonStudy, make_service: ServiceFactory, database_url: str, clock: FakeClock
) -> None:
    assert app.mapper.compressor is None and app.mapper.cipher is None
    _, _, lesson_id = lesson_with_plan(app)
    teaching_id = teach(app, lesson_id)
    clock.advance(minutes=2)
    app.record_note(
        actor_id=OBSERVER,
        teaching_id=teaching_id,
        note_id="new1",
        **note('"Red"', photo_id="ph-7", flagged=True),
    )
    log_id = observation_log_id(teaching_id, OBSERVER)
    old = version_1_note(app, log_id, "old1")
    assert "class_version" not in app.mapper.transcoder.decode(old.state)
    assert old.topic == "lessonstudy.domain.observation:ObservationLog.NoteRecorded"
    app.recorder.insert_events([old])
    clock.advance(minutes=1)
    app.record_note(actor_id=OBSERVER, teaching_id=teaching_id, note_id="new2", **note("Counts"))

    readers = [app] if database_url.startswith("memory") else [app, make_service(database_url)]
    for reader in readers:
        notes = {n["note_id"]: n for n in reader.get_notes(teaching_id)}
        assert list(notes) == ["new1", "old1", "new2"]
        upgraded = notes["old1"]
        assert (upgraded["photo_id"], upgraded["flagged"]) == (None, False)
        assert upgraded["text"] == '"Half red, half white"'
        assert (upgraded["version"], upgraded["offset_seconds"]) == (3, 150.0)
        assert (notes["new1"]["photo_id"], notes["new1"]["flagged"]) == ("ph-7", True)
        assert notes["new2"]["version"] == 4
        history = [e for e in reader.lesson_history(lesson_id) if e.event == "NoteRecorded"]
        assert [e.data["note_id"] for e in history] == ["new1", "old1", "new2"]
        assert history[1].data["fields"]["flagged"] is False

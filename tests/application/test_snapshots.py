"""A long observation log is snapshotted, and read back whole from the snapshot."""

from __future__ import annotations

from application.scenario import (
    OBSERVER,
    FakeClock,
    ServiceFactory,
    lesson_with_plan,
    note,
    teach,
)

from lessonstudy.application import LessonStudy
from lessonstudy.domain.observation import observation_log_id

NOTES = 250
CODES = ["G1-S1", "G1-S2", "G2-S1", "G2-S2"]


def test_250_notes_by_one_observer(
    app: LessonStudy, make_service: ServiceFactory, database_url: str, clock: FakeClock
) -> None:
    _, _, lesson_id = lesson_with_plan(app)
    teaching_id = teach(app, lesson_id)
    positions = []
    for number in range(1, NOTES + 1):
        clock.advance(seconds=5)
        receipt = app.record_note(
            actor_id=OBSERVER,
            teaching_id=teaching_id,
            note_id=f"n{number:03}",
            **note(f'"Answer {number}"', code=CODES[number % 4], flagged=number % 50 == 0),
        )
        positions.append(receipt.position)
    assert positions == sorted(set(positions))

    log_id = observation_log_id(teaching_id, OBSERVER)
    assert app.snapshots is not None
    # Opened is version 1, so the notes are versions 2..251: snapshots at 100 and 200.
    snapshots = list(app.snapshots.get(log_id))
    assert [s.originator_version for s in snapshots] == [100, 200]
    assert len(snapshots[-1].state["notes"]) == 199

    readers = [app] if database_url.startswith("memory") else [app, make_service(database_url)]
    for reader in readers:
        notes = reader.get_notes(teaching_id)
        assert [n["note_id"] for n in notes] == [f"n{i:03}" for i in range(1, NOTES + 1)]
        assert [n["version"] for n in notes] == list(range(2, NOTES + 2))
        assert [n["offset_seconds"] for n in notes] == [5.0 * i for i in range(1, NOTES + 1)]
        assert [n["note_id"] for n in notes if n["flagged"]] == [
            f"n{i:03}" for i in (50, 100, 150, 200, 250)
        ]
        assert notes[-1]["text"] == '"Answer 250"' and notes[-1]["subject_code"] == "G2-S1"
        # A retry of a note from before the snapshot still finds the original position.
        again = reader.record_note(
            actor_id=OBSERVER, teaching_id=teaching_id, note_id="n042", **note("resent")
        )
        assert (again.duplicate, again.position) == (True, positions[41])

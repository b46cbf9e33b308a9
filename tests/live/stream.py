"""Several observers recording a stream of notes at once, and what the log says after.

Each observer's thread records its notes one after another, flat out, resending each
until it is acked, so whatever happens to the transport or the server happens in the
middle of someone's call. The checks read the event log itself.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from live.clients import Device, new_note

from lessonstudy.application import LessonStudy
from lessonstudy.application.note_feed import NOTE_TOPICS
from lessonstudy.domain.observation import ObservationLog

RECORDED_TOPIC = next(t for t in NOTE_TOPICS if t.endswith(ObservationLog.NoteRecorded.__name__))


@dataclass
class Stream:
    devices: list[Device]
    notes_each: int
    deadline: float
    sent: list[str] = field(default_factory=list)
    errors: list[BaseException] = field(default_factory=list)

    def run(self, during: Callable[[Stream], None]) -> None:
        """Record every note while during(stream) runs (cuts, kills), then wait for all."""
        threads = [threading.Thread(target=self._record, args=(d,)) for d in self.devices]
        for thread in threads:
            thread.start()
        try:
            during(self)
        finally:
            for thread in threads:
                thread.join(timeout=max(0.0, self.deadline - time.monotonic()) + 5)
        assert not any(t.is_alive() for t in threads), "an observer was still sending"
        assert self.errors == [], self.errors

    def acked(self) -> int:
        return sum(len(d.acked) for d in self.devices)

    def wait_until_acked(self, count: int) -> None:
        while self.acked() < count:
            assert time.monotonic() < self.deadline, f"only {self.acked()} notes acked"
            time.sleep(0.01)

    def _record(self, device: Device) -> None:
        try:
            for n in range(self.notes_each):
                note = new_note(f'"{device.browser.name} {n}: three of four are red"')
                self.sent.append(note["note_id"])
                device.record(note, self.deadline)
        except BaseException as error:  # reported by run(), in the test's thread
            self.errors.append(error)


def stored_positions(database_url: str) -> dict[str, list[int]]:
    """Every NoteRecorded in the log: note id -> the positions it was stored at."""
    app = LessonStudy(database_url)
    try:
        found: dict[str, list[int]] = {}
        start = 1
        while True:
            page = app.recorder.select_notifications(
                start=start, limit=1000, topics=[RECORDED_TOPIC]
            )
            for notification in page:
                note_id = app.mapper.to_domain_event(notification).note_id
                found.setdefault(note_id, []).append(notification.id)
            if len(page) < 1000:
                return found
            start = page[-1].id + 1
    finally:
        app.close()


def check_each_note_stored_once(stream: Stream, database_url: str) -> Counter[str]:
    """Every note sent is in the log exactly once, at the position its ack gave."""
    stored = stored_positions(database_url)
    assert sorted(stored) == sorted(stream.sent)
    twice = {note_id: positions for note_id, positions in stored.items() if len(positions) != 1}
    assert twice == {}, "stored more than once"
    for device in stream.devices:
        for note_id, position in device.acked.items():
            assert stored[note_id] == [position], (note_id, position, stored[note_id])
    attempts: Counter[str] = Counter()
    for device in stream.devices:
        attempts.update(device.attempts)
    return attempts

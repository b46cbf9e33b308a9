"""Scaled out: two server processes, one PostgreSQL log, Socket.IO rooms shared via Redis.

An observer connected to one process sees what is recorded through the other, live,
and the instructor's clock changes made over REST on one reach the room on the other.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from live.clients import Browser, Device, closing_all, new_note, teach, wait
from live.processes import scaled_out
from live.stream import stored_positions

DEADLINE_SECONDS = 30.0


@pytest.mark.postgres
def test_notes_through_each_process_reach_observers_on_the_other(
    tmp_path: Path, postgres_url: str, redis_server: str
) -> None:
    devices: list[Device] = []
    with scaled_out(tmp_path, postgres_url, redis_server) as (a, b), closing_all(devices):
        ana, (obi,), teaching_id = teach(a.url, ["Obi"])
        # Obi's browser talks to B: the sign-in cookie from A is good there too.
        obi_on_b = Browser(b.url, "Obi").sign_in()
        on_a = Device(ana, a.url, teaching_id).connect()
        on_b = Device(obi_on_b, b.url, teaching_id).connect()
        devices += [on_a, on_b]
        deadline = time.monotonic() + DEADLINE_SECONDS
        for device in devices:
            assert wait(lambda d=device: d.joins >= 1, deadline), "never joined the room"
        from_a = [on_a.record(new_note(f"A{n}"), deadline)["note_id"] for n in range(5)]
        from_b = [on_b.record(new_note(f"B{n}"), deadline)["note_id"] for n in range(5)]
        assert on_b.wait_for(set(from_a), timeout=10), "B's observer missed notes sent to A"
        assert on_a.wait_for(set(from_b), timeout=10), "A's observer missed notes sent to B"
        # The instructor moves the lesson on through A; the room on B hears it.
        ana.call("PUT", f"/api/v1/teachings/{teaching_id}/step", {"step_id": "s2"})
        assert wait(lambda: any(c["change"] == "step" for c in on_b.teaching_changes), deadline)
        stored = stored_positions(postgres_url)
        assert sorted(stored) == sorted(from_a + from_b)
        assert all(len(positions) == 1 for positions in stored.values())
        assert obi.id == obi_on_b.id

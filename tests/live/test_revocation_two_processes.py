"""Scaled out: a member removed through one server process stops hearing the teaching
room on the other, at once (the removal travels on Redis; see
lessonstudy/server/realtime/revocation.py)."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from live.clients import Browser, Device, closing_all, new_note, teach, wait
from live.processes import scaled_out

DEADLINE_SECONDS = 30.0
WITHIN_SECONDS = 1.0


@pytest.mark.postgres
def test_a_removal_through_a_drops_her_socket_on_b(
    tmp_path: Path, postgres_url: str, redis_server: str
) -> None:
    devices: list[Device] = []
    with scaled_out(tmp_path, postgres_url, redis_server) as (a, b), closing_all(devices):
        ana, (obi, pat), teaching_id = teach(a.url, ["Obi", "Pat"])
        on_a = Device(ana, a.url, teaching_id)
        obi_on_b = Device(Browser(b.url, "Obi").sign_in(), b.url, teaching_id)
        pat_on_b = Device(Browser(b.url, "Pat").sign_in(), b.url, teaching_id)
        revoked: list[tuple[float, dict[str, Any]]] = []
        told = threading.Event()

        def on_revoked(body: dict[str, Any]) -> None:
            revoked.append((time.monotonic(), body))
            told.set()

        obi_on_b.sio.on("access:revoked", on_revoked)
        devices += [on_a.connect(), obi_on_b.connect(), pat_on_b.connect()]
        deadline = time.monotonic() + DEADLINE_SECONDS
        for device in devices:
            assert wait(lambda d=device: d.joins >= 1, deadline), "never joined the room"
        before = on_a.record(new_note("before"), deadline)["note_id"]
        assert obi_on_b.wait_for({before}, timeout=10), "Obi on B never heard the room"

        team_id = ana.call("GET", f"/api/v1/teachings/{teaching_id}")["team_id"]
        removed_at = time.monotonic()
        ana.call("DELETE", f"/api/v1/teams/{team_id}/members/{obi.id}")
        assert told.wait(timeout=10), "Obi's socket on B was never told"
        at, body = revoked[0]
        print(f"removal through A -> access:revoked on B: {(at - removed_at) * 1000:.1f} ms")
        assert at - removed_at < WITHIN_SECONDS
        assert body["error"]["status"] == 403
        assert body["rooms"] == [f"teaching:{teaching_id}"]

        after = on_a.record(new_note("after"), deadline)["note_id"]
        assert pat_on_b.wait_for({after}, timeout=10), "Pat on B missed the note"
        time.sleep(0.3)  # anything still on its way to Obi would have arrived with Pat's
        assert after not in obi_on_b.notes
        assert pat.id != obi.id

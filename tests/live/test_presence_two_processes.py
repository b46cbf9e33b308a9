"""Scaled out, the instructor's count of who is in the room covers every process.

Ana (the instructor) is connected to process A, Obi to process B. Each is counted by
the process it is on, and each hears the whole room's count. A process killed with
SIGKILL cannot say its connections are gone: they stop counting once its presence key
expires.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from live.clients import Browser, Device, closing_all, teach, wait
from live.processes import scaled_out

from lessonstudy.server.realtime.presence_store import ALIVE_SECONDS

DEADLINE_SECONDS = 30.0


class Counted:
    """A device that says it is in the room after each join and keeps what it hears."""

    def __init__(self, device: Device) -> None:
        self.device = device
        self.heard: list[list[str]] = []
        self.lock = threading.Lock()
        device.sio.on("teaching:presence", self._heard)

    def _heard(self, payload: dict[str, Any]) -> None:
        with self.lock:
            self.heard.append(payload["people"])

    def here(self) -> list[str]:
        payload = {"teaching_id": self.device.teaching_id}
        ack: dict[str, Any] = self.device.sio.call("teaching:presence", payload, timeout=5)
        assert ack["ok"] is True, ack
        people: list[str] = ack["people"]
        return people

    def hears(self, people: list[str], deadline: float) -> bool:
        while time.monotonic() < deadline:
            with self.lock:
                if self.heard and self.heard[-1] == sorted(people):
                    return True
            time.sleep(0.05)
        return False


@pytest.mark.postgres
def test_the_count_covers_both_processes_and_forgets_a_killed_one(
    tmp_path: Path, postgres_url: str, redis_server: str
) -> None:
    devices: list[Device] = []
    with scaled_out(tmp_path, postgres_url, redis_server) as (a, b), closing_all(devices):
        ana, (obi,), teaching_id = teach(a.url, ["Obi"])
        ana_on_a = Counted(Device(ana, a.url, teaching_id))
        obi_on_b = Counted(Device(Browser(b.url, "Obi").sign_in(), b.url, teaching_id))
        deadline = time.monotonic() + DEADLINE_SECONDS
        for counted in (ana_on_a, obi_on_b):
            devices.append(counted.device.connect())
            assert wait(lambda c=counted: c.device.joins >= 1, deadline), "never joined"
        assert ana_on_a.here() == [ana.id]
        both = sorted([ana.id, obi.id])
        assert obi_on_b.here() == both  # B counts Ana's connection to A
        assert ana_on_a.hears(both, deadline), "A's room never heard B's observer"
        assert obi_on_b.hears(both, deadline)
        # Obi leaves: the room on A hears it within the announcement's moment.
        obi_on_b.device.close()
        assert ana_on_a.hears([ana.id], deadline), "A never heard Obi leave B"
        # Obi comes back on B, then B is killed: nothing tells A, but once B's key has
        # expired its connections no longer count.
        obi_again = Counted(Device(Browser(b.url, "Obi").sign_in(), b.url, teaching_id))
        devices.append(obi_again.device.connect())
        assert wait(lambda: obi_again.device.joins >= 1, deadline)
        assert obi_again.here() == both
        b.kill()
        assert ana_on_a.here() == both  # too soon: B's key has not expired yet
        time.sleep(ALIVE_SECONDS + 1)
        assert ana_on_a.here() == [ana.id]

"""A Redis restart under two `lessonstudy serve` processes sharing rooms through it.

Redis pub/sub keeps nothing: a note recorded while Redis is away, or before a process
has subscribed again, is broadcast to nobody on that process, and before no client
learned it had missed anything. Now each process, once subscribed again, tells its
rooms to catch up (`teaching:catch_up`, docs/realtime.md section 10) and each client
joins again with `since`: every client on both processes ends up with every note.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from live.clients import Browser, Device, closing_all, new_note, teach, wait
from live.processes import scaled_out
from live.stream import stored_positions
from support.redis import OwnRedis, redis_of_its_own

DEADLINE_SECONDS = 30.0
# Long enough for a listener to notice Redis went and for its retries to fail.
DOWN_SECONDS = 1.5


@pytest.fixture
def own_redis() -> Iterator[OwnRedis]:
    with redis_of_its_own() as redis:
        yield redis


def record_through_each(devices: list[Device], label: str, deadline: float) -> list[str]:
    return [d.record(new_note(f"{label} via {d.url}"), deadline)["note_id"] for d in devices]


@pytest.mark.postgres
def test_after_a_redis_restart_every_client_of_both_processes_hears_every_note(
    tmp_path: Path, postgres_url: str, own_redis: OwnRedis
) -> None:
    devices: list[Device] = []
    with (
        scaled_out(tmp_path, postgres_url, own_redis.url) as (a, b),
        closing_all(devices),
    ):
        ana, (obi, oli), teaching_id = teach(a.url, ["Obi", "Oli"])
        # Half the room on each process, as behind a load balancer.
        devices += [
            Device(ana, a.url, teaching_id).connect(),
            Device(oli, a.url, teaching_id).connect(),
            Device(Browser(b.url, "Obi").sign_in(), b.url, teaching_id).connect(),
            Device(Browser(b.url, "Oli").sign_in(), b.url, teaching_id).connect(),
        ]
        deadline = time.monotonic() + DEADLINE_SECONDS
        for device in devices:
            assert wait(lambda d=device: d.joins >= 1, deadline), "never joined the room"
        senders = [devices[1], devices[2]]  # one on each process
        sent = record_through_each(senders, "before", deadline)
        for device in devices:
            assert device.wait_for(set(sent)), "live broadcasts did not work before"

        own_redis.stop()
        # Stored and acked, but published to nobody: Redis is not there.
        sent += record_through_each(senders, "while Redis is away", deadline)
        time.sleep(DOWN_SECONDS)
        own_redis.start_again()
        # Right after it is back, before each process has subscribed again.
        sent += record_through_each(senders, "just after", deadline)

        for device in devices:
            assert device.wait_for(set(sent), timeout=DEADLINE_SECONDS), (
                f"{device.browser.name} on {device.url} is missing notes",
                a.log(),
                b.log(),
            )
            # Told to catch up, not lucky: the notes recorded while Redis was away were
            # broadcast to no one.
            assert device.catch_ups >= 1
        stored = stored_positions(postgres_url)
        assert sorted(stored) == sorted(sent)
        assert all(len(positions) == 1 for positions in stored.values())
        assert obi.id == devices[2].browser.id and oli.id == devices[3].browser.id

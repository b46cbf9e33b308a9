"""Nothing lost, nothing twice: real clients against a real server while things break.

Observers record notes flat out while the transport is cut under them, or while the
server is killed with SIGKILL and started again on the same database. Every note must
end up acked, in the log exactly once at the position its ack gave, and on the page
of an observer who only watches (live, or by catching up after each reconnect).
"""

from __future__ import annotations

import time

from live.clients import Device, teach
from live.processes import ServerProcess
from live.proxy import Proxy
from live.stream import Stream, check_each_note_stored_once

OBSERVERS = ["Obi", "Oli", "Ola"]
NOTES_EACH = 25
DEADLINE_SECONDS = 90.0


def test_transport_cuts_mid_stream_lose_nothing_and_store_nothing_twice(
    server: ServerProcess,
) -> None:
    ana, people, teaching_id = teach(server.url, OBSERVERS)
    proxy = Proxy(server.port)
    devices = [Device(p, proxy.url, teaching_id).connect() for p in people]
    watcher = Device(ana, proxy.url, teaching_id).connect()
    stream = Stream(devices, NOTES_EACH, time.monotonic() + DEADLINE_SECONDS)

    def cut_three_times(stream: Stream) -> None:
        total = len(devices) * NOTES_EACH
        for fraction in (0.2, 0.45, 0.7):
            stream.wait_until_acked(int(total * fraction))
            assert proxy.cut() > 0

    try:
        stream.run(cut_three_times)
        attempts = check_each_note_stored_once(stream, server.database_url)
        # Each cut fell in the middle of someone's call, so some notes were resent.
        assert sum(attempts.values()) > len(stream.sent), "no cut caught a note in flight"
        assert watcher.wait_for(set(stream.sent)), "the watcher is missing notes"
        assert watcher.joins >= 2  # it came back after the cuts and caught up
        assert all(d.joins >= 2 for d in devices)
    finally:
        for device in [*devices, watcher]:
            device.close()
        proxy.close()


def test_a_server_killed_mid_stream_and_restarted_keeps_every_acked_note_once(
    server: ServerProcess,
) -> None:
    ana, people, teaching_id = teach(server.url, OBSERVERS)
    devices = [Device(p, server.url, teaching_id).connect() for p in people]
    watcher = Device(ana, server.url, teaching_id).connect()
    stream = Stream(devices, NOTES_EACH, time.monotonic() + DEADLINE_SECONDS)
    acked_before_kill: dict[str, int] = {}

    def kill_and_restart(stream: Stream) -> None:
        stream.wait_until_acked(len(devices) * NOTES_EACH // 3)
        server.kill()
        for device in devices:
            acked_before_kill.update(device.acked)
        time.sleep(0.3)  # the clients notice and start knocking
        server.start()  # same port, same database file

    try:
        stream.run(kill_and_restart)
        attempts = check_each_note_stored_once(stream, server.database_url)
        assert acked_before_kill, "the kill came before any ack"
        for device in devices:
            for note_id, position in acked_before_kill.items():
                if note_id in device.acked:
                    assert device.acked[note_id] == position
        assert sum(attempts.values()) > len(stream.sent), "the kill caught no note in flight"
        assert watcher.wait_for(set(stream.sent)), "the watcher is missing notes"
        assert server.starts == 2
    finally:
        for device in [*devices, watcher]:
            device.close()

"""One client process of bench/live.py: many observers on asyncio, one core at most.

Run by bench/live.py as ``python -m bench.live_clients``, never by hand. It reads one
JSON line on stdin (the server's URL, whether it is the bare server, and the rooms it
owns: each teaching with its observers' session cookies), connects every observer as
a python-socketio AsyncClient over the websocket transport, joins each to its
teaching's room and prints ``ready <n>``. Then it obeys one command line at a time:

- ``paced <notes/s> <seconds>``: open loop, a note every 1/rate seconds from the next
  observer round-robin (rooms interleaved), whether or not earlier acks are back;
- ``flat <seconds>``: every observer sends its next note as soon as its last is acked;
- ``quit``: disconnect everyone and exit.

and answers each phase with one JSON line: notes sent and acked within the phase,
failures, the phase's length, every ack latency and every broadcast latency (a
note's send to its ``note:recorded`` arriving at another observer of the room) in
milliseconds, and how many broadcasts never came. A process owns whole rooms, so
every latency is measured on one monotonic clock.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import sys
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import socketio

USER_AGENT = "lessonstudy-bench-live/1"
CALL_TIMEOUT = 30.0
GRACE_SECONDS = 5.0
CONNECT_AT_ONCE = 20
TEXTS = (
    "G1-S2 says the bag with more red balls must be better.",
    "She counts 3 of 4 and 6 of 8 and writes both as fractions. Stops at 3/4 = 6/8?",
    "Teacher asks the group how they know; two students point at the white balls.",
)


@dataclass
class Observer:
    index: int
    room: int
    teaching_id: str
    person_id: str
    step_id: str
    cookie: str
    sio: socketio.AsyncClient = field(default_factory=socketio.AsyncClient)


@dataclass
class Phase:
    sent: dict[str, tuple[float, int, int]] = field(default_factory=dict)  # id -> t, who, room
    acked: list[str] = field(default_factory=list)
    ack_ms: list[float] = field(default_factory=list)
    bcast_ms: list[float] = field(default_factory=list)
    failures: int = 0
    end: float = float("inf")
    acked_in_window: int = 0


class Crowd:
    def __init__(self, config: dict[str, Any]) -> None:
        self.url: str = config["url"]
        self.bare: bool = config["bare"]
        self.observers: list[Observer] = []
        self.room_sizes: list[int] = []
        for r, room in enumerate(config["rooms"]):
            self.room_sizes.append(len(room["observers"]))
            for person in room["observers"]:
                self.observers.append(
                    Observer(
                        index=len(self.observers),
                        room=r,
                        teaching_id=room["teaching_id"],
                        person_id=person["id"],
                        step_id=room["step_id"],
                        cookie=person["cookie"],
                        sio=socketio.AsyncClient(reconnection=False, request_timeout=30),
                    )
                )
        self.phase = Phase()
        self.texts = 0

    async def connect_all(self) -> None:
        gate = asyncio.Semaphore(CONNECT_AT_ONCE)

        async def connect(observer: Observer) -> None:
            observer.sio.on("note:recorded", lambda change: self._heard(observer, change))
            headers = {"User-Agent": USER_AGENT}
            if observer.cookie:
                headers["Cookie"] = observer.cookie
            async with gate:
                await observer.sio.connect(
                    self.url, transports=["websocket"], headers=headers, wait_timeout=30
                )
                ack = await observer.sio.call(
                    "teaching:join",
                    {"teaching_id": observer.teaching_id, "since": 0},
                    timeout=CALL_TIMEOUT,
                )
            if not ack.get("ok"):
                raise RuntimeError(f"join refused: {ack}")

        await asyncio.gather(*(connect(o) for o in self.observers))

    async def close_all(self) -> None:
        await asyncio.gather(*(o.sio.disconnect() for o in self.observers))

    def _heard(self, observer: Observer, change: dict[str, Any]) -> None:
        sent = self.phase.sent.get(change.get("note_id", ""))
        if sent is not None and sent[1] != observer.index:
            self.phase.bcast_ms.append((time.monotonic() - sent[0]) * 1000)

    def _payload(self, observer: Observer) -> dict[str, Any]:
        self.texts += 1
        note: dict[str, Any] = {
            "teaching_id": observer.teaching_id,
            "note_id": str(uuid.uuid4()),
            "recorded_at": dt.datetime.now(dt.UTC).isoformat(),
            "subject_kind": "seat",
            "subject_code": "G1-S2",
            "kind": "student_talk",
            "text": TEXTS[self.texts % len(TEXTS)],
            "step_id": observer.step_id,
        }
        if self.bare:
            note["observer_id"] = observer.person_id
        return note

    async def _send(self, observer: Observer, phase: Phase) -> None:
        payload = self._payload(observer)
        started = time.monotonic()
        phase.sent[payload["note_id"]] = (started, observer.index, observer.room)
        try:
            ack = await observer.sio.call("note:record", payload, timeout=CALL_TIMEOUT)
        except socketio.exceptions.SocketIOError:
            phase.failures += 1
            return
        done = time.monotonic()
        if not isinstance(ack, dict) or not ack.get("ok"):
            phase.failures += 1
            print(f"refused: {ack}", file=sys.stderr)
            return
        phase.ack_ms.append((done - started) * 1000)
        phase.acked.append(payload["note_id"])
        if done <= phase.end:
            phase.acked_in_window += 1

    async def paced(self, rate: float, seconds: float) -> dict[str, Any]:
        phase = self.phase = Phase()
        order = sorted(self.observers, key=lambda o: (o.index - self._first(o.room), o.room))
        start = time.monotonic()
        phase.end = start + seconds
        tasks: list[asyncio.Task[None]] = []
        i = 0
        while True:
            at = start + i / rate
            if at >= phase.end:
                break
            delay = at - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(self._send(order[i % len(order)], phase)))
            i += 1
        return await self._finish(phase, tasks, start, seconds)

    async def flat(self, seconds: float) -> dict[str, Any]:
        phase = self.phase = Phase()
        start = time.monotonic()
        phase.end = start + seconds

        async def loop(observer: Observer) -> None:
            while time.monotonic() < phase.end:
                await self._send(observer, phase)

        tasks = [asyncio.create_task(loop(o)) for o in self.observers]
        return await self._finish(phase, tasks, start, seconds)

    async def _finish(
        self, phase: Phase, tasks: list[asyncio.Task[None]], start: float, seconds: float
    ) -> dict[str, Any]:
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=CALL_TIMEOUT + seconds)
        expected = sum(self.room_sizes[phase.sent[n][2]] - 1 for n in phase.acked)
        deadline = time.monotonic() + GRACE_SECONDS
        while len(phase.bcast_ms) < expected and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        return {
            "sent": len(phase.sent),
            "acked": len(phase.acked),
            "acked_in_window": phase.acked_in_window,
            "failures": phase.failures,
            "seconds": seconds,
            "ack_ms": phase.ack_ms,
            "bcast_ms": phase.bcast_ms,
            "bcast_missing": max(0, expected - len(phase.bcast_ms)),
        }

    def _first(self, room: int) -> int:
        return sum(self.room_sizes[:room])


async def run() -> None:
    loop = asyncio.get_running_loop()
    config = json.loads(await loop.run_in_executor(None, sys.stdin.readline))
    crowd = Crowd(config)
    await crowd.connect_all()
    print(f"ready {len(crowd.observers)}", flush=True)
    while True:
        words = (await loop.run_in_executor(None, sys.stdin.readline)).split()
        if not words or words[0] == "quit":
            break
        if words[0] == "paced":
            result = await crowd.paced(float(words[1]), float(words[2]))
        else:
            result = await crowd.flat(float(words[1]))
        print(json.dumps(result), flush=True)
    await crowd.close_all()


if __name__ == "__main__":
    asyncio.run(run())

"""One client process of bench/live.py and bench/district.py: many observers on
asyncio, one core at most, and ``Clients``, the benchmark's side that drives them.

Run by ``Clients`` as ``python -m bench.live_clients``, never by hand. It reads one
JSON line on stdin (the server's URL, whether it is the bare server, and the rooms it
owns: each teaching with its observers' session cookies and, when the server is one of
several processes, the URL of the process each observer connects to), connects every
observer as a python-socketio AsyncClient over the websocket transport, joins each to
its teaching's room and prints ``ready <n>``. Then it obeys one command line at a time:

- ``paced <notes/s> <seconds>``: open loop, a note every 1/rate seconds from the next
  observer round-robin (rooms interleaved), whether or not earlier acks are back;
- ``flat <seconds>``: every observer sends its next note as soon as its last is acked;
- ``quit``: disconnect everyone and exit.

and answers each phase with one JSON line: notes sent and acked within the phase,
failures, the phase's length, every ack latency and every broadcast latency (a
note's send to its ``note:recorded`` arriving at another observer of the room) in
milliseconds, those of them heard on another server process than the one the note was
sent to, how many broadcasts never came (within ``grace_seconds`` after the phase, 5 by
default), and with ``report_acks`` each note's ack time
(``time.monotonic()``: one clock for every process on the machine, so the benchmark
can time the note's way on into the read models). A process owns whole rooms, so every
latency is measured on one monotonic clock.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import socketio

ROOT = Path(__file__).resolve().parent.parent

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
    url: str  # the server process this observer is connected to
    misconception_ids: list[str]
    sio: socketio.AsyncClient = field(default_factory=socketio.AsyncClient)


@dataclass
class Phase:
    sent: dict[str, tuple[float, int, int]] = field(default_factory=dict)  # id -> t, who, room
    acked: list[str] = field(default_factory=list)
    ack_ms: list[float] = field(default_factory=list)
    bcast_ms: list[float] = field(default_factory=list)
    cross_ms: list[float] = field(default_factory=list)  # heard on another server process
    acked_at: dict[str, float] = field(default_factory=dict)  # note id -> time.monotonic()
    failures: int = 0
    end: float = float("inf")
    acked_in_window: int = 0


class Crowd:
    def __init__(self, config: dict[str, Any]) -> None:
        self.url: str = config["url"]
        self.bare: bool = config["bare"]
        self.report_acks: bool = config.get("report_acks", False)
        self.grace_seconds: float = config.get("grace_seconds", GRACE_SECONDS)
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
                        url=person.get("url", self.url),
                        misconception_ids=room.get("misconception_ids", []),
                        sio=socketio.AsyncClient(reconnection=False, request_timeout=30),
                    )
                )
        # Per observer, how many of its room are connected to another server process.
        self.elsewhere = [
            sum(1 for o in self.observers if o.room == me.room and o.url != me.url)
            for me in self.observers
        ]
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
                    observer.url, transports=["websocket"], headers=headers, wait_timeout=30
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
            heard_ms = (time.monotonic() - sent[0]) * 1000
            self.phase.bcast_ms.append(heard_ms)
            if self.observers[sent[1]].url != observer.url:
                self.phase.cross_ms.append(heard_ms)

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
        if observer.misconception_ids:
            note["misconception_ids"] = observer.misconception_ids
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
        if self.report_acks:
            phase.acked_at[payload["note_id"]] = done
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
        cross = sum(self.elsewhere[phase.sent[n][1]] for n in phase.acked)
        deadline = time.monotonic() + self.grace_seconds
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
            "cross_ms": phase.cross_ms,
            "cross_missing": max(0, cross - len(phase.cross_ms)),
            "acked_at": phase.acked_at,
        }

    def _first(self, room: int) -> int:
        return sum(self.room_sizes[:room])


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


def split_rooms(observers: int, rooms: int) -> list[int]:
    return [observers // rooms + (1 if r < observers % rooms else 0) for r in range(rooms)]


class Clients:
    """The client processes, each owning whole rooms, driven in step by stdin lines."""

    def __init__(
        self,
        url: str,
        bare: bool,
        rooms: list[dict[str, Any]],
        count: int,
        *,
        report_acks: bool = False,
        grace_seconds: float = GRACE_SECONDS,
    ) -> None:
        self.processes: list[subprocess.Popen[str]] = []
        self.shares: list[int] = []
        for k in range(count):
            mine = rooms[k::count]
            if not mine:
                continue
            process = subprocess.Popen(
                [sys.executable, "-m", "bench.live_clients"],
                cwd=ROOT,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            assert process.stdin is not None
            config = {"url": url, "bare": bare, "rooms": mine, "report_acks": report_acks}
            config["grace_seconds"] = grace_seconds
            process.stdin.write(json.dumps(config) + "\n")
            process.stdin.flush()
            self.processes.append(process)
            self.shares.append(sum(len(r["observers"]) for r in mine))

    def wait_ready(self) -> None:
        for process in self.processes:
            line = self._line(process)
            if not line.startswith("ready"):
                raise RuntimeError(f"a client process did not connect: {line!r}")

    def run(self, command: str, total_rate: float | None, seconds: float) -> list[dict[str, Any]]:
        everyone = sum(self.shares)
        for process, share in zip(self.processes, self.shares, strict=True):
            assert process.stdin is not None
            if total_rate is None:
                process.stdin.write(f"{command} {seconds}\n")
            else:
                process.stdin.write(f"{command} {total_rate * share / everyone} {seconds}\n")
            process.stdin.flush()
        return [json.loads(self._line(p)) for p in self.processes]

    def close(self) -> None:
        for process in self.processes:
            if process.poll() is None and process.stdin is not None:
                process.stdin.write("quit\n")
                process.stdin.flush()
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()

    @staticmethod
    def _line(process: subprocess.Popen[str]) -> str:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line:
            raise RuntimeError(f"a client process ended (exit {process.wait()})")
        return line


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

"""Live observation under load: lessonstudy's Socket.IO server against a bare one.

Run: .venv/bin/python -m bench.live [--observers 200] [--rooms 10] [--rate 100]
                                    [--seconds 20] [--client-processes 2]
                                    [--follow thread|none] [--keep] [--strict]

For each side (lessonstudy's `serve`, then bench/live_bare.py), on a fresh SQLite file:
start the server as its own process, set up the rooms untimed, connect every observer
(python-socketio AsyncClients over websocket, spread over a few client processes,
each owning whole rooms) and join them to their teaching's room, read the server's
resident memory, then run a short warm-up, a paced phase (--rate notes/s offered in
all, open loop) and a flat-out phase (each observer sends its next note when the
last is acked). Prints notes/s, ack p50/p99 and broadcast p99 per side and phase, and
the targets with PASS/BELOW. Timings are not pass/fail: exit 0 unless --strict.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.live_clients import Clients, percentile, split_rooms
from bench.live_servers import Server, cpu_seconds, resident_mb, rooms_for

SIDES = ("lessonstudy", "bare")
ACK_P99_TARGET_MS = 150.0
FLAT_RATIO_TARGET = 0.7
RSS_TARGET_MB = 400.0
WARMUP_SECONDS = 3.0


@dataclass
class Result:
    side: str
    phase: str
    offered: str
    notes_per_s: float
    ack_ms: list[float]
    bcast_ms: list[float]
    failures: int
    bcast_missing: int
    load: float  # the machine's 1-minute load average as the phase ended
    cpu_ms: float  # the server process's CPU time over the phase, per acked note


@dataclass
class SideRun:
    side: str
    results: list[Result] = field(default_factory=list)
    rss_connected_mb: float = 0.0
    rss_peak_mb: float = 0.0
    setup_s: float = 0.0
    connect_s: float = 0.0


def merge(side: str, phase: str, offered: str, parts: list[dict[str, Any]], cpu_s: float) -> Result:
    seconds = parts[0]["seconds"]
    acked = sum(p["acked_in_window"] for p in parts)
    return Result(
        side=side,
        phase=phase,
        offered=offered,
        notes_per_s=sum(p["acked_in_window"] for p in parts) / seconds,
        ack_ms=[x for p in parts for x in p["ack_ms"]],
        bcast_ms=[x for p in parts for x in p["bcast_ms"]],
        failures=sum(p["failures"] for p in parts),
        bcast_missing=sum(p["bcast_missing"] for p in parts),
        load=os.getloadavg()[0],
        cpu_ms=1000 * cpu_s / acked if acked else float("nan"),
    )


def run_side(side: str, folder: Path, args: argparse.Namespace) -> SideRun:
    run = SideRun(side)
    # serve's gunicorn holds a thread per websocket: room for every observer and spare.
    threads = args.observers + 32 if side == "lessonstudy" else 0
    server = Server(side, folder / side, follow=args.follow, serve_threads=threads).start()
    clients: Clients | None = None
    peak = [0.0]
    sampling = threading.Event()

    def sample() -> None:  # VmHWM would include setup; sample while clients are on
        while not sampling.wait(0.25):
            try:
                peak[0] = max(peak[0], resident_mb(server.pid))
            except (OSError, RuntimeError):
                return

    try:
        started = time.monotonic()
        rooms = rooms_for(server, split_rooms(args.observers, args.rooms))
        run.setup_s = time.monotonic() - started
        started = time.monotonic()
        clients = Clients(server.url, side == "bare", rooms, args.client_processes)
        clients.wait_ready()
        run.connect_s = time.monotonic() - started
        time.sleep(1.0)
        run.rss_connected_mb = resident_mb(server.pid)
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        log(
            f"{side}: setup {run.setup_s:.1f}s, {args.observers} observers connected in "
            f"{run.connect_s:.1f}s, server RSS {run.rss_connected_mb:.0f} MB"
        )
        clients.run("paced", args.rate, args.warmup)
        cpu = cpu_seconds(server.pid)
        parts = clients.run("paced", args.rate, args.seconds)
        cpu, used = cpu_seconds(server.pid), cpu_seconds(server.pid) - cpu
        run.results.append(merge(side, "paced", f"{args.rate:g}/s", parts, used))
        log(f"{side}: paced {row_brief(run.results[-1])}")
        parts = clients.run("flat", None, args.seconds)
        used = cpu_seconds(server.pid) - cpu
        run.results.append(merge(side, "flat-out", "max", parts, used))
        log(f"{side}: flat-out {row_brief(run.results[-1])}")
        sampling.set()
        run.rss_peak_mb = max(peak[0], resident_mb(server.pid))
    finally:
        sampling.set()
        if clients is not None:
            clients.close()
        server.stop()
    return run


def row_brief(r: Result) -> str:
    return (
        f"{r.notes_per_s:.1f} notes/s, ack p50 {percentile(r.ack_ms, 50):.1f} ms "
        f"p99 {percentile(r.ack_ms, 99):.1f} ms, broadcast p99 "
        f"{percentile(r.bcast_ms, 99):.1f} ms, server CPU {r.cpu_ms:.1f} ms/note, "
        f"load {r.load:.1f}"
    )


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def report(runs: dict[str, SideRun], args: argparse.Namespace) -> bool:
    print(
        f"\n{args.observers} observers in {args.rooms} rooms, SQLite, "
        f"{args.client_processes} client processes, {args.seconds:g}s per phase, "
        f"lessonstudy follower: {args.follow}\n"
    )
    header = (
        f"{'server':<12} {'phase':<9} {'offered':>8} {'notes/s':>8} {'ack p50':>8} "
        f"{'ack p99':>8} {'bcast p99':>9} {'bcasts':>8} {'failed':>6} {'missing':>7} "
        f"{'cpu/note':>8} {'load':>5}"
    )
    print(header)
    for side in SIDES:
        for r in runs[side].results:
            print(
                f"{side:<12} {r.phase:<9} {r.offered:>8} {r.notes_per_s:>8.1f} "
                f"{percentile(r.ack_ms, 50):>8.1f} {percentile(r.ack_ms, 99):>8.1f} "
                f"{percentile(r.bcast_ms, 99):>9.1f} {len(r.bcast_ms):>8} "
                f"{r.failures:>6} {r.bcast_missing:>7} {r.cpu_ms:>8.2f} {r.load:>5.1f}"
            )
    for side in SIDES:
        s = runs[side]
        print(
            f"{side:<12} server RSS with {args.observers} connected: "
            f"{s.rss_connected_mb:.0f} MB, peak under load {s.rss_peak_mb:.0f} MB"
        )
    ls, bare = runs["lessonstudy"], runs["bare"]
    for k, phase in enumerate(("paced", "flat-out")):
        mine, theirs = ls.results[k].cpu_ms, bare.results[k].cpu_ms
        print(
            f"server CPU per acked note, {phase}: lessonstudy {mine:.2f} ms, bare "
            f"{theirs:.2f} ms, bare/lessonstudy {theirs / mine:.2f}"
        )
    paced = ls.results[0]
    ratio = ls.results[1].notes_per_s / bare.results[1].notes_per_s
    rss = max(ls.rss_connected_mb, ls.rss_peak_mb)
    rows = [
        (
            f"ack p99 at {args.rate:g} notes/s offered",
            f"{percentile(paced.ack_ms, 99):.1f} ms",
            f"< {ACK_P99_TARGET_MS:g} ms",
            percentile(paced.ack_ms, 99) < ACK_P99_TARGET_MS,
        ),
        (
            "flat-out notes/s vs bare",
            f"{ratio:.2f}",
            f">= {FLAT_RATIO_TARGET}",
            ratio >= FLAT_RATIO_TARGET,
        ),
        (
            f"server RSS, {args.observers} connected (peak)",
            f"{rss:.0f} MB",
            f"< {RSS_TARGET_MB:g} MB",
            rss < RSS_TARGET_MB,
        ),
    ]
    print(f"\n{'target':<40} {'value':>10} {'limit':>10}  verdict")
    for name, value, limit, ok in rows:
        print(f"{name:<40} {value:>10} {limit:>10}  {'PASS' if ok else 'BELOW'}")
    return all(ok for *_, ok in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--observers", type=int, default=200)
    parser.add_argument("--rooms", type=int, default=10)
    parser.add_argument("--rate", type=float, default=100.0, help="notes/s offered, paced")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each phase")
    parser.add_argument("--client-processes", type=int, default=2)
    parser.add_argument(
        "--warmup", type=float, default=WARMUP_SECONDS, help="seconds of paced warm-up, untimed"
    )
    parser.add_argument(
        "--follow",
        choices=("thread", "none"),
        default="thread",
        help="lessonstudy's read-model follower: in the server (as serve runs) or none",
    )
    parser.add_argument("--keep", action="store_true", help="keep the databases and logs")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    with ExitStack() as stack:
        folder = Path(tempfile.mkdtemp(prefix="lessonstudy-bench-live-"))
        if args.keep:
            log(f"keeping {folder}")
        else:
            stack.callback(shutil.rmtree, folder, ignore_errors=True)
        runs = {side: run_side(side, folder, args) for side in SIDES}
        ok = report(runs, args)
    sys.exit(1 if args.strict and not ok else 0)


if __name__ == "__main__":
    main()

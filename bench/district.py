"""A district's load: two web processes, Redis and a worker on PostgreSQL, against one
process alone on the same PostgreSQL.

Run: .venv/bin/python -m bench.district [--observers 400] [--rooms 20] [--rate 150]
                                        [--seconds 20] [--client-processes 2]
                                        [--sides district,single] [--keep] [--strict]

Starts a throwaway PostgreSQL 15 and Redis (the tests' own helpers). Then each side in
turn, on a fresh database of that PostgreSQL:

- ``district``: two ``gunicorn`` web processes (the README's production command) with
  LESSONSTUDY_FOLLOW=none and LESSONSTUDY_REDIS_URL, and one ``lessonstudy worker``
  keeping the read models; each room's observers are split, half connected to each
  web process;
- ``single``: one ``gunicorn`` web process alone, following the log itself (the
  default LESSONSTUDY_FOLLOW=thread), no Redis, every observer connected to it.

Setup is untimed and goes through the REST API (bench/live_servers.py): per room an
instructor, a team of observers each with their own account, an entry in the team's
misconception catalogue (every note cites it, so every note also changes the
catalogue's numbers), a lesson and a started teaching. Then the client processes of
bench.live (bench/live_clients.py) connect every observer and run a 3 s warm-up, a
paced phase (--rate notes/s offered, open loop) and a flat-out phase (each observer
sends its next note when its last is acked), --seconds each.

Prints, per side and phase: notes/s, ack p50/p99, broadcast p99 and, for the district,
cross-process broadcast p99 (a note sent to one web process heard by a room member on
the other) and the broadcasts that never came; the catalogue lag (a note's ack to its
row, and with it its count, in the catalogue's read model); CPU ms per acked note of
each process (web, worker, PostgreSQL with its backends, Redis); PostgreSQL's WAL per
note; each process's resident memory idle and with everyone connected; the district's
figures over the single process's; and the targets with PASS/BELOW. Timings are not
pass/fail: exit 0 unless --strict.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, bindparam, select, text

from bench.live_clients import Clients, percentile, split_rooms
from bench.live_servers import (
    Server,
    Worker,
    await_group,
    resident_mb,
    rooms_for,
    terminate_group,
    tree_cpu_seconds,
)
from bench.stores import RedisServer, Stores, redis_server, stores
from lessonstudy.application import LessonStudy
from lessonstudy.projections.catalogue import Catalogue
from lessonstudy.projections.database import read_model_engine
from lessonstudy.projections.registry import read_models
from lessonstudy.projections.tracking import projection_positions
from lessonstudy.storage import parse_database_url

SIDES = ("district", "single")
ACK_P99_TARGET_MS = 250.0
LAG_P99_TARGET_MS = 1000.0
WARMUP_SECONDS = 3.0
CATALOGUE_POLL_SECONDS = 0.02
CATALOGUE_WAIT_SECONDS = 60.0  # after a phase, for the notes acked in it to be catalogued
VIEWS_WAIT_SECONDS = 120.0
# A broadcast not heard this long after its phase counts as missing: lost, not late
# (flat-out, the servers' queues hold seconds of broadcasts).
BROADCAST_GRACE_SECONDS = 30.0
# gunicorn threads beyond the websockets a process holds open (each holds one thread):
# the REST calls of the setup, Redis's listener, and room to spare.
SPARE_THREADS = 32


@dataclass
class PhaseResult:
    phase: str
    offered: str
    notes_per_s: float  # acks that came back within the phase, per second
    acked: int  # every note of the phase acked, within it or after
    ack_ms: list[float]
    bcast_ms: list[float]
    cross_ms: list[float]
    failures: int
    missing: int
    cross_missing: int
    lag_ms: list[float]
    not_catalogued: int
    cpu_ms: dict[str, float]  # process -> CPU ms per acked note
    wal_kb: float  # PostgreSQL's WAL written per acked note
    wal_syncs: float  # PostgreSQL's WAL flushes per acked note
    load: float


@dataclass
class SideRun:
    side: str
    results: list[PhaseResult] = field(default_factory=list)
    connections: dict[str, int] = field(default_factory=dict)
    rss_idle_mb: dict[str, float] = field(default_factory=dict)
    rss_connected_mb: dict[str, float] = field(default_factory=dict)
    rss_peak_mb: dict[str, float] = field(default_factory=dict)
    setup_s: float = 0.0
    connect_s: float = 0.0


@dataclass
class Side:
    """What one side runs: its web processes by label, its worker, and the servers
    every side shares, measured while it runs."""

    name: str
    web: dict[str, Server]
    worker: Worker | None
    postgres_pid: int
    redis: RedisServer | None

    def start(self) -> None:
        first, *others = self.web.values()
        first.start()  # alone: it makes the tables
        if self.worker is not None:
            self.worker.start()
        for server in others:
            server.start()

    def stop(self) -> None:
        processes = [s.process for s in self.web.values()]
        if self.worker is not None:
            processes.append(self.worker.process)
        for process in processes:  # all at once: each may take seconds
            terminate_group(process)
        for process in processes:
            await_group(process)

    def serving(self) -> dict[str, int]:
        """The pids whose memory is reported: each web process's server, the worker."""
        pids = {label: server.pid for label, server in self.web.items()}
        if self.worker is not None:
            pids["worker"] = self.worker.pid
        return pids

    def cpu_seconds(self) -> dict[str, float]:
        """CPU used so far by each process, with its children (gunicorn's worker,
        PostgreSQL's backends: pooled, so they live through the phase)."""
        used = {}
        for label, server in self.web.items():
            assert server.process is not None
            used[label] = tree_cpu_seconds(server.process.pid)
        if self.worker is not None:
            used["worker"] = tree_cpu_seconds(self.worker.pid)
        used["PostgreSQL"] = tree_cpu_seconds(self.postgres_pid)
        if self.redis is not None:
            used["Redis"] = tree_cpu_seconds(self.redis.pid)
        return used


class CatalogueWatch:
    """When each note first shows in the catalogue's read model.

    Polls the catalogue's notes table every 20 ms for rows past the last seen. A note's
    row and the numbers it changes (the task's and the entry's counts) are written in
    the same transaction, so the moment its row shows is the moment its count does.
    """

    def __init__(self, engine: Engine) -> None:
        notes = Catalogue().t.notes
        self._query = (
            select(notes.c.note_pos, notes.c.note_id)
            .where(notes.c.note_pos > bindparam("after"))
            .order_by(notes.c.note_pos)
        )
        self._engine = engine
        self.seen: dict[str, float] = {}
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> CatalogueWatch:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stopping.set()
        self._thread.join(timeout=10)

    def _watch(self) -> None:
        after = 0
        with self._engine.connect() as db:
            while not self._stopping.wait(CATALOGUE_POLL_SECONDS):
                rows = db.execute(self._query, {"after": after}).all()
                db.rollback()  # a fresh snapshot for the next look
                now = time.monotonic()
                for position, note_id in rows:
                    self.seen.setdefault(str(note_id), now)
                    after = position

    def lags(self, acked_at: dict[str, float]) -> tuple[list[float], int]:
        """Each acked note's ack to its row, in ms, once all show (or the wait ends);
        and how many never showed."""
        deadline = time.monotonic() + CATALOGUE_WAIT_SECONDS
        while any(n not in self.seen for n in acked_at) and time.monotonic() < deadline:
            time.sleep(0.1)
        lags = [(self.seen[n] - t) * 1000 for n, t in acked_at.items() if n in self.seen]
        return lags, len(acked_at) - len(lags)


class Meter:
    """Per-phase counters: each process's CPU, PostgreSQL's WAL bytes and flushes."""

    def __init__(self, side: Side, engine: Engine) -> None:
        self.side, self.engine = side, engine

    def read(self) -> dict[str, Any]:
        with self.engine.connect() as db:
            wal = db.execute(text("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')")).scalar()
            syncs = db.execute(text("SELECT wal_sync FROM pg_stat_wal")).scalar()
        return {"cpu": self.side.cpu_seconds(), "wal": float(wal or 0), "syncs": int(syncs or 0)}


def wait_for_views(app: LessonStudy, engine: Engine, side: Side) -> None:
    """Until every read model has reached the log's head (the setup's events), so a
    phase starts with nothing behind it."""
    head = app.recorder.max_notification_id() or 0
    names = [view.tracking_name for view in read_models()]
    column = projection_positions.c
    query = select(column.position).where(column.projection.in_(names))
    deadline = time.monotonic() + VIEWS_WAIT_SECONDS
    while time.monotonic() < deadline:
        with engine.connect() as db:
            positions = list(db.execute(query).scalars())
        if len(positions) == len(names) and min(positions) >= head:
            return
        if side.worker is not None and not side.worker.running():
            raise RuntimeError(f"the worker ended:\n{side.worker.log()}")
        time.sleep(0.2)
    raise RuntimeError(f"the read models did not reach position {head} in time")


def make_side(
    name: str, folder: Path, url: str, pool: Stores, redis: RedisServer | None, per_web: int
) -> Side:
    threads = per_web + SPARE_THREADS
    if name == "single":
        alone = Server("lessonstudy", folder / "web", database=url, gunicorn_threads=threads)
        return Side(name, {"web": alone}, None, pool.postgres_pid, None)
    assert redis is not None
    secret = secrets.token_hex(16)  # one key: a session cookie is good on both
    web = {
        label: Server(
            "lessonstudy",
            folder / label.replace(" ", "-"),
            follow="none",
            database=url,
            redis_url=redis.url,
            secret_key=secret,
            gunicorn_threads=threads,
        )
        for label in ("web A", "web B")
    }
    return Side(name, web, Worker(folder / "worker", url), pool.postgres_pid, redis)


def spread(rooms: list[dict[str, Any]], side: Side) -> dict[str, int]:
    """Each room's observers alternately on each web process: half of every room on
    each. Returns how many connect to each."""
    servers = list(side.web.items())
    count = dict.fromkeys(side.web, 0)
    for room in rooms:
        for i, person in enumerate(room["observers"]):
            label, server = servers[i % len(servers)]
            person["url"] = server.url
            count[label] += 1
    return count


def run_side(name: str, folder: Path, pool: Stores, redis: RedisServer | None,
             args: argparse.Namespace) -> SideRun:  # fmt: skip
    run = SideRun(name)
    web_count = 1 if name == "single" else 2
    with ExitStack() as stack:
        url = stack.enter_context(pool.fresh("postgres"))
        side = make_side(name, folder / name, url, pool, redis, -(-args.observers // web_count))
        stack.callback(side.stop)
        side.start()
        app = LessonStudy(url)
        stack.callback(app.close)
        engine = read_model_engine(parse_database_url(url))
        stack.callback(engine.dispose)
        started = time.monotonic()
        first = next(iter(side.web.values()))
        rooms = rooms_for(first, split_rooms(args.observers, args.rooms), misconceptions=True)
        wait_for_views(app, engine, side)
        run.setup_s = time.monotonic() - started
        run.connections = spread(rooms, side)
        run.rss_idle_mb = {label: resident_mb(pid) for label, pid in side.serving().items()}
        started = time.monotonic()
        clients = Clients(
            first.url, False, rooms, args.client_processes,
            report_acks=True, grace_seconds=BROADCAST_GRACE_SECONDS,
        )  # fmt: skip
        stack.callback(clients.close)
        clients.wait_ready()
        run.connect_s = time.monotonic() - started
        time.sleep(1.0)
        run.rss_connected_mb = {label: resident_mb(pid) for label, pid in side.serving().items()}
        log(f"{name}: setup {run.setup_s:.1f}s, {args.observers} observers connected in "
            f"{run.connect_s:.1f}s ({run.connections}), RSS idle {brief(run.rss_idle_mb)}, "
            f"connected {brief(run.rss_connected_mb)}")  # fmt: skip
        peak = stack.enter_context(PeakMemory(side))
        watch = stack.enter_context(CatalogueWatch(engine))
        meter = Meter(side, engine)
        clients.run("paced", args.rate, args.warmup)
        phases: list[tuple[str, str, Callable[[], list[dict[str, Any]]]]] = [
            ("paced", f"{args.rate:g}/s", lambda: clients.run("paced", args.rate, args.seconds)),
            ("flat-out", "max", lambda: clients.run("flat", None, args.seconds)),
        ]
        for phase, offered, go in phases:
            result = run_phase(phase, offered, go, meter, watch)
            run.results.append(result)
            log(f"{name}: {phase} {row_brief(result)}")
        run.rss_peak_mb = peak.stop()
    return run


def run_phase(
    phase: str,
    offered: str,
    go: Callable[[], list[dict[str, Any]]],
    meter: Meter,
    watch: CatalogueWatch,
) -> PhaseResult:
    before = meter.read()
    parts = go()
    acked_at = {note: at for part in parts for note, at in part["acked_at"].items()}
    lags, uncatalogued = watch.lags(acked_at)  # the worker's work for the phase, done
    after = meter.read()
    acked = len(acked_at)
    per_note = 1 / acked if acked else float("nan")
    return PhaseResult(
        phase=phase,
        offered=offered,
        notes_per_s=sum(p["acked_in_window"] for p in parts) / parts[0]["seconds"],
        acked=acked,
        ack_ms=[x for p in parts for x in p["ack_ms"]],
        bcast_ms=[x for p in parts for x in p["bcast_ms"]],
        cross_ms=[x for p in parts for x in p["cross_ms"]],
        failures=sum(p["failures"] for p in parts),
        missing=sum(p["bcast_missing"] for p in parts),
        cross_missing=sum(p["cross_missing"] for p in parts),
        lag_ms=lags,
        not_catalogued=uncatalogued,
        cpu_ms={k: 1000 * (after["cpu"][k] - before["cpu"][k]) * per_note for k in after["cpu"]},
        wal_kb=(after["wal"] - before["wal"]) / 1024 * per_note,
        wal_syncs=(after["syncs"] - before["syncs"]) * per_note,
        load=os.getloadavg()[0],
    )


class PeakMemory:
    """Samples each process's resident memory every 0.25 s while the phases run."""

    def __init__(self, side: Side) -> None:
        self.pids = side.serving()
        self.peak = dict.fromkeys(self.pids, 0.0)
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def stop(self) -> dict[str, float]:
        self._stopping.set()
        self._thread.join(timeout=5)
        return self.peak

    def _sample(self) -> None:
        while not self._stopping.wait(0.25):
            for label, pid in self.pids.items():
                try:
                    self.peak[label] = max(self.peak[label], resident_mb(pid))
                except (OSError, RuntimeError):
                    continue


def brief(values: dict[str, float]) -> str:
    return ", ".join(f"{label} {mb:.0f} MB" for label, mb in values.items())


def row_brief(r: PhaseResult) -> str:
    return (
        f"{r.notes_per_s:.1f} notes/s, ack p50 {percentile(r.ack_ms, 50):.1f} ms "
        f"p99 {percentile(r.ack_ms, 99):.1f} ms, cross-process broadcast p99 "
        f"{percentile(r.cross_ms, 99):.1f} ms, missing {r.missing}, catalogue lag p99 "
        f"{percentile(r.lag_ms, 99):.1f} ms, CPU {sum(r.cpu_ms.values()):.1f} ms/note, "
        f"load {r.load:.1f}"
    )


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def report(runs: dict[str, SideRun], args: argparse.Namespace) -> bool:
    print(
        f"\n{args.observers} observers in {args.rooms} rooms, PostgreSQL 15, "
        f"{args.client_processes} client processes, {args.seconds:g}s per phase, "
        f"{os.cpu_count()} cores\n"
        "district: 2 gunicorn web processes (LESSONSTUDY_FOLLOW=none, Redis), 1 worker; "
        "single: 1 gunicorn web process following the log itself\n"
    )
    print(
        f"{'side':<9} {'phase':<9} {'offered':>7} {'notes/s':>8} {'ack p50':>8} "
        f"{'ack p99':>8} {'bcast p99':>9} {'cross p99':>9} {'bcasts':>7} {'missing':>7} "
        f"{'failed':>6} {'lag p50':>8} {'lag p99':>8} {'uncat':>5} {'load':>5}"
    )
    for side, run in runs.items():
        for r in run.results:
            print(
                f"{side:<9} {r.phase:<9} {r.offered:>7} {r.notes_per_s:>8.1f} "
                f"{percentile(r.ack_ms, 50):>8.1f} {percentile(r.ack_ms, 99):>8.1f} "
                f"{percentile(r.bcast_ms, 99):>9.1f} {percentile(r.cross_ms, 99):>9.1f} "
                f"{len(r.bcast_ms):>7} {r.missing:>7} {r.failures:>6} "
                f"{percentile(r.lag_ms, 50):>8.1f} {percentile(r.lag_ms, 99):>8.1f} "
                f"{r.not_catalogued:>5} {r.load:>5.1f}"
            )
    print("\nCPU ms per acked note, by process (web: gunicorn with its worker; PostgreSQL:")
    print("the server with its backends), and PostgreSQL's WAL per note")
    labels = ["web", "web A", "web B", "worker", "PostgreSQL", "Redis"]
    print(
        f"{'side':<9} {'phase':<9} " + " ".join(f"{x:>10}" for x in labels)
        + f" {'total':>8} {'WAL kB':>7} {'flushes':>7}"
    )  # fmt: skip
    for side, run in runs.items():
        for r in run.results:
            cells = " ".join(
                f"{r.cpu_ms[x]:>10.2f}" if x in r.cpu_ms else f"{'-':>10}" for x in labels
            )
            print(
                f"{side:<9} {r.phase:<9} {cells} {sum(r.cpu_ms.values()):>8.2f} "
                f"{r.wal_kb:>7.2f} {r.wal_syncs:>7.2f}"
            )
    print(
        f"\n{'side':<9} {'process':<8} {'sockets':>7} {'RSS idle':>9} {'connected':>9} "
        f"{'per socket':>10} {'peak':>6}  (MB; per socket in kB)"
    )
    for side, run in runs.items():
        for label, idle in run.rss_idle_mb.items():
            sockets = run.connections.get(label, 0)
            connected = run.rss_connected_mb[label]
            each = f"{(connected - idle) * 1024 / sockets:.0f}" if sockets else "-"
            print(
                f"{side:<9} {label:<8} {sockets:>7} {idle:>9.0f} {connected:>9.0f} "
                f"{each:>10} {run.rss_peak_mb.get(label, 0.0):>6.0f}"
            )
    ok = True
    if "district" in runs:
        ok = targets(runs["district"], runs.get("single"), args)
    return ok


def targets(district: SideRun, single: SideRun | None, args: argparse.Namespace) -> bool:
    paced, flat = district.results
    if single is not None:
        print("\ndistrict / single (same run, same PostgreSQL)")
        s_paced, s_flat = single.results
        ratios = [
            ("flat-out notes/s", flat.notes_per_s, s_flat.notes_per_s),
            ("paced ack p99", percentile(paced.ack_ms, 99), percentile(s_paced.ack_ms, 99)),
            (
                "paced CPU ms/note, every process",
                sum(paced.cpu_ms.values()),
                sum(s_paced.cpu_ms.values()),
            ),
            (
                "paced CPU ms/note, PostgreSQL",
                paced.cpu_ms["PostgreSQL"],
                s_paced.cpu_ms["PostgreSQL"],
            ),
            (
                "flat-out CPU ms/note, every process",
                sum(flat.cpu_ms.values()),
                sum(s_flat.cpu_ms.values()),
            ),
        ]
        print(f"{'measure':<38} {'district':>9} {'single':>9} {'ratio':>6}")
        for name, mine, theirs in ratios:
            print(f"{name:<38} {mine:>9.2f} {theirs:>9.2f} {mine / theirs:>6.2f}")
    lag = percentile(paced.lag_ms, 99)
    missing = paced.missing + flat.missing
    rows = [
        (
            f"ack p99 at {args.rate:g} notes/s offered",
            f"{percentile(paced.ack_ms, 99):.1f} ms",
            f"< {ACK_P99_TARGET_MS:g} ms",
            percentile(paced.ack_ms, 99) < ACK_P99_TARGET_MS,
        ),
        ("missing broadcasts (both phases)", str(missing), "0", missing == 0),
        (
            f"catalogue lag p99 at {args.rate:g} notes/s",
            f"{lag:.1f} ms",
            f"< {LAG_P99_TARGET_MS:g} ms",
            lag < LAG_P99_TARGET_MS and paced.not_catalogued == 0,
        ),
    ]
    print(f"\n{'district target':<40} {'value':>10} {'limit':>10}  verdict")
    for name, value, limit, ok in rows:
        print(f"{name:<40} {value:>10} {limit:>10}  {'PASS' if ok else 'BELOW'}")
    return all(ok for *_, ok in rows)


def sides(text: str) -> list[str]:
    chosen = [part.strip() for part in text.split(",") if part.strip()]
    if not chosen or any(c not in SIDES for c in chosen):
        raise argparse.ArgumentTypeError(f"choose from {', '.join(SIDES)}")
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--observers", type=int, default=400)
    parser.add_argument("--rooms", type=int, default=20)
    parser.add_argument("--rate", type=float, default=150.0, help="notes/s offered, paced")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each phase")
    parser.add_argument("--client-processes", type=int, default=2)
    parser.add_argument(
        "--warmup", type=float, default=WARMUP_SECONDS, help="seconds of paced warm-up, untimed"
    )
    parser.add_argument(
        "--sides", type=sides, default=list(SIDES), help="district,single (default both)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the servers' logs")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    # On SIGTERM too, unwind: stop the servers, PostgreSQL and Redis, remove the files.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    with ExitStack() as stack:
        folder = Path(tempfile.mkdtemp(prefix="lessonstudy-bench-district-"))
        if args.keep:
            log(f"keeping {folder}")
        else:
            stack.callback(shutil.rmtree, folder, ignore_errors=True)
        pool = stack.enter_context(stores(["postgres"]))
        redis = redis_server(stack) if "district" in args.sides else None
        runs = {name: run_side(name, folder, pool, redis, args) for name in args.sides}
        ok = report(runs, args)
    sys.exit(1 if args.strict and not ok else 0)


if __name__ == "__main__":
    main()

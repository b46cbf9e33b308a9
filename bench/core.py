"""The service against a bare eventsourcing Application, on SQLite and PostgreSQL.

Run: .venv/bin/python -m bench.core [--notes N] [--edits N] [--stores sqlite,postgres]

For each store and workload, each round prepares both sides, each on a fresh
database, then times the same operations through each. The single-thread workloads
interleave: chunks of each side's operations in turn, the first side flipping every
chunk, so a noisy machine's load falls on both alike. The threaded workload runs one
side after the other, the first side alternating by round. Rates are medians over
rounds, the ratio the median of each round's service/bare ratio, and latencies are
pooled over rounds. Target: the service keeps at least 0.8 of the bare rate.
"""

from __future__ import annotations

import argparse
import signal
import statistics
import sys
import threading
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from importlib.metadata import version

from bench import sides
from bench import workload as w
from bench.stores import KINDS, Stores, stores
from lessonstudy.application.service import LessonStudy

TARGET = 0.8
WORKLOADS = {
    "notes": "notes, 5 observers, one thread",
    "threads": "notes, 5 observers, a thread each",
    "edits": "plan edits, one lesson",
}
SIDES = ("service", "bare")
# Single-thread workloads run both sides in alternating chunks; threads run side by side.
INTERLEAVED = ("notes", "edits")
WARMUP_OPS = 30


@dataclass
class Sample:
    """One timed run: its rate and each operation's latency in seconds."""

    rate: float
    latencies: list[float]


@dataclass
class Result:
    service: list[Sample] = field(default_factory=list)
    bare: list[Sample] = field(default_factory=list)


def time_ops(prepared: sides.Prepared) -> Sample:
    """Run every operation (each list in its own thread if several); rate over wall time."""
    per_thread: list[list[float]] = [[] for _ in prepared.threads]
    barrier = threading.Barrier(len(prepared.threads) + 1)

    def run(ops: list[sides.Op], latencies: list[float]) -> None:
        barrier.wait()
        for op in ops:
            started = time.perf_counter()
            op()
            latencies.append(time.perf_counter() - started)

    if len(prepared.threads) == 1:
        started = time.perf_counter()
        barrier = threading.Barrier(1)
        run(prepared.threads[0], per_thread[0])
        elapsed = time.perf_counter() - started
    else:
        workers = [
            threading.Thread(target=run, args=(ops, lat))
            for ops, lat in zip(prepared.threads, per_thread, strict=True)
        ]
        for worker in workers:
            worker.start()
        barrier.wait()
        started = time.perf_counter()
        for worker in workers:
            worker.join()
        elapsed = time.perf_counter() - started
    latencies = [x for part in per_thread for x in part]
    return Sample(rate=len(latencies) / elapsed, latencies=latencies)


def prepare(
    side: str, name: str, url: str, sizes: argparse.Namespace, env: dict[str, str]
) -> sides.Prepared:
    if name == "edits":
        edit_specs = w.edits(sizes.edits)
        if side == "service":
            return sides.service_edits(url, edit_specs)
        return sides.bare_edits(url, env, edit_specs)
    note_specs = w.notes(sizes.notes)
    threaded = name == "threads"
    if side == "service":
        return sides.service_notes(url, note_specs, threaded)
    return sides.bare_notes(url, env, note_specs, threaded)


def measure(
    pool: Stores, kind: str, name: str, sizes: argparse.Namespace, env: dict[str, str], first: str
) -> dict[str, Sample]:
    """Both sides of one workload on fresh databases of one kind; `first` goes first."""
    order = [first, *(s for s in SIDES if s != first)]
    with ExitStack() as stack:
        prepared: dict[str, sides.Prepared] = {}
        for side in order:
            url = stack.enter_context(pool.fresh(kind))
            prepared[side] = prepare(side, name, url, sizes, env)
            stack.callback(prepared[side].close)
        if name in INTERLEAVED:
            return time_interleaved(prepared, order, sizes.chunk)
        return {side: time_ops(prepared[side]) for side in order}


def time_interleaved(
    prepared: dict[str, sides.Prepared], order: list[str], chunk: int
) -> dict[str, Sample]:
    """Chunks of each side's operations in turn, so both meet the same machine load.

    Both sides advance in step, so their streams are equally long at each moment;
    which side goes first flips every chunk. A side's rate is its operations over the
    time spent in them.
    """
    ops = {side: prepared[side].threads[0] for side in order}
    spent = dict.fromkeys(order, 0.0)
    latencies: dict[str, list[float]] = {side: [] for side in order}
    count = len(ops[order[0]])
    for number, start in enumerate(range(0, count, chunk)):
        for side in order if number % 2 == 0 else order[::-1]:
            for op in ops[side][start : start + chunk]:
                started = time.perf_counter()
                op()
                took = time.perf_counter() - started
                latencies[side].append(took)
                spent[side] += took
    return {side: Sample(len(latencies[side]) / spent[side], latencies[side]) for side in order}


def service_repository_env() -> dict[str, str]:
    """The settings the service runs with, for the bare side to copy its cache settings."""
    probe = LessonStudy("memory://")
    try:
        return dict(probe.env)
    finally:
        probe.close()


def run_all(args: argparse.Namespace) -> dict[tuple[str, str], Result]:
    env = service_repository_env()
    results = {(k, n): Result() for k in args.stores for n in args.workloads}
    warmup = argparse.Namespace(notes=WARMUP_OPS, edits=WARMUP_OPS, chunk=args.chunk)
    with stores(args.stores) as pool:
        for kind in args.stores:  # first-use costs (imports, first queries) untimed
            for name in args.workloads:
                measure(pool, kind, name, warmup, env, first="service")
        for round_number in range(args.rounds):
            first = SIDES[round_number % 2]
            for kind in args.stores:
                for name in args.workloads:
                    samples = measure(pool, kind, name, args, env, first)
                    for side, sample in samples.items():
                        getattr(results[kind, name], side).append(sample)
                    progress(round_number, kind, name, samples)
    return results


def progress(round_number: int, kind: str, name: str, samples: dict[str, Sample]) -> None:
    rates = "  ".join(f"{side} {samples[side].rate:7.1f}/s" for side in SIDES)
    ratio = samples["service"].rate / samples["bare"].rate
    print(
        f"  round {round_number + 1}: {kind:<8} {name:<8} {rates}  ratio {ratio:.2f}",
        file=sys.stderr,
        flush=True,
    )


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def latency(samples: list[Sample]) -> str:
    pooled = [x for s in samples for x in s.latencies]
    return f"{percentile(pooled, 0.5) * 1000:.2f}/{percentile(pooled, 0.95) * 1000:.2f}"


def report(results: dict[tuple[str, str], Result], args: argparse.Namespace) -> bool:
    """Print the table; True when every row meets the target."""
    header = (
        f"{'store':<9}{'workload':<35}{'ops':>6}{'service/s':>11}{'bare/s':>10}"
        f"{'ratio':>7}{'target':>8}  {'verdict':<7}"
        f"{'service p50/p95 ms':>20}{'bare p50/p95 ms':>18}"
    )
    print(header)
    print("-" * len(header))
    all_pass = True
    for (kind, name), result in results.items():
        ops = args.edits if name == "edits" else args.notes
        service = statistics.median(s.rate for s in result.service)
        bare = statistics.median(s.rate for s in result.bare)
        ratio = statistics.median(
            s.rate / b.rate for s, b in zip(result.service, result.bare, strict=True)
        )
        verdict = "PASS" if ratio >= TARGET else "BELOW"
        all_pass &= verdict == "PASS"
        print(
            f"{kind:<9}{WORKLOADS[name]:<35}{ops:>6}{service:>11.1f}{bare:>10.1f}"
            f"{ratio:>7.2f}{TARGET:>8.1f}  {verdict:<7}"
            f"{latency(result.service):>20}{latency(result.bare):>18}"
        )
    return all_pass


def names(allowed: list[str] | tuple[str, ...]) -> Callable[[str], list[str]]:
    def parse(text: str) -> list[str]:
        chosen = [part.strip() for part in text.split(",") if part.strip()]
        unknown = [c for c in chosen if c not in allowed]
        if unknown or not chosen:
            raise argparse.ArgumentTypeError(f"choose from {', '.join(allowed)}")
        return chosen

    return parse


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.core", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--notes", type=int, default=600, help="notes per run (default 600)")
    parser.add_argument("--edits", type=int, default=300, help="plan edits per run (default 300)")
    parser.add_argument(
        "--stores", type=names(KINDS), default=list(KINDS), help="sqlite,postgres (default both)"
    )
    parser.add_argument(
        "--workloads",
        type=names(list(WORKLOADS)),
        default=list(WORKLOADS),
        help="notes,threads,edits (default all)",
    )
    parser.add_argument(
        "--chunk", type=int, default=25, help="operations per turn when interleaving (25)"
    )
    parser.add_argument("--rounds", type=int, default=3, help="rounds per side (default 3)")
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 when a row is below the target"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # On SIGTERM too, unwind: stop the PostgreSQL server and remove the temporary files.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    print(
        f"lessonstudy service vs bare eventsourcing {version('eventsourcing')} Application;"
        f" {args.rounds} rounds, a fresh database per side and run",
        file=sys.stderr,
    )
    results = run_all(args)
    print()
    all_pass = report(results, args)
    print(f"\nratio = median over rounds of service/bare; target >= {TARGET}; latencies pooled")
    return 1 if args.strict and not all_pass else 0


if __name__ == "__main__":
    sys.exit(main())

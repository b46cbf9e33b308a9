"""The service against a bare eventsourcing Application, on SQLite and PostgreSQL.

Run: .venv/bin/python -m bench.core [--notes N] [--edits N] [--stores sqlite,postgres]

For each store and workload, each round prepares both sides, each on a fresh
database, then runs the same operations through each, interleaved: the sides take
turns of a few operations (per thread), the first side flipping every turn, so a
noisy machine's load falls on both alike. Rates are medians over rounds; the ratio
is the median over all turns of bare time / service time for the same operations
(each pair ran back to back, so a burst of load spoils one pair, not the ratio);
latencies are pooled over rounds.
Target: the service keeps at least 0.8 of the bare rate.
"""

from __future__ import annotations

import argparse
import signal
import statistics
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
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
WARMUP_OPS = 30


@dataclass
class Sample:
    """One timed run: its rate, each operation's latency and each turn's time (seconds)."""

    rate: float
    latencies: list[float]
    turns: list[float]


@dataclass
class Result:
    service: list[Sample] = field(default_factory=list)
    bare: list[Sample] = field(default_factory=list)


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
    """Both sides of one workload, each on a fresh database of one kind, interleaved."""
    order = [first, *(s for s in SIDES if s != first)]
    with ExitStack() as stack:
        prepared: dict[str, sides.Prepared] = {}
        for side in order:
            url = stack.enter_context(pool.fresh(kind))
            prepared[side] = prepare(side, name, url, sizes, env)
            stack.callback(prepared[side].close)
        return time_interleaved(prepared, order, sizes.chunk, stack)


def time_interleaved(
    prepared: dict[str, sides.Prepared], order: list[str], chunk: int, stack: ExitStack
) -> dict[str, Sample]:
    """The sides take turns, `chunk` operations per thread a turn, the first flipping.

    Both sides advance in step, so their streams are equally long at each moment and a
    burst of load from elsewhere on the machine falls on both alike. A side's rate is
    its operations over the wall time of its turns; in a threaded workload each turn
    runs every thread's next chunk at once and ends when the last thread is done.
    """
    turns: dict[str, list[float]] = {side: [] for side in order}
    latencies: dict[str, list[float]] = {side: [] for side in order}
    pools = {
        side: stack.enter_context(ThreadPoolExecutor(len(prepared[side].threads)))
        for side in order
        if len(prepared[side].threads) > 1
    }
    longest = max(len(ops) for side in order for ops in prepared[side].threads)
    for turn, start in enumerate(range(0, longest, chunk)):
        for side in order if turn % 2 == 0 else order[::-1]:
            parts = [ops[start : start + chunk] for ops in prepared[side].threads]
            turns[side].append(run_turn(parts, pools.get(side), latencies[side]))
    return {
        side: Sample(len(latencies[side]) / sum(turns[side]), latencies[side], turns[side])
        for side in order
    }


def run_turn(
    parts: list[list[sides.Op]], pool: ThreadPoolExecutor | None, latencies: list[float]
) -> float:
    started = time.perf_counter()
    if pool is None:
        run_ops(parts[0], latencies)
    else:
        for future in [pool.submit(run_ops, part, latencies) for part in parts if part]:
            future.result()
    return time.perf_counter() - started


def run_ops(ops: list[sides.Op], latencies: list[float]) -> None:
    for op in ops:
        started = time.perf_counter()
        op()
        latencies.append(time.perf_counter() - started)  # list.append is atomic


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
    warmup = argparse.Namespace(notes=args.warmup, edits=args.warmup, chunk=args.chunk)
    with stores(args.stores) as pool:
        for kind in args.stores:  # first-use costs (imports, first queries) untimed
            for name in args.workloads if args.warmup else []:
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
    ratio = paired_ratio(Result(service=[samples["service"]], bare=[samples["bare"]]))
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


def paired_ratio(result: Result) -> float:
    """The median over every turn of bare time / service time for the same operations.

    The two turns of a pair ran back to back on streams of the same length, so a burst
    of load from elsewhere spoils one pair, not the ratio; on a quiet machine this
    equals the ratio of the rates.
    """
    pairs = [
        b / s
        for service, bare in zip(result.service, result.bare, strict=True)
        for s, b in zip(service.turns, bare.turns, strict=True)
    ]
    return statistics.median(pairs)


def report(results: dict[tuple[str, str], Result], args: argparse.Namespace) -> bool:
    """Print the table; True when every row meets the target."""
    header = (
        f"{'store':<9}{'workload':<35}{'ops':>6}{'service/s':>11}{'bare/s':>10}{'s/b':>6}"
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
        ratio = paired_ratio(result)
        verdict = "PASS" if round(ratio, 2) >= TARGET else "BELOW"  # as printed
        all_pass &= verdict == "PASS"
        print(
            f"{kind:<9}{WORKLOADS[name]:<35}{ops:>6}{service:>11.1f}{bare:>10.1f}"
            f"{service / bare:>6.2f}{ratio:>7.2f}{TARGET:>8.1f}  {verdict:<7}"
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
        "--chunk", type=int, default=10, help="operations per thread a turn (default 10)"
    )
    parser.add_argument("--rounds", type=int, default=3, help="rounds per side (default 3)")
    parser.add_argument(
        "--warmup",
        type=int,
        default=WARMUP_OPS,
        help=f"operations per workload and side in the untimed warm-up, 0 for none"
        f" (default {WARMUP_OPS})",
    )
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
    print(
        f"\nrates: median over {args.rounds} rounds; s/b: service/s / bare/s\n"
        f"ratio: median over every pair of turns (the same {args.chunk} operations per thread,"
        f" run back to back) of bare time / service time; PASS when >= {TARGET}\n"
        "latencies: p50/p95 of one operation in milliseconds, pooled over rounds"
    )
    return 1 if args.strict and not all_pass else 0


if __name__ == "__main__":
    sys.exit(main())

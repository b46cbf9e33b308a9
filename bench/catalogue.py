"""The catalogue at scale: rebuild rate against reading the log, live lag, query latency.

Run: .venv/bin/python -m bench.catalogue [--notes 1000000] [--store sqlite|postgres]

1. Seeds ``--notes`` notes across notes/100 tasks and twice as many misconceptions
   (bench/catalogue_seed.py), written in large batches through the service's mapper.
2. Times, each in a fresh child process: reading and decoding every event the views
   read (the baseline), then ``--rounds`` times ``Rebuild.run`` (what ``lessonstudy
   rebuild`` runs: build aside, index, finish, switch) followed by the baseline again.
   Each round's ratio is its rebuild's events/s over the mean of the two baselines
   around it; the ratio reported is the median of the rounds' (target >= 0.5), every
   round's printed too. Each rebuild child reports its own peak resident memory plus
   that of the process the rebuild applies the catalogue in, if it did (the sum, the
   largest of the rounds': target < 500 MB).
3. Starts the server's follower (a background thread, as ``lessonstudy serve`` does)
   and records notes through the service one at a time: the lag is from the commit
   of ``record_note`` to the note's count showing on its task's catalogue numbers
   (p99, target < 250 ms).
4. p95 of a task's page and of a search, over random tasks and words (target < 20 ms
   on SQLite).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from bench.catalogue_live import live_lags, query_latencies
from bench.catalogue_seed import WORDS, seed
from bench.stores import stores
from lessonstudy.application import LessonStudy
from lessonstudy.projections.bulk_gc import bulk_collection
from lessonstudy.projections.database import read_model_engine
from lessonstudy.projections.rebuild import LogReader, Rebuild

TARGETS = {"ratio": 0.5, "lag_p99_ms": 250, "task_p95_ms": 20, "search_p95_ms": 20, "rss_mb": 500}


def main() -> None:
    args = parse()
    if args.child:
        print(json.dumps(child(args.child, args.url, args.batch)))
        return
    with ExitStack() as stack:
        url = database(stack, args)
        app = LessonStudy(url)
        started = time.perf_counter()
        counts = seed(app, args.notes)
        app.close()
        say(f"seeded {counts.notes:,} notes, {counts.tasks:,} tasks, "
            f"{counts.misconceptions:,} misconceptions: {counts.events:,} events "
            f"in {time.perf_counter() - started:.0f} s")  # fmt: skip
        results = measure(url, args)
    report(results)


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notes", type=int, default=1_000_000)
    parser.add_argument("--store", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--batch", type=int, default=10_000, help="events per rebuild batch")
    parser.add_argument("--rounds", type=int, default=2, help="rebuilds, each between readings")
    parser.add_argument("--live", type=int, default=300, help="notes timed for live lag")
    parser.add_argument("--queries", type=int, default=300, help="task pages and searches")
    parser.add_argument("--child", choices=("raw", "rebuild"), help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    return parser.parse_args()


def database(stack: ExitStack, args: argparse.Namespace) -> str:
    if args.store == "postgres":
        pool = stack.enter_context(stores(["postgres"]))
        url: str = stack.enter_context(pool.fresh("postgres"))
        return url
    folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="lessonstudy-catalogue-"))
    return f"sqlite:///{folder}/bench.db"


def measure(url: str, args: argparse.Namespace) -> dict[str, Any]:
    # read+decode, then each round a rebuild and read+decode again: every rebuild is
    # compared with the readings just before and after it, so a machine whose speed
    # drifts (this one's moved by 15% within minutes) weighs on both sides alike.
    raws = [run_child("raw", url, args.batch)]
    say(f"read and decode: {raws[0]['events']:,} events at {raws[0]['rate']:,.0f}/s")
    rebuilds, ratios = [], []
    for round_ in range(1, args.rounds + 1):
        rebuilt = run_child("rebuild", url, args.batch)
        rebuilt["rss_mb"] = rebuilt["rss_main_mb"] + rebuilt["rss_apart_mb"]
        apart = ", ".join(rebuilt["apart"]) or "none"
        say(f"round {round_} rebuild: {rebuilt['events']:,} events at {rebuilt['rate']:,.0f}/s "
            f"(build {rebuilt['build']:.0f} s, finish {rebuilt['finish']:.0f} s, "
            f"switch {rebuilt['switch']:.1f} s), peak {rebuilt['rss_main_mb']:.0f} MB "
            f"+ {rebuilt['rss_apart_mb']:.0f} MB applying views apart ({apart})")  # fmt: skip
        raws.append(run_child("raw", url, args.batch))
        around = (raws[-2]["rate"] + raws[-1]["rate"]) / 2
        ratios.append(rebuilt["rate"] / around)
        say(f"round {round_} read and decode again: {raws[-1]['rate']:,.0f}/s; "
            f"rebuild / read+decode around it: {ratios[-1]:.2f}")  # fmt: skip
        rebuilds.append(rebuilt)
    rebuilt = max(rebuilds, key=lambda r: r["rss_mb"])
    app = LessonStudy(url)
    engine = read_model_engine(app.store)
    try:
        lags = live_lags(app, engine, args.live)
        pages, searches = query_latencies(engine, args.queries, random.Random(5), WORDS)
    finally:
        app.close()
        engine.dispose()
    return {
        "events": rebuilt["events"],
        "raw_rate": statistics.mean(r["rate"] for r in raws),
        "rebuild_rate": statistics.mean(r["rate"] for r in rebuilds),
        "ratio": statistics.median(ratios),
        "ratios": ratios,
        "rss_mb": rebuilt["rss_mb"],
        "rss_apart_mb": rebuilt["rss_apart_mb"],
        "lag_p99_ms": percentile(lags, 0.99) * 1000,
        "lag_p50_ms": percentile(lags, 0.5) * 1000,
        "task_p95_ms": percentile(pages, 0.95) * 1000,
        "search_p95_ms": percentile(searches, 0.95) * 1000,
    }


def run_child(phase: str, url: str, batch: int) -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.catalogue", "--child", phase, "--url", url]
    command += ["--batch", str(batch)]
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"bench child {phase} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def child(phase: str, url: str, batch: int) -> dict[str, Any]:
    """One timed phase in this (fresh) process."""
    app = LessonStudy(url)
    engine = read_model_engine(app.store)
    rebuild = Rebuild(app, engine, batch_size=batch)
    started = time.perf_counter()
    if phase == "raw":
        # With the collector set as the rebuild sets it (Rebuild.run), so the baseline
        # is the fastest reading this process can do, not one the rebuild outruns.
        with bulk_collection():
            reader = LogReader(app, rebuild.topics, batch)
            events = sum(len(b) for b in reader.batches(0))
        elapsed = time.perf_counter() - started
        return {"events": events, "rate": events / elapsed}
    report = rebuild.run(fresh=True)
    elapsed = time.perf_counter() - started
    # A rebuild may apply views in a process of its own (rebuild_apart): its peak
    # counts too, once the rebuild has waited for it to end.
    apart_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024 if report.apart else 0
    return {
        "events": report.events,
        "rate": report.events / elapsed,
        "build": report.build_seconds,
        "finish": report.finish_seconds,
        "switch": report.switch_seconds,
        "rss_main_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "rss_apart_mb": apart_mb,
        "apart": report.apart,
    }


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def report(results: dict[str, Any]) -> None:
    rows = [
        ("rebuild / read+decode", f"{results['ratio']:.2f}", ">= 0.5", results["ratio"] >= 0.5),
        ("  (median of rounds)", " ".join(f"{r:.2f}" for r in results["ratios"]), "", None),
        ("rebuild events/s", f"{results['rebuild_rate']:,.0f}", "", None),
        ("read+decode events/s", f"{results['raw_rate']:,.0f}", "", None),
        ("rebuild peak RSS MB", f"{results['rss_mb']:.0f}", "< 500", results["rss_mb"] < 500),
        ("  of which apart", f"{results['rss_apart_mb']:.0f}", "", None),
        ("live lag p99 ms", f"{results['lag_p99_ms']:.1f}", "< 250", results["lag_p99_ms"] < 250),
        ("live lag p50 ms", f"{results['lag_p50_ms']:.1f}", "", None),
        ("task page p95 ms", f"{results['task_p95_ms']:.1f}", "< 20", results["task_p95_ms"] < 20),
        ("search p95 ms", f"{results['search_p95_ms']:.1f}", "< 20", results["search_p95_ms"] < 20),
    ]
    print(f"{'measure':<24}{'value':>12}  {'target':<8}verdict")
    for name, value, target, ok in rows:
        verdict = "" if ok is None else ("PASS" if ok else "BELOW")
        print(f"{name:<24}{value:>12}  {target:<8}{verdict}")


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()

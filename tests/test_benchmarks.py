"""Every benchmark runs, at a tiny size, as its command runs it: none can break unseen.

Each test starts ``python -m bench.<name>`` from the project folder as a subprocess,
the way bench/README.md says to run it, with the smallest sizes that still go through
every phase, and checks that it ended well and printed its result table: every row it
should, with numbers in it. No timing is asserted (timings are the benchmarks' own
business, judged by their PASS/BELOW); what is asserted is that they run, and, for the
district, that nothing was lost on the way (no note unacked, no broadcast missing,
every note catalogued), which holds at any size.
"""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RUN_SECONDS = 240
NUMBER = r"-?\d[\d,]*(?:\.\d+)?"
VERDICT = r"(?:PASS|BELOW)"


def run_bench(name: str, *args: str) -> str:
    """Run `python -m bench.<name> <args>` from the project folder; its standard output."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LESSONSTUDY_")}
    done = subprocess.run(
        [sys.executable, "-m", f"bench.{name}", *args],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=RUN_SECONDS,
        check=False,
    )
    assert done.returncode == 0, (
        f"bench.{name} exited {done.returncode}\n--- stdout\n{done.stdout[-3000:]}"
        f"\n--- stderr\n{done.stderr[-5000:]}"
    )
    return done.stdout


def rows(output: str, pattern: str) -> list[re.Match[str]]:
    return [m for line in output.splitlines() if (m := re.fullmatch(pattern, line.strip()))]


def one_row(output: str, pattern: str) -> re.Match[str]:
    found = rows(output, pattern)
    assert len(found) == 1, f"expected one row like {pattern!r} in:\n{output}"
    return found[0]


def finite(*cells: str) -> bool:
    return all(math.isfinite(float(cell.replace(",", ""))) for cell in cells)


@pytest.mark.postgres
def test_bench_core_runs_every_workload_on_both_stores() -> None:
    out = run_bench(
        "core", "--notes", "20", "--edits", "20", "--rounds", "1", "--chunk", "5", "--warmup", "0"
    )
    workloads = (
        "notes, 5 observers, one thread",
        "notes, 5 observers, a thread each",
        "plan edits, one lesson",
    )
    for store in ("sqlite", "postgres"):
        for workload in workloads:
            row = one_row(
                out,
                rf"{store}\s+{re.escape(workload)}\s+20\s+({NUMBER})\s+({NUMBER})\s+{NUMBER}"
                rf"\s+({NUMBER})\s+0\.8\s+{VERDICT}\s+{NUMBER}/{NUMBER}\s+{NUMBER}/{NUMBER}",
            )
            assert finite(*row.groups()), row.group(0)


def test_bench_live_runs_both_servers_through_every_phase() -> None:
    out = run_bench(
        "live", "--observers", "4", "--rooms", "2", "--rate", "10", "--seconds", "1",
        "--warmup", "0.5", "--client-processes", "1",
    )  # fmt: skip
    for server in ("lessonstudy", "bare"):
        for phase, offered in (("paced", "10/s"), ("flat-out", "max")):
            row = one_row(
                out,
                rf"{server}\s+{phase}\s+{re.escape(offered)}\s+({NUMBER})\s+({NUMBER})"
                rf"\s+({NUMBER})\s+({NUMBER})\s+(\d+)\s+(\d+)\s+(\d+)\s+{NUMBER}\s+{NUMBER}",
            )
            notes_per_s, *latencies, bcasts, failed, missing = row.groups()
            assert finite(notes_per_s, *latencies), row.group(0)
            assert int(bcasts) > 0 and (failed, missing) == ("0", "0"), row.group(0)
    for target in ("ack p99 at 10 notes/s offered", "flat-out notes/s vs bare", "server RSS"):
        one_row(out, rf"{re.escape(target)}.*\s{NUMBER}(?: ms| MB)?\s+.+\s+{VERDICT}")


def test_bench_pages_times_every_page_against_its_baseline() -> None:
    out = run_bench(
        "pages", "--lessons", "2", "--steps", "2", "--edits", "5", "--requests", "5",
        "--chunk", "5",
    )  # fmt: skip
    pairs = (
        ("dashboard page", "dashboard SQL"),
        ("plan page", "plan snapshot HTML"),
        ("plan API JSON", "plan snapshot JSON"),
    )
    for page, baseline in pairs:
        row = one_row(
            out,
            rf"sqlite\s+{re.escape(page)}\s+({NUMBER})\s+({NUMBER})\s+{re.escape(baseline)}"
            rf"\s+({NUMBER})\s+({NUMBER})\s+({NUMBER})\s+({NUMBER})",
        )
        assert finite(*row.groups()), row.group(0)


def test_bench_catalogue_rebuilds_follows_and_queries_a_small_catalogue() -> None:
    out = run_bench(
        "catalogue", "--notes", "2000", "--rounds", "1", "--batch", "500", "--live", "5",
        "--queries", "5",
    )  # fmt: skip
    for measure, target in (
        ("rebuild / read+decode", ">= 0.5"),
        ("rebuild peak RSS MB", "< 500"),
        ("live lag p99 ms", "< 250"),
        ("task page p95 ms", "< 20"),
        ("search p95 ms", "< 20"),
    ):
        row = one_row(out, rf"{re.escape(measure)}\s+({NUMBER})\s+{re.escape(target)}\s+{VERDICT}")
        assert finite(*row.groups()), row.group(0)
    for measure in ("rebuild events/s", "read+decode events/s", "live lag p50 ms"):
        assert finite(one_row(out, rf"{re.escape(measure)}\s+({NUMBER})").group(1))


@pytest.mark.postgres
def test_bench_district_runs_both_sides_and_loses_nothing() -> None:
    out = run_bench(
        "district", "--observers", "4", "--rooms", "2", "--rate", "10", "--seconds", "1",
        "--warmup", "0.5", "--client-processes", "1",
    )  # fmt: skip
    for side in ("district", "single"):
        for phase, offered in (("paced", "10/s"), ("flat-out", "max")):
            row = one_row(
                out,
                rf"{side}\s+{phase}\s+{re.escape(offered)}\s+({NUMBER})\s+({NUMBER})"
                rf"\s+({NUMBER})\s+({NUMBER})\s+(\S+)\s+(\d+)\s+(\d+)\s+(\d+)"
                rf"\s+({NUMBER})\s+({NUMBER})\s+(\d+)\s+{NUMBER}",
            )
            rate, p50, p99, bcast, cross, bcasts, missing, failed, lag50, lag99, uncat = (
                row.groups()
            )
            assert finite(rate, p50, p99, bcast, lag50, lag99), row.group(0)
            # Across processes only in the district: each room is split over both.
            assert finite(cross) == (side == "district"), row.group(0)
            assert int(bcasts) > 0, row.group(0)
            assert (missing, failed, uncat) == ("0", "0", "0"), row.group(0)
            cpu = one_row(out, rf"{side}\s+{phase}\s+((?:(?:{NUMBER}|-)\s+){{6}}{NUMBER}.*)")
            assert finite(*(c for c in cpu.group(1).split() if c != "-")), cpu.group(0)
    for label in ("web A", "web B", "worker"):
        one_row(out, rf"district\s+{label}\s+\d+\s+{NUMBER}\s+{NUMBER}\s+\S+\s+{NUMBER}")
    one_row(out, rf"single\s+web\s+4\s+{NUMBER}\s+{NUMBER}\s+{NUMBER}\s+{NUMBER}")
    for ratio in ("flat-out notes/s", "paced ack p99", "paced CPU ms/note, PostgreSQL"):
        one_row(out, rf"{re.escape(ratio)}\s+{NUMBER}\s+{NUMBER}\s+{NUMBER}")
    for target in ("ack p99 at 10 notes/s offered", "missing broadcasts", "catalogue lag p99"):
        one_row(out, rf"{re.escape(target)}.*\s+{VERDICT}")

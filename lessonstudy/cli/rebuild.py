"""`lessonstudy rebuild`: every view rebuilt from the log beside the live ones, then switched."""

from __future__ import annotations

import resource
import time
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from lessonstudy.cli.common import SERVER_STORE, database_url_option, fail, open_service
from lessonstudy.projections.database import read_model_engine
from lessonstudy.projections.rebuild import (
    ApartUnavailableError,
    Rebuild,
    RebuildFailedError,
    RebuildReport,
)

APART = {"auto": None, "yes": True, "no": False}


@click.command(short_help="Rebuild every view from the log, then switch to it.")
@database_url_option(SERVER_STORE)
@click.option("--fresh", is_flag=True, help="Start from zero, not where a stopped rebuild was.")
@click.option("--batch-size", default=5000, show_default=True, type=click.IntRange(100, 100_000))
@click.option(
    "--apart",
    type=click.Choice(["auto", "yes", "no"]),
    default="auto",
    show_default=True,
    help="Apply the catalogue in a second process beside the reading: auto does on a log"
    " of 50,000 events or more and two or more cores; no keeps to one process (less memory).",
)
def rebuild(database_url: str | None, fresh: bool, batch_size: int, apart: str) -> None:
    """Rebuild every view (dashboard, misconception index, catalogue) from the event
    log beside the live ones, then switch to them in one transaction: the site keeps
    serving the old views until the switch. A view that fails on an event stops with a
    message naming it; once fixed, run the rebuild again and it resumes there."""
    started = time.perf_counter()
    with open_service(database_url, existing=True) as app:
        engine = read_model_engine(app.store)
        try:
            with _progress() as progress:
                bar = progress.add_task("rebuilding", total=None)

                def show(position: int, head: int) -> None:
                    progress.update(bar, completed=position, total=head)

                report = Rebuild(
                    app, engine, batch_size=batch_size, progress=show, apart=APART[apart]
                ).run(fresh=fresh)
        except ApartUnavailableError as error:
            fail("apart", f"{error}; run without --apart yes")
        except RebuildFailedError as error:
            fail("rebuild", f"{error}. Fix it and run lessonstudy rebuild again: it resumes there")
        finally:
            engine.dispose()
    click.echo(summary(report, time.perf_counter() - started))


def summary(report: RebuildReport, seconds: float) -> str:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # The largest of the processes that applied views apart (projections.rebuild.apart), if any.
    apart = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    memory = f"peak memory {peak:.0f} MB"
    if report.apart:
        memory += f" + {apart:.0f} MB in the process that applied {', '.join(report.apart)}"
    rate = report.events / seconds if seconds else 0.0
    return (
        f"rebuilt {len(report.views)} views ({', '.join(report.views)}) from"
        f" {report.events:,} events in {seconds:.1f} s ({rate:,.0f} events/s;"
        f" switched in {report.switch_seconds:.2f} s, {report.switched_events} events"
        f" applied during the switch); {memory}"
    )


def _progress() -> Any:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=False,
    )

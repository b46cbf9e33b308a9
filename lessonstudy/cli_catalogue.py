"""`lessonstudy import` (a published taxonomy) and `lessonstudy rebuild` (every view).

Registered on the main command in cli.py; errors a person can fix are one line on
stderr and exit code 2, like every other command.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from lessonstudy.catalogue_import import ImportEntry, ImportFileError, ImportReport, import_entries
from lessonstudy.catalogue_import_csv import read_csv
from lessonstudy.catalogue_import_mae import read_mae
from lessonstudy.projections.database import read_model_engine
from lessonstudy.projections.rebuild import (
    ApartUnavailableError,
    Rebuild,
    RebuildFailedError,
    RebuildReport,
)
from lessonstudy.storage import DATABASE_URL_SETTING, DEFAULT_DATABASE_URL

SHOWN_SKIPS = 20

database_url_option = click.option(
    "--database-url",
    metavar="URL",
    default=None,
    help=f"Where the events live: sqlite:///FILE or postgresql://..."
    f" [default: ${DATABASE_URL_SETTING}, else {DEFAULT_DATABASE_URL}]",
)
file_argument = click.argument(
    "file", type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path)
)


@click.group("import", short_help="Import a published misconception taxonomy.")
def import_group() -> None:
    """Import a published taxonomy of misconceptions into the catalogue.

    The whole file is checked first: a malformed file is rejected naming the line or
    record and the field, and nothing from it is written. Importing the same file
    again adds nothing; the report says what was added, what was skipped and why.
    """


@import_group.command("mae", short_help="The MaE dataset (data.json).")
@file_argument
@click.option("--taxonomy", default="MaE", show_default=True, help="The taxonomy's name.")
@database_url_option
def import_mae(file: Path, taxonomy: str, database_url: str | None) -> None:
    """Import the MaE math misconceptions (Otero, Druga and Lan), e.g.
    ../shared/data/mae/data.json: 55 misconceptions with 4 examples each."""
    _import(file, taxonomy, database_url, read_mae)


@import_group.command("csv", short_help="A taxonomy in the CSV format of docs/catalogue-import.md.")
@file_argument
@click.option("--taxonomy", required=True, help="The taxonomy's name, e.g. 'Ashlock'.")
@click.option("--subject", default="", help="The subject of rows that give none.")
@database_url_option
def import_csv(file: Path, taxonomy: str, subject: str, database_url: str | None) -> None:
    """Import a taxonomy from CSV: columns external_id, statement and topic (required),
    subject, example_number, question, incorrect_answer, correct_answer, explanation,
    source; one row per example (see docs/catalogue-import.md)."""
    _import(file, taxonomy, database_url, lambda text: read_csv(text, subject=subject))


Reader = Callable[[str], tuple[list[ImportEntry], list[tuple[str, str]]]]


def _import(file: Path, taxonomy: str, database_url: str | None, read: Reader) -> None:
    from lessonstudy.cli import open_service  # cli imports this module to register it

    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        where = f"byte {error.start}"
        raise ImportFileError(where, "file", "is not UTF-8 text") from None
    entries, repeats = read(text)
    with open_service(database_url) as app:
        report = import_entries(app, taxonomy, entries)
    click.echo(describe(report, repeats))


def describe(report: ImportReport, repeats: list[tuple[str, str]]) -> str:
    """Counts, then the skipped grouped by why (a re-import skips everything alike)."""
    skipped = report.skipped + repeats
    lines = [
        f"{report.taxonomy}: added {len(report.added)} misconceptions"
        f" ({report.examples_added} examples), skipped {len(skipped)}."
    ]
    reasons: dict[str, list[str]] = {}
    for what, why in skipped:
        reasons.setdefault(why, []).append(what)
    for why, which in reasons.items():
        shown = ", ".join(which[:SHOWN_SKIPS]) + (" ..." if len(which) > SHOWN_SKIPS else "")
        lines.append(f"  {len(which)} skipped, {why}: {shown}")
    return "\n".join(lines)


APART = {"auto": None, "yes": True, "no": False}


@click.command(short_help="Rebuild every view from the log, then switch to it.")
@database_url_option
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
    from lessonstudy.cli import fail, open_service

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
    # The largest of the processes that applied views apart (rebuild_apart), if any.
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

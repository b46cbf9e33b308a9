"""`lessonstudy import`: a published misconception taxonomy (MaE or CSV) into the catalogue."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from lessonstudy.cli.common import SERVER_STORE, database_url_option, open_service
from lessonstudy.imports import (
    ImportEntry,
    ImportFileError,
    ImportReport,
    import_entries,
    read_csv,
    read_mae,
)

SHOWN_SKIPS = 20

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
@database_url_option(SERVER_STORE)
def import_mae(file: Path, taxonomy: str, database_url: str | None) -> None:
    """Import the MaE math misconceptions (Otero, Druga and Lan), e.g.
    ../shared/data/mae/data.json: 55 misconceptions with 4 examples each."""
    _import(file, taxonomy, database_url, read_mae)


@import_group.command("csv", short_help="A taxonomy in the CSV format of docs/catalogue-import.md.")
@file_argument
@click.option("--taxonomy", required=True, help="The taxonomy's name, e.g. 'Ashlock'.")
@click.option("--subject", default="", help="The subject of rows that give none.")
@database_url_option(SERVER_STORE)
def import_csv(file: Path, taxonomy: str, subject: str, database_url: str | None) -> None:
    """Import a taxonomy from CSV: columns external_id, statement and topic (required),
    subject, example_number, question, incorrect_answer, correct_answer, explanation,
    source; one row per example (see docs/catalogue-import.md)."""
    _import(file, taxonomy, database_url, lambda text: read_csv(text, subject=subject))


Reader = Callable[[str], tuple[list[ImportEntry], list[tuple[str, str]]]]


def _import(file: Path, taxonomy: str, database_url: str | None, read: Reader) -> None:
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
